/* Group chat on the group page: live messages over Socket.IO, with nothing lost and nothing twice.
 *
 * - On every (re)connect we `join` with the last message id we have seen, and append exactly what
 *   was missed (deduplicated by id). The last id lives in memory and in sessionStorage.
 * - Every message we write gets a client_id once; sending again (retry, reconnect, reload) reuses
 *   it, and the server stores it only once. Unsent messages wait in sessionStorage.
 * - Message text is only ever set with textContent; links are built as elements.
 *
 * This module wires the parts together: the connection and its status line, joining and catching
 * up, the room's events and "load earlier". The rest lives beside it:
 *   conversation.js  the messages shown, once each, in id order
 *   messages.js      one message as a list item (text, links, time, sending/sent/not sent)
 *   pending.js       our own messages until confirmed: client ids, sessionStorage, retry
 *   composer.js      the message form
 *   typing.js        "… is typing"
 *   rounds.js        the question round's card: whose turn it is, and Pass
 *   support.js       the support card, and the check of a draft before it is sent
 *   storage.js       sessionStorage that never throws
 *
 * Loaded as a module (deferred), after the classic socket.io script, which defines `io`.
 */

import { wireComposer } from "./composer.js";
import { createConversation } from "./conversation.js";
import { createPending } from "./pending.js";
import { attachRounds } from "./rounds.js";
import { load } from "./storage.js";
import { createSupport } from "./support.js";
import { createTyping } from "./typing.js";

const ACK_TIMEOUT_MS = 10000;
const NEAR_BOTTOM_PX = 80;

/* Whom this person has blocked: their messages are folded away on this page. */
function blockedFrom(root) {
  try {
    const ids = JSON.parse(root.dataset.blocked || "[]");
    return new Set(Array.isArray(ids) ? ids.filter(function (id) { return typeof id === "number"; }) : []);
  } catch (e) { return new Set(); }
}

