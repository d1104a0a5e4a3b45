"""Rich text that people write (messages, homework, notes, posts): one allow-list for all.

Every rich-text field is cleaned on the way in, by `clean_html`, and stored clean; templates
then show it with `|safe`. The allow-list is short on purpose: what a teacher needs to
format a message, nothing that runs, loads from elsewhere or restyles the page.
"""

import html
import re
from urllib.parse import urlsplit

import nh3
from django.utils.html import linebreaks

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li",
    "blockquote", "h2", "h3", "h4", "a", "img", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}
URL_SCHEMES = {"http", "https", "mailto"}
_LOOKS_LIKE_HTML = re.compile(r"<[a-zA-Z/!]")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # Images come from Préau only (an attachment or a document): no tracking pixel, no
    # mixed content, nothing loaded from outside the school's perimeter.
    if tag == "img" and attribute == "src":
        return value if value.startswith("/") and not value.startswith("//") else None
    return value


def clean_html(text: str) -> str:
    """Clean HTML from an editor, or turn plain text (no tags at all) into paragraphs."""
    text = (text or "").strip()
    if not text:
        return ""
    if not _LOOKS_LIKE_HTML.search(text):
        return linebreaks(text, autoescape=True)
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_attribute_filter,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def plain_text(clean: str, limit: int | None = None) -> str:
    """The words of clean HTML, for search, e-mails and previews."""
    words = html.unescape(nh3.clean(clean or "", tags=set())).split()
    text = " ".join(words)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def external_links(clean: str, site_host: str = "") -> list[str]:
    """The links of clean HTML that leave Préau, so that readers can be warned of them."""
    links = []
    for href in re.findall(r'href="([^"]+)"', clean or ""):
        href = html.unescape(href)
        host = urlsplit(href).hostname
        if host and host != site_host:
            links.append(href)
    return links
