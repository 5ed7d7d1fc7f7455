/* The conversation on the page: each message from the server shown once (deduplicated by id),
 * in id order, and the oldest and newest ids shown, for "load earlier" and for catching up.
 * The last id lives in memory and in sessionStorage. */

import { buildItem, renderBody, setState, setTime } from "./messages.js";
import { store } from "./storage.js";

const CATCH_UP_OVERLAP = 10;

/* options: list (the <ol>), groupId, userId, storeLast (sessionStorage key for the last id),
 * claimPending(clientId) (takes our own unconfirmed message with that client_id, or null),
 * updateEmpty(). */
export function createConversation(options) {
  const list = options.list;
  const GROUP_ID = options.groupId;
  const USER_ID = options.userId;
  const STORE_LAST = options.storeLast;
  const claimPending = options.claimPending;
  const updateEmpty = options.updateEmpty;

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

  /* Show a message from the server, once. Returns true if it was new on this page. */
  /* A quiet way to tell the moderators you're worried about the writer (a page of its own,
   * which works without JavaScript too; the writer is never told who asked). */
  function addWorriedLink(li, message) {
    const meta = li.querySelector(".chat-meta");
    const link = document.createElement("a");
    link.className = "chat-worried";
    link.href = "/people/" + encodeURIComponent(message.author.id) + "/worried?message=" + encodeURIComponent(message.id);
    link.textContent = "I'm worried about " + message.author.name;
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(link);
  }

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
      if (!mine && message.author && message.kind !== "system") addWorriedLink(li, message);
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
