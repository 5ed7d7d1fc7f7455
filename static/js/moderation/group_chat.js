/* The moderators' view of one group's chat, kept live: new messages are added as they arrive and
 * a message a moderator hides stays on this page, marked "Hidden by a moderator", rather than
 * disappearing as it does for members. Held messages show when the page is loaded again.
 * Without JavaScript the page is the same list, as of when it was loaded. Text is set with
 * textContent only. */

const list = document.querySelector(".mod-chat");

function tag(text) {
  const strong = document.createElement("strong");
  strong.className = "tag";
  strong.textContent = text;
  return strong;
}

function add(message) {
  if (!message || typeof message.id !== "number" || document.getElementById("message-" + message.id)) return;
  const li = document.createElement("li");
  li.className = "chat-msg";
  li.id = "message-" + message.id;
  const meta = document.createElement("p");
  meta.className = "chat-meta";
  const who = document.createElement("span");
  who.className = "chat-author";
  who.textContent = message.author ? message.author.name : "From Common Ground";
  meta.appendChild(who);
  const at = new Date(message.created_at);
  if (!isNaN(at.getTime())) {
    const time = document.createElement("time");
    time.dateTime = message.created_at;
    time.textContent = at.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(time);
  }
  const body = document.createElement("p");
  body.className = "chat-body";
  body.textContent = message.body;
  li.appendChild(meta);
  li.appendChild(body);
  // In id order: what the join brings back may arrive after a newer live message.
  const later = Array.prototype.find.call(list.children, function (other) {
    return Number(other.id.replace("message-", "")) > message.id;
  });
  list.insertBefore(li, later || null);
}

if (list && typeof window.io === "function") {
  const groupId = Number(list.dataset.groupId);
  const socket = window.commonGroundSocket || window.io();
  window.commonGroundSocket = socket;
  // Joining answers with the latest messages: whatever was sent between this page being drawn
  // and the join is added from there (ids already shown are skipped).
  socket.on("connect", function () {
    socket.emit("join", { group_id: groupId }, function (ack) {
      if (ack && ack.ok) (ack.messages || []).forEach(add);
    });
  });
  socket.on("message", function (message) {
    if (message && message.group_id === groupId) add(message);
  });
  socket.on("message_hidden", function (data) {
    const li = data && data.group_id === groupId && document.getElementById("message-" + data.id);
    if (!li || li.classList.contains("is-hidden")) return;
    li.classList.add("is-hidden");
    li.querySelector(".chat-meta").appendChild(tag("Hidden by a moderator"));
  });
}