function start(root) {
  const GROUP_ID = Number(root.dataset.groupId);
  const USER_ID = Number(root.dataset.userId);
  const STORE_LAST = "cg-chat:" + GROUP_ID + ":last-id";
  const STORE_PENDING = "cg-chat:" + GROUP_ID + ":pending";

  const live = root.querySelector(".chat-live");
  const statusLine = root.querySelector(".chat-status");
  const earlierButton = root.querySelector(".chat-earlier");
  const logBox = root.querySelector(".chat-log");
  const list = root.querySelector(".chat-messages");
  const empty = root.querySelector(".chat-empty");
  const typingLine = root.querySelector(".chat-typing");
  const announcer = root.querySelector(".chat-announce");
  const form = root.querySelector(".chat-composer");
  const textarea = form.querySelector("textarea");
  const composerError = form.querySelector(".chat-composer-error");

  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  let joined = false;
  let remembered = null; // the last id seen in this tab before this page load

  root.querySelector(".chat-nojs").hidden = true;
  live.hidden = false;

  /* ---------- small helpers ---------- */

  function scrollBehavior() {
    return reducedMotion.matches ? "auto" : "smooth";
  }

  function nearBottom() {
    return logBox.scrollHeight - logBox.scrollTop - logBox.clientHeight < NEAR_BOTTOM_PX;
  }

  function scrollToBottom(smooth) {
    logBox.scrollTo({ top: logBox.scrollHeight, behavior: smooth ? scrollBehavior() : "auto" });
  }

  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function updateEmpty() {
    empty.hidden = conversation.size() + pending.size() > 0;
  }

  function isJoined() {
    return joined;
  }

  /* ---------- the parts ---------- */

  const socket = window.io({ autoConnect: false });
  // One connection per page: the notices on every page (notices.js) listen on this one too.
  window.commonGroundSocket = socket;
  const support = createSupport({
    card: document.getElementById("support-card"),
    socket: socket,
    groupId: GROUP_ID,
    textarea: textarea,
  });

  const conversation = createConversation({
    list: list,
    groupId: GROUP_ID,
    userId: USER_ID,
    blockedIds: blockedFrom(root),
    storeLast: STORE_LAST,
    claimPending: function (clientId) { return pending.claim(clientId); },
    updateEmpty: updateEmpty,
  });
  const pending = createPending({
    socket: socket,
    groupId: GROUP_ID,
    ackTimeoutMs: ACK_TIMEOUT_MS,
    isJoined: isJoined,
    list: list,
    textarea: textarea,
    storePending: STORE_PENDING,
    receive: conversation.receive,
    nearBottom: nearBottom,
    scrollToBottom: scrollToBottom,
    announce: announce,
    updateEmpty: updateEmpty,
    onSupport: support.show,
  });
  const typing = createTyping({
    socket: socket,
    groupId: GROUP_ID,
    userId: USER_ID,
    typingLine: typingLine,
    isJoined: isJoined,
  });

  /* ---------- connection ---------- */

  function showStatus(state) {
    const words = {
      connecting: "Connecting…",
      connected: "Connected",
      reconnecting: "Reconnecting…",
      offline: "Offline — your messages will be sent when you're back",
      refused: "We couldn't open the chat. If you've been logged out, please log in again and reload this page.",
    };
    if (statusLine.dataset.state === state) return;
    statusLine.dataset.state = state;
    statusLine.textContent = words[state];
  }

  function whenDisconnected() {
    showStatus(navigator.onLine === false ? "offline" : "reconnecting");
  }

  socket.on("connect", function () {
    showStatus("connected");
    joined = false;
    join(null);
  });

  socket.on("disconnect", function (reason) {
    joined = false;
    if (reason === "io server disconnect") {
      // The server closed the door on purpose; try once more (a restart looks like this too).
      window.setTimeout(function () { if (navigator.onLine !== false) socket.connect(); }, 2000);
    }
    whenDisconnected();
    pending.holdSending();
  });

  socket.on("connect_error", function () {
    if (socket.active) {
      whenDisconnected(); // socket.io retries by itself
    } else {
      showStatus("refused"); // refused by the server (not logged in): retrying won't help
    }
  });

  window.addEventListener("offline", function () {
    // Don't wait for the heartbeat to notice: say so now, and keep new messages as pending.
    socket.disconnect();
    showStatus("offline");
  });

  window.addEventListener("online", function () {
    if (!socket.connected) {
      showStatus("reconnecting");
      socket.connect();
    }
  });

  /* Join the room and catch up: everything after the last id we saw, page after page. */
  function join(afterId) {
    if (!socket.connected) return;
    const payload = { group_id: GROUP_ID };
    const from = afterId !== null ? afterId : conversation.catchUpFrom();
    const catchingUp = from !== null;
    if (catchingUp) payload.after_id = from;
    logBox.setAttribute("aria-busy", "true");
    socket.timeout(ACK_TIMEOUT_MS).emit("join", payload, function (err, ack) {
      logBox.removeAttribute("aria-busy");
      if (err || !ack) {
        if (socket.connected) window.setTimeout(function () { join(null); }, 2000);
        return;
      }
      if (!ack.ok) {
        showStatus("refused");
        statusLine.textContent = ack.error ? "The chat isn't open to you here: " + ack.error + "." : statusLine.textContent;
        return;
      }
      const stick = nearBottom();
      let added = 0;
      let newest = null;
      (ack.messages || []).forEach(function (m) {
        if (conversation.receive(m)) added += 1;
        if (typeof m.id === "number" && (newest === null || m.id > newest)) newest = m.id;
      });
      updateEmpty();
      if (!catchingUp) {
        earlierButton.hidden = !ack.has_more;
        conversation.markNewSince(remembered);
        scrollToBottom(false);
      } else if (ack.has_more && newest !== null) {
        join(newest); // more were missed than one answer holds
        return;
      } else if (added) {
        if (stick) scrollToBottom(true);
        announce(added === 1 ? "1 new message while you were away." : added + " new messages while you were away.");
      }
      joined = true;
      pending.flush();
    });
  }

  /* ---------- sending ---------- */

  wireComposer({
    form: form,
    textarea: textarea,
    composerError: composerError,
    pending: pending,
    typing: typing,
    scrollToBottom: scrollToBottom,
  });

  /* ---------- from the room ---------- */

  socket.on("message", function (message) {
    const stick = nearBottom() || conversation.isMine(message);
    if (message && message.author) typing.clearTyper(message.author.id);
    if (conversation.receive(message)) {
      updateEmpty();
      if (stick) scrollToBottom(true);
    }
  });

  socket.on("message_hidden", function (data) {
    if (data && data.group_id === GROUP_ID && typeof data.id === "number") conversation.removeMessage(data.id);
  });

  socket.on("typing", typing.someoneTyping);
  attachRounds({ panel: document.getElementById("group-round"), socket: socket, groupId: GROUP_ID,
                 userId: USER_ID, announce: announce });

  /* ---------- load earlier ---------- */

  earlierButton.addEventListener("click", function () {
    const firstId = conversation.firstId();
    if (firstId === null || !socket.connected) {
      announce("Earlier messages can load once you're connected.");
      return;
    }
    earlierButton.disabled = true;
    earlierButton.textContent = "Loading earlier messages…";
    socket.timeout(ACK_TIMEOUT_MS).emit("history", { group_id: GROUP_ID, before_id: firstId }, function (err, ack) {
      earlierButton.disabled = false;
      earlierButton.textContent = "Load earlier messages";
      if (err || !ack || !ack.ok) {
        announce("Earlier messages didn't load. Please try again.");
        return;
      }
      const heightBefore = logBox.scrollHeight;
      const topBefore = logBox.scrollTop;
      logBox.setAttribute("aria-busy", "true");
      let added = 0;
      const messages = ack.messages || [];
      for (let i = messages.length - 1; i >= 0; i--) {
        if (conversation.receive(messages[i], { prepend: true })) added += 1;
      }
      logBox.removeAttribute("aria-busy");
      updateEmpty();
      logBox.scrollTop = topBefore + (logBox.scrollHeight - heightBefore); // keep the reader's place
      earlierButton.hidden = !ack.has_more;
      announce(added ? "Loaded " + added + " earlier message" + (added === 1 ? "." : "s.") : "No earlier messages.");
      if (earlierButton.hidden) logBox.focus({ preventScroll: true });
    });
  });

  /* ---------- start ---------- */

  // Messages written before a reload that never got confirmed: shown, and sent on connect.
  pending.restore();
  updateEmpty();
  // The last id seen in this tab: on a fresh page we load the latest page instead (the page
  // has no messages yet), and catch up from the newest shown one after that.
  remembered = load(STORE_LAST);

  if (navigator.onLine === false) {
    showStatus("offline");
  } else {
    showStatus("connecting");
  }
  socket.connect();
}

const root = document.getElementById("group-chat");
if (root && typeof window.io === "function") {
  start(root);
}
// Otherwise this isn't a chat page, or the library didn't load: the no-JavaScript text and
// transcript link stay.
