"""Chat text for pages: everything escaped, web links made clickable, line breaks kept.

The browser does the same in static/js/chat/messages.js (same URL rule), so a message looks alike live
and in the transcript. Links carry rel="noopener nofollow ugc": members wrote them, not us.
"""
import re

from markupsafe import Markup, escape

# http(s) up to whitespace or a character that can't be part of a bare URL in prose.
URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
# Sentence punctuation after a link belongs to the sentence, not the link.
TRAILING = ".,;:!?*"
LINK_REL = "noopener nofollow ugc"


def split_url(candidate: str) -> tuple[str, str]:
    """(the link, the text after it): trailing punctuation and unbalanced ')' stay as text."""
    url = candidate
    while url:
        if url[-1] in TRAILING:
            url = url[:-1]
        elif url[-1] == ")" and url.count(")") > url.count("("):
            url = url[:-1]
        else:
            break
    return url, candidate[len(url):]


def _has_host(url: str) -> bool:
    rest = url.split("://", 1)[1]
    return bool(rest) and rest[0] not in "/?#"


def _text(part: str) -> Markup:
    return escape(part).replace("\n", Markup("<br>\n"))


def linkify(text) -> Markup:
    """Escape `text`, wrap http(s) URLs in <a>, keep newlines as <br>. Safe for |linkify in Jinja."""
    text = "" if text is None else str(text).replace("\r\n", "\n")
    out = Markup("")
    position = 0
    for match in URL.finditer(text):
        url, after = split_url(match.group())
        if not _has_host(url):
            continue
        out += _text(text[position:match.start()])
        out += Markup('<a href="{0}" rel="{1}" target="_blank">{0}</a>').format(url, LINK_REL)
        out += _text(after)
        position = match.end()
    return out + _text(text[position:])
