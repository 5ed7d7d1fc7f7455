/* The question-round card on the group page, kept live: the server sends a `round` event to the
 * group's room after every change (a new turn, the round ending), and this shows the question,
 * whose turn it is, and the Pass button to the member whose turn it is, and only to them.
 *
 * Pass goes over the socket when connected (`round_pass`, answered with an ack); otherwise the
 * form posts as it would without JavaScript. Text is only ever set with textContent.
 */

const ACK_TIMEOUT_MS = 10000;

/* options: panel (#group-round), socket, groupId, userId, announce(text) */
export function attachRounds(options) {
  const panel = options.panel;
  if (!panel) return;
  const socket = options.socket;
  const groupId = options.groupId;
  const userId = options.userId;
  const none = panel.querySelector(".round-none");
  const open = panel.querySelector(".round-open");
  const question = panel.querySelector(".round-question");
  const turn = panel.querySelector(".round-turn");
  const passForm = panel.querySelector(".round-pass");
  const passButton = passForm.querySelector("button");
  let error = null;

  function say(text) {
    if (!error) {
      error = document.createElement("p");
      error.className = "field-error round-error";
      error.setAttribute("role", "alert");
      passForm.after(error);
    }
    error.textContent = text;
  }

  function show(state) {
    if (error) error.textContent = "";
    if (!state.open) {
      none.hidden = false;
      open.hidden = true;
      passForm.hidden = true;
      return;
    }
    none.hidden = true;
    open.hidden = false;
    question.textContent = state.question;
    const mine = state.current && state.current.id === userId;
    if (mine) {
      turn.textContent = "It's your turn. Answer in the chat whenever you're ready, or pass: either is fine.";
    } else {
      turn.textContent = state.current ? "It's " + state.current.name + "'s turn." : "";
    }
    const wasMine = !passForm.hidden;
    passForm.hidden = !mine;
    if (mine && !wasMine) options.announce("It's your turn in the question round. You can answer or pass.");
  }

  options.socket.on("round", function (state) {
    if (state && state.group_id === groupId) show(state);
  });

  passForm.addEventListener("submit", function (event) {
    if (!socket.connected) return; // the page posts the form instead
    event.preventDefault();
    passButton.disabled = true;
    socket.timeout(ACK_TIMEOUT_MS).emit("round_pass", { group_id: groupId }, function (err, ack) {
      passButton.disabled = false;
      if (err || !ack) {
        say("That didn't go through. Please try again in a moment.");
      } else if (!ack.ok) {
        say(ack.error || "That didn't go through.");
      } else {
        options.announce("Thanks. Over to the next person.");
        turn.setAttribute("tabindex", "-1");
        turn.focus(); // the button that had focus is gone: keep keyboard users in the card
        if (!passForm.hidden) { // the `round` event (which brings the next name) hasn't come yet
          passForm.hidden = true;
          turn.textContent = "Thanks. Over to the next person.";
        }
      }
    });
  });
}
