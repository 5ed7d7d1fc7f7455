/* Our own messages until the server confirms them.
 *
 * Every message we write gets a client_id once; sending again (retry, reconnect, reload) reuses
 * it, and the server stores it only once. Unsent messages wait in sessionStorage.
 */

import { buildItem, setState } from "./messages.js";
import { load, store } from "./storage.js";

export function newClientId() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") {
    return window.crypto.randomUUID();
  }
  // randomUUID needs a secure context; getRandomValues doesn't.
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
  return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
}

function friendlyError(error) {
  const text = String(error || "");
  if (/rate|quickly|too many|slow down/i.test(text) && !/slow mode/i.test(text)) {
    return "You're sending quickly — wait a few seconds and try again.";
  }
  return text || "Something went wrong on our side. Your text is still here; please try again.";
}

/* options: socket, groupId, ackTimeoutMs, isJoined(), list (the <ol>), textarea,
 * storePending (sessionStorage key), receive(message) (shows a confirmed message),
 * nearBottom(), scrollToBottom(smooth), announce(text), updateEmpty(), onSupport(card) (the
 * ack of a message that sounded like a crisis carries the support card). */
export function createPending(options) {
  const socket = options.socket;
  const GROUP_ID = options.groupId;
  const ACK_TIMEOUT_MS = options.ackTimeoutMs;
  const STORE_PENDING = options.storePending;
  const isJoined = options.isJoined;
  const list = options.list;
  const textarea = options.textarea;
  const receive = options.receive;
  const nearBottom = options.nearBottom;
  const scrollToBottom = options.scrollToBottom;
  const announce = options.announce;
  const updateEmpty = options.updateEmpty;
  const onSupport = options.onSupport || function () {};

  const byClientId = new Map(); // client_id -> {body, li, state} for our own unconfirmed messages
  let flushing = false;
  const actions = { retry: retrySend, discard: discard }; // the buttons on a message not sent

  function savePending() {
    const entries = [];
    byClientId.forEach(function (entry, clientId) {
      entries.push({ client_id: clientId, body: entry.body });
    });
    store(STORE_PENDING, entries.length ? entries : null);
  }

  function markWaiting(clientId) {
    const entry = byClientId.get(clientId);
    if (!entry) return;
    entry.state = "waiting";
    setState(entry.li, "waiting", null, clientId, actions);
  }

  function emitSend(clientId, onDone) {
    const entry = byClientId.get(clientId);
    if (!entry) { if (onDone) onDone(); return; }
    if (!socket.connected || !isJoined()) {
      markWaiting(clientId);
      if (onDone) onDone();
      return;
    }
    entry.state = "sending";
    entry.attempt = (entry.attempt || 0) + 1;
    const attempt = entry.attempt;
    setState(entry.li, "sending", null, clientId, actions);
    socket.timeout(ACK_TIMEOUT_MS).emit("send", { group_id: GROUP_ID, body: entry.body, client_id: clientId },
      function (err, ack) {
        const current = byClientId.get(clientId);
        // Confirmed by the room already, or an older attempt answering late: nothing to do.
        if (current !== entry || entry.attempt !== attempt) { if (onDone) onDone(); return; }
        if (err) {
          if (!socket.connected) {
            markWaiting(clientId); // sent again, with the same client_id, on reconnect
          } else {
            entry.state = "failed";
            setState(entry.li, "failed", "We didn't hear back in time. It may have gone through; retrying is safe and never sends it twice.", clientId, actions);
          }
        } else if (ack && ack.ok && ack.message) {
          const stick = nearBottom();
          receive(ack.message);
          if (stick) scrollToBottom(true);
          if (ack.held) announce(ack.held);
          if (ack.support) onSupport(ack.support);
        } else {
          entry.state = "failed";
          setState(entry.li, "failed", friendlyError(ack && ack.error), clientId, actions);
          announce("Your message was not sent. " + friendlyError(ack && ack.error));
          if (ack && ack.support) onSupport(ack.support);
        }
        if (onDone) onDone();
      });
  }

  /* Send what waited, oldest first and one at a time, so the group sees them in order. */
  function flushPending() {
    if (flushing) return;
    const waiting = [];
    byClientId.forEach(function (entry, clientId) {
      if (entry.state === "waiting") waiting.push(clientId);
    });
    if (!waiting.length) return;
    flushing = true;
    (function next() {
      const clientId = waiting.shift();
      if (clientId === undefined || !socket.connected) { flushing = false; return; }
      emitSend(clientId, next);
    })();
  }

  function addPending(clientId, body, state) {
    const li = buildItem("", false, true, body, null);
    li.dataset.clientId = clientId;
    list.appendChild(li);
    byClientId.set(clientId, { body: body, li: li, state: state });
    updateEmpty();
    setState(li, state, null, clientId, actions);
    savePending();
    return li;
  }

  function retrySend(clientId) {
    const entry = byClientId.get(clientId);
    if (!entry) return;
    const li = entry.li;
    emitSend(clientId);
    li.querySelector(".chat-state").setAttribute("tabindex", "-1");
    li.querySelector(".chat-state").focus({ preventScroll: true });
  }

  function discard(clientId) {
    const entry = byClientId.get(clientId);
    if (!entry) return;
    byClientId.delete(clientId);
    entry.li.remove();
    savePending();
    updateEmpty();
    textarea.focus();
  }

  /* The room confirmed one of ours: hand over its entry ({body, li, state}) and forget it. */
  function claim(clientId) {
    const entry = byClientId.get(clientId);
    if (!entry) return null;
    byClientId.delete(clientId);
    savePending();
    return entry;
  }

  /* The connection dropped: what was on its way waits for the next connect. */
  function holdSending() {
    byClientId.forEach(function (entry, clientId) {
      if (entry.state === "sending") markWaiting(clientId);
    });
  }

  /* Put back what a reload left unconfirmed in sessionStorage, as waiting. */
  function restore() {
    (load(STORE_PENDING) || []).forEach(function (entry) {
      if (entry && typeof entry.client_id === "string" && typeof entry.body === "string") {
        addPending(entry.client_id, entry.body, "waiting");
      }
    });
  }

  return {
    add: addPending,
    send: emitSend,
    flush: flushPending,
    claim: claim,
    holdSending: holdSending,
    restore: restore,
    size: function () { return byClientId.size; },
  };
}
