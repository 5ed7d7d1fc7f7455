/* The conversation on the page: each message from the server shown once (deduplicated by id),
 * in id order, and the oldest and newest ids shown, for "load earlier" and for catching up.
 * The last id lives in memory and in sessionStorage. */

import { buildItem, renderBody, setState, setTime } from "./messages.js";
import { store } from "./storage.js";

const CATCH_UP_OVERLAP = 10;

/* options: list (the <ol>), groupId, userId, storeLast (sessionStorage key for the last id),
 * claimPending(clientId) (takes our own unconfirmed message with that client_id, or null),
 * updateEmpty(), blockedIds (a Set of the people whose messages are folded away). */
export function createConversation(options) {
  const list = options.list;
  const GROUP_ID = options.groupId;
  const USER_ID = options.userId;
  const STORE_LAST = options.storeLast;
  const claimPending = options.claimPending;
  const updateEmpty = options.updateEmpty;
  const blockedIds = options.blockedIds || new Set();

  const byId = new Map(); // message id -> <li>
  const hiddenIds = new Set();
  let lastId = null; // the newest id received from the server, in order
  let firstId = null; // the oldest id shown, for "load earlier"

  function isMine(message) {
    return message.kind !== "system" && message.author !== null && message.author.id === USER_ID;
  }

  /* Confirmed messages sit in id order; our unconfirmed ones stay below them. */
  function placeConfirmed(li, id) {
    const children = list.children;
    let before = null;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child === li) continue;
      if (!child.dataset.sort) { before = child; continue; }
      if (Number(child.dataset.sort) > id) { before = child; continue; }
      break;
    }
    list.insertBefore(li, before);
  }

  function addLink(meta, className, href, text, label) {
    const link = document.createElement("a");
    link.className = className;
    link.href = href;
    link.textContent = text;
    if (label) link.setAttribute("aria-label", label);
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(link);
  }

  /* Quiet ways to reach the moderators about someone else's message, each a page of its own that
   * works without JavaScript too: report it (then choose a reason), or say you're worried about
   * the writer. The writer is never told who asked. */
  function addMemberLinks(li, message) {
    const meta = li.querySelector(".chat-meta");
    addLink(meta, "chat-report", "/moderation/report/" + encodeURIComponent(message.id), "Report",
      "Report this message from " + message.author.name);
    if (message.author.id === null) return; // a former member: their account is gone
    addLink(meta, "chat-worried",
      "/people/" + encodeURIComponent(message.author.id) + "/worried?message=" + encodeURIComponent(message.id),
      "I'm worried about " + message.author.name);
  }

  /* A message from someone this person blocked: folded away, one button to open it. */
  function fold(li) {
    li.classList.add("chat-msg-blocked");
    const body = li.querySelector(".chat-body");
    body.hidden = true;
    const open = document.createElement("button");
    open.type = "button";
    open.className = "link-button chat-unfold";
    open.textContent = "A message from someone you blocked. Show it";
    open.addEventListener("click", function () { body.hidden = false; open.remove(); });
    li.insertBefore(open, body);
  }

  /* Show a message from the server, once. Returns true if it was new on this page. */

  function receive(message, options) {
    if (!message || message.group_id !== GROUP_ID || typeof message.id !== "number") return false;
    if (byId.has(message.id) || hiddenIds.has(message.id)) return false;
    const mine = isMine(message);
    const pending = mine && message.client_id ? claimPending(message.client_id) : null;
    let li;
    if (pending) {
      li = pending.li;
      setTime(li, message.created_at);
      renderBody(li.querySelector(".chat-body"), message.body);
    } else {
      li = buildItem(message.author ? message.author.name : "", message.kind === "system" || !message.author,
        mine, message.body, message.created_at);
      if (!mine && message.author && message.kind !== "system") {
        addMemberLinks(li, message);
        if (blockedIds.has(message.author.id)) fold(li);
      }
    }
    li.dataset.id = String(message.id);
    li.dataset.sort = String(message.id);
    if (mine) setState(li, "sent");
    if (message.held && !li.querySelector(".chat-held")) {
      // Held back from the group (only the writer sees it here); the ack said why, kindly.
      const note = document.createElement("p");
      note.className = "chat-held hint";
      note.textContent = message.held === "harassment"
        ? "Waiting for a moderator before the group sees it."
        : message.held === "filter" ? "A moderator will look at this before the group sees it."
        : "Only you and our moderators can see this message.";  // "means" and "paused"
      li.appendChild(note);
    }
    byId.set(message.id, li);
    if (options && options.prepend) {
      list.insertBefore(li, list.firstChild);
    } else {
      placeConfirmed(li, message.id);
    }
    if (firstId === null || message.id < firstId) firstId = message.id;
    if (!options || !options.prepend) {
      if (lastId === null || message.id > lastId) {
        lastId = message.id;
        store(STORE_LAST, lastId);
      }
    }
    return true;
  }

  /* On a page opened again in this tab: a line above what came since the person last looked. */
  function markNewSince(seenId) {
    if (typeof seenId !== "number" || list.querySelector(".chat-divider")) return;
    let firstNew = null;
    let hasOld = false;
    byId.forEach(function (li, id) {
      if (id <= seenId) hasOld = true;
      else if (!li.classList.contains("chat-msg-mine") && (firstNew === null || id < firstNew)) firstNew = id;
    });
    if (!hasOld || firstNew === null) return;
    const divider = document.createElement("li");
    divider.className = "chat-divider";
    divider.dataset.sort = String(firstNew - 0.5);
    divider.textContent = "New since you were last here";
    list.insertBefore(divider, byId.get(firstNew));
  }

  function removeMessage(id) {
    hiddenIds.add(id);
    const li = byId.get(id);
    if (!li) return;
    byId.delete(id);
    li.remove();
    updateEmpty();
  }

  /* Where to catch up from: a few ids before the newest, since messages committed at the same
   * moment can reach us out of id order; the overlap costs nothing, as ids are deduplicated. */
  function catchUpFrom() {
    if (lastId === null) return null;
    const ids = Array.from(byId.keys()).sort(function (a, b) { return b - a; });
    const back = ids[Math.min(CATCH_UP_OVERLAP, ids.length) - 1];
    return typeof back === "number" && back < lastId ? back : lastId;
  }

  return {
    isMine: isMine,
    receive: receive,
    markNewSince: markNewSince,
    removeMessage: removeMessage,
    catchUpFrom: catchUpFrom,
    size: function () { return byId.size; },
    firstId: function () { return firstId; },
  };
}
