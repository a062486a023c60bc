"""Markdown for user-written texts: CommonMark (markdown-it-py, tables, strikethrough) without raw HTML or
images, sanitised with nh3."""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

#: the tags a rendered text may contain; everything else is stripped by nh3
ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "del", "s",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}

_md = (MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
       .enable(["table", "strikethrough"]).disable("image"))


def _shift_headings(html: str) -> str:
    # a page already has h1/h2; a heading written as "# Titel" in a text becomes h3 at most
    for level in range(6, 0, -1):
        target = min(6, level + 2)
        html = html.replace(f"<h{level}>", f"<h{target}>").replace(f"</h{level}>", f"</h{target}>")
    return html


def render_markdown(text: str | None) -> Markup:
    """Render Markdown to safe HTML: no raw HTML, no images, only http(s)/mailto links (rel="nofollow noopener")."""
    if not text:
        return Markup("")
    html = _shift_headings(_md.render(text))
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
    return Markup(clean)
