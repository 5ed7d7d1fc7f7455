/* The composer: Enter sends, Shift+Enter starts a new line; a message too short or too long
 * gets a plain word instead of being sent. */

import { newClientId } from "./pending.js";

const MAX_BODY = 2000;

/* options: form, textarea, composerError, pending (from createPending), typing (from
 * createTyping), scrollToBottom(smooth). */
export function wireComposer(options) {
  const form = options.form;
  const textarea = options.textarea;
  const composerError = options.composerError;
  const pending = options.pending;
  const typing = options.typing;
  const scrollToBottom = options.scrollToBottom;

  function submit() {
    composerError.textContent = "";
    const body = textarea.value.trim();
    if (!body) {
      composerError.textContent = "Write something first, even a short hello.";
      return;
    }
    if (body.length > MAX_BODY) {
      composerError.textContent = "That's " + body.length + " characters; the most is " + MAX_BODY +
        ". Could you split it in two?";
      return;
    }
    const clientId = newClientId();
    pending.add(clientId, body, "waiting");
    textarea.value = "";
    scrollToBottom(true);
    pending.send(clientId);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });

  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      submit();
    }
  });

  textarea.addEventListener("input", function () {
    composerError.textContent = "";
    typing.typed(textarea.value);
  });
}
