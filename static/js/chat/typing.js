/* "Alex is typing…": telling the room when we type (at most every few seconds), and showing
 * who else is typing for a few seconds after each of their signals. */

const TYPING_EVERY_MS = 3000;
const TYPING_SHOWN_MS = 4000;

/* options: socket, groupId, userId, typingLine (the element to write in), isJoined(). */
export function createTyping(options) {
  const socket = options.socket;
  const GROUP_ID = options.groupId;
  const USER_ID = options.userId;
  const typingLine = options.typingLine;
  const isJoined = options.isJoined;

  const typers = new Map(); // user id -> {name, timer}
  let lastTypingSent = 0;

  /* We typed `text` in the composer. */
  function typed(text) {
    const now = Date.now();
    if (socket.connected && isJoined() && text.trim() && now - lastTypingSent > TYPING_EVERY_MS) {
      lastTypingSent = now;
      socket.emit("typing", { group_id: GROUP_ID });
    }
  }

  function renderTypers() {
    const names = [];
    typers.forEach(function (t) { names.push(t.name); });
    if (!names.length) typingLine.textContent = "";
    else if (names.length === 1) typingLine.textContent = names[0] + " is typing…";
    else if (names.length === 2) typingLine.textContent = names[0] + " and " + names[1] + " are typing…";
    else typingLine.textContent = "Several people are typing…";
  }

  function clearTyper(userId) {
    const typer = typers.get(userId);
    if (!typer) return;
    window.clearTimeout(typer.timer);
    typers.delete(userId);
    renderTypers();
  }

  /* The room's "typing" event. */
  function someoneTyping(data) {
    if (!data || data.group_id !== GROUP_ID || !data.user || data.user.id === USER_ID) return;
    const userId = data.user.id;
    const typer = typers.get(userId);
    if (typer) window.clearTimeout(typer.timer);
    typers.set(userId, {
      name: data.user.name,
      timer: window.setTimeout(function () { clearTyper(userId); }, TYPING_SHOWN_MS),
    });
    renderTypers();
  }

  return { typed: typed, someoneTyping: someoneTyping, clearTyper: clearTyper };
}
