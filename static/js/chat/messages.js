/* One chat message as a list item: author, time, text, and (for our own) its state.
 *
 * Message text is only ever set with textContent; links are built as elements. The URL rule is
 * the same as the server's (community/chat/text.py), so a message looks alike live and in the
 * transcript.
 */

const URL_RE = /https?:\/\/[^\s<>"'`]+/gi;
const TRAILING = ".,;:!?*";

function splitUrl(candidate) {
  let url = candidate;
  while (url) {
    const last = url.charAt(url.length - 1);
    if (TRAILING.indexOf(last) !== -1) {
      url = url.slice(0, -1);
    } else if (last === ")" && url.split(")").length > url.split("(").length) {
      url = url.slice(0, -1);
    } else {
      break;
    }
  }
  return url;
}

function safeHref(url) {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.host ? parsed.href : null;
  } catch (e) { return null; }
}

/* Fill `el` with the body as text nodes, and http(s) links as <a> elements. */
export function renderBody(el, body) {
  el.textContent = "";
  let position = 0;
  let match;
  URL_RE.lastIndex = 0;
  while ((match = URL_RE.exec(body)) !== null) {
    const url = splitUrl(match[0]);
    const href = url && safeHref(url);
    if (!href) continue;
    el.appendChild(document.createTextNode(body.slice(position, match.index)));
    const a = document.createElement("a");
    a.href = href;
    a.rel = "noopener nofollow ugc";
    a.target = "_blank";
    a.textContent = url;
    el.appendChild(a);
    position = match.index + url.length;
    URL_RE.lastIndex = position;
  }
  el.appendChild(document.createTextNode(body.slice(position)));
}

export function formatTime(iso) {
  const date = new Date(iso);
  if (isNaN(date.getTime())) return "";
  const time = date.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
  if (date.toDateString() === new Date().toDateString()) return time;
  return date.toLocaleDateString([], { month: "short", day: "numeric" }) + ", " + time;
}

export function buildItem(author, isSystem, isMine, body, createdAt) {
  const li = document.createElement("li");
  li.className = "chat-msg" + (isSystem ? " chat-msg-system" : "") + (isMine ? " chat-msg-mine" : "");
  const meta = document.createElement("p");
  meta.className = "chat-meta";
  const who = document.createElement("span");
  who.className = "chat-author";
  who.textContent = isSystem ? "From Common Ground" : (isMine ? "You" : author);
  meta.appendChild(who);
  const time = document.createElement("time");
  meta.appendChild(document.createTextNode(" "));
  meta.appendChild(time);
  if (createdAt) {
    time.dateTime = createdAt;
    time.textContent = formatTime(createdAt);
  }
  const text = document.createElement("p");
  text.className = "chat-body";
  renderBody(text, body);
  const state = document.createElement("p");
  state.className = "chat-state";
  li.appendChild(meta);
  li.appendChild(text);
  li.appendChild(state);
  return li;
}

export function setTime(li, createdAt) {
  const time = li.querySelector("time");
  time.dateTime = createdAt;
  time.textContent = formatTime(createdAt);
}

/* Show where one of our messages stands: "sent", "sending", "waiting" or "failed". A failed one
 * gets retry and remove buttons, which call actions.retry(clientId) and actions.discard(clientId). */
export function setState(li, kind, detail, clientId, actions) {
  const state = li.querySelector(".chat-state");
  state.textContent = "";
  li.classList.remove("is-sending", "is-waiting", "is-failed");
  if (kind === "sent") {
    state.textContent = "sent";
    return;
  }
  if (kind === "sending") {
    li.classList.add("is-sending");
    state.textContent = "sending…";
    return;
  }
  if (kind === "waiting") {
    li.classList.add("is-waiting");
    state.textContent = "waiting to send: it goes as soon as you're connected";
    return;
  }
  // failed: the text stays; retry uses the same client_id, so it can never be stored twice
  li.classList.add("is-failed");
  state.appendChild(document.createTextNode("not sent — "));
  const retry = document.createElement("button");
  retry.type = "button";
  retry.className = "link-button chat-retry";
  retry.textContent = "retry";
  retry.addEventListener("click", function () { actions.retry(clientId); });
  state.appendChild(retry);
  state.appendChild(document.createTextNode(" · "));
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "link-button chat-discard";
  remove.textContent = "remove";
  remove.setAttribute("aria-label", "Remove this unsent message");
  remove.addEventListener("click", function () { actions.discard(clientId); });
  state.appendChild(remove);
  if (detail) {
    const why = document.createElement("span");
    why.className = "chat-error";
    why.textContent = detail;
    state.appendChild(why);
  }
}
