"""Text contrast meets WCAG AA on every page, measured on what Chromium actually renders."""
import pytest

from tests.support import PASSWORD

pytestmark = pytest.mark.browser

# For each element with its own text: its colour against the first opaque background behind it.
CONTRAST_SCRIPT = """
() => {
  const parse = c => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] === 1) return c;
    }
    return [255, 255, 255];
  };
  const failures = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    if (!own || style.visibility === 'hidden' || el.offsetParent === null && style.position !== 'fixed') continue;
    if (el.closest('.visually-hidden, .skip-link')) continue;
    const fg = lum(parse(style.color)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) failures.push(`${el.tagName} "${el.textContent.trim().slice(0, 40)}" ${ratio.toFixed(2)}`);
  }
  return failures;
}
"""


def assert_contrast(page, path):
    failures = page.evaluate(CONTRAST_SCRIPT)
    assert failures == [], f"{path}: {failures}"


def test_contrast_on_public_and_member_pages(live_server, page):
    for path in ("/", "/login", "/resources", "/about"):
        page.goto(live_server + path)
        assert_contrast(page, path)

    page.goto(live_server + "/register")
    page.click("button[type=submit]")  # an empty form: the error summary and messages show
    assert_contrast(page, "/register with errors")

    page.fill("#display_name", "Sam")
    page.fill("#email", "sam@example.org")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/welcome/interests")
    for step in ("interests", "where", "when", "pace", "private", "sharing", "consent"):
        page.goto(f"{live_server}/welcome/{step}")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert_contrast(page, step)
    for path in ("/home", "/profile"):
        page.goto(live_server + path)
        assert_contrast(page, path)
