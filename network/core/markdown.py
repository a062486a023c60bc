"""Markdown for user texts: CommonMark (tables, strikethrough) without raw HTML or images, sanitised with nh3."""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = (MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
       .enable("table").enable("strikethrough").disable("image"))

_TAGS = {"p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "h5",
         "h6", "hr", "table", "thead", "tbody", "tr", "th", "td"}


def render_markdown(text: str | None) -> Markup:
    """Sanitised HTML for a Markdown text (no scripts, styles, images or raw HTML)."""
    if not text:
        return Markup("")
    html = _md.render(text)
    # headings of user text never outrank the page's own headings
    for level in ("h1", "h2"):
        html = html.replace(f"<{level}>", "<h3>").replace(f"</{level}>", "</h3>")
    clean = nh3.clean(html, tags=_TAGS, attributes={"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
    return Markup(clean)
