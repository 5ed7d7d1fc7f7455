"""linkify: member text is escaped, http(s) links become links marked as user content, lines stay."""
import pytest
from markupsafe import Markup

from community.chat.text import linkify


def test_escapes_html():
    out = linkify('<script>alert("hi")</script> & <b>bold</b>')
    assert isinstance(out, Markup)
    assert str(out) == "&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"


def test_link_gets_rel_and_new_tab():
    out = str(linkify("see https://example.org/games"))
    assert out == ('see <a href="https://example.org/games" rel="noopener nofollow ugc" target="_blank">'
                   "https://example.org/games</a>")


@pytest.mark.parametrize("text, url, after", [
    ("Link: http://example.org.", "http://example.org", "."),
    ("(see https://example.org/a)", "https://example.org/a", ")"),
    ("https://en.wikipedia.org/wiki/Go_(game), fun", "https://en.wikipedia.org/wiki/Go_(game)", ", fun"),
    ("https://example.org/?q=1&x=2!", "https://example.org/?q=1&amp;x=2", "!"),
    ("HTTPS://EXAMPLE.ORG/x", "HTTPS://EXAMPLE.ORG/x", ""),
])
def test_trailing_punctuation_stays_text(text, url, after):
    out = str(linkify(text))
    assert f'<a href="{url}" rel="noopener nofollow ugc" target="_blank">{url}</a>{after}' in out


def test_quotes_and_angle_brackets_end_a_link():
    out = str(linkify('"https://example.org/a"onmouseover=x <https://example.org/b>'))
    assert 'href="https://example.org/a"' in out
    assert 'href="https://example.org/b"' in out
    assert "</a>&#34;onmouseover=x &lt;<a " in out  # the rest stays escaped text
    assert out.count("<a ") == 2


@pytest.mark.parametrize("text", [
    "javascript:alert(1)", "ftp://example.org/file", "http://", "https:///path", "data:text/html,<b>x</b>",
    "www.example.org",
])
def test_only_http_links_with_a_host(text):
    assert "<a " not in str(linkify(text))


def test_newlines_become_line_breaks():
    assert str(linkify("one\r\ntwo\nhttps://example.org\nthree")) == (
        'one<br>\ntwo<br>\n<a href="https://example.org" rel="noopener nofollow ugc" target="_blank">'
        "https://example.org</a><br>\nthree"
    )


def test_none_and_empty():
    assert linkify(None) == Markup("")
    assert linkify("") == Markup("")


def test_result_is_safe_in_jinja(app):
    with app.app_context():
        rendered = app.jinja_env.from_string("{{ body | linkify }}").render(body="<i>x</i> https://a.org")
    assert rendered.startswith("&lt;i&gt;x&lt;/i&gt; <a href=\"https://a.org\"")
