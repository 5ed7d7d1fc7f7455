/* sessionStorage for the chat: the last message id seen in this tab, and messages not yet sent. */

export function store(key, value) {
  try {
    if (value === null) window.sessionStorage.removeItem(key);
    else window.sessionStorage.setItem(key, JSON.stringify(value));
  } catch (e) { /* private mode or full: memory is enough */ }
}

export function load(key) {
  try {
    const raw = window.sessionStorage.getItem(key);
    return raw === null ? null : JSON.parse(raw);
  } catch (e) { return null; }
}
