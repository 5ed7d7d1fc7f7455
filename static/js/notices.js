/* Live notices on every page for a signed-in person, in the alert box under the header:
 * - a private message from a moderator, or Common Ground's check-in (`support_message`);
 * - a private notification about the person's account or their report (`notification`);
 * - for moderators and admins, escalation alerts (`escalation`), with a short sound for a crisis,
 *   and the review queue's live count in the navigation (`review_count`).
 *
 * Uses the chat's connection when the page has one (chat/main.js runs first), otherwise opens its
 * own. Text is set with textContent only. Everything here is also reachable without JavaScript:
 * the Support, Notifications and Review queue pages in the navigation.
 */

const box = document.querySelector(".live-notices");

function tone() {
  // A soft two-note chime. Browsers only allow sound after the person has interacted with the
  // page; if they haven't yet, the visible alert (and its screen-reader announcement) still stands.
  try {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    const ctx = tone.ctx || (tone.ctx = new Context());
    if (ctx.state === "suspended") ctx.resume();
    [0, 0.25].forEach(function (start, i) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = i ? 660 : 880;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime + start);
      gain.gain.exponentialRampToValueAtTime(0.2, ctx.currentTime + start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + start + 0.22);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + start);
      osc.stop(ctx.currentTime + start + 0.25);
    });
  } catch (e) { /* no sound; the alert is visible */ }
}

function show(kind, text, href, linkText) {
  const item = document.createElement("p");
  item.className = "live-notice live-notice-" + kind;
  item.appendChild(document.createTextNode(text + " "));
  if (href) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = linkText;
    item.appendChild(a);
    item.appendChild(document.createTextNode(" "));
  }
  const dismiss = document.createElement("button");
  dismiss.type = "button";
  dismiss.className = "link-button";
  dismiss.textContent = "Dismiss";
  dismiss.addEventListener("click", function () {
    item.remove();
    if (!box.children.length) box.hidden = true;
  });
  item.appendChild(dismiss);
  box.appendChild(item);
  box.hidden = false;
}

function escalationText(alert) {
  const where = alert.group ? " in " + alert.group.name : "";
  if (alert.kind === "follow_up") return "Check-in due: a day has passed since an escalation" + where + " was resolved.";
  const what = alert.level === "crisis" ? "Crisis alert: someone" + where + " may be at risk."
    : "Someone" + where + " may need a look.";
  return alert.kind === "again" ? "Still not acknowledged. " + what : what;
}

if (box && typeof window.io === "function") {
  const socket = window.commonGroundSocket || window.io();
  socket.on("support_message", function (message) {
    show("support", "You have a private message from " + (message && message.from ? message.from : "Common Ground") + ".",
      message && message.url ? message.url : "/support", "Read it");
  });
  socket.on("notification", function (note) {
    if (!note || typeof note.body !== "string") return;
    show("support", note.body, "/notifications", "See your notifications");
  });
  if (box.dataset.staff === "yes") {
    const count = document.getElementById("review-count");
    socket.on("review_count", function (data) {
      if (!count || !data || typeof data.count !== "number") return;
      count.textContent = String(data.count);
      count.dataset.count = String(data.count);
      count.hidden = data.count === 0;
    });
    socket.on("escalation", function (alert) {
      if (!alert || typeof alert.id !== "number") return;
      show(alert.level === "crisis" ? "crisis" : "concern", escalationText(alert), alert.url, "Open it now");
      if (alert.level === "crisis") tone();
    });
  }
}
