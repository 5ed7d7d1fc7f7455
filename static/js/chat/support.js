/* The support card: shown when the writer's message (or the draft they're typing) sounds like
 * they may be in crisis. The card itself is server-rendered in the page (hidden), so its words and
 * links are the same as everywhere else; this only shows it, moves focus to it, and checks drafts.
 *
 * The draft check is debounced, sent only while connected, and never stored or logged by the
 * server. It shows the card at most once per page unless the writer closes it and types again.
 */

const DRAFT_PAUSE_MS = 1200;
const DRAFT_MIN_LENGTH = 8;

/* options: card (the hidden section), socket, groupId, textarea */
export function createSupport(options) {
  const card = options.card;
  const socket = options.socket;
  const textarea = options.textarea;
  let timer = null;
  let lastChecked = "";

  function show() {
    if (!card) return;
    const wasHidden = card.hidden;
    card.hidden = false;
    if (wasHidden) {
      const heading = card.querySelector("h2, h3");
      (heading || card).focus({ preventScroll: false });
    }
  }

  if (card) {
    const close = card.querySelector(".support-close");
    if (close) close.addEventListener("click", function () {
      card.hidden = true;
      textarea.focus();
    });
  }

  socket.on("crisis_support", show);

  function checkDraft() {
    const body = textarea.value.trim();
    if (body.length < DRAFT_MIN_LENGTH || body === lastChecked || !socket.connected || !card || !card.hidden) return;
    lastChecked = body;
    socket.timeout(5000).emit("check_draft", { group_id: options.groupId, body: body }, function (err, ack) {
      if (!err && ack && ack.ok && ack.support) show();
    });
  }

  textarea.addEventListener("input", function () {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(checkDraft, DRAFT_PAUSE_MS);
  });

  return { show: show };
}
