"""Markdown for user texts: CommonMark without raw HTML, then sanitised with nh3 (links get rel=noopener)."""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")

_TAGS = {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
         "hr"}


def render_markdown(text: str | None) -> Markup:
    """Sanitised HTML for a Markdown text (images and raw HTML are not allowed)."""
    if not text:
        return Markup("")
    html = _md.render(text)
    # headings of user text never outrank the page's own headings
    for level in ("h1", "h2"):
        html = html.replace(f"<{level}>", "<h3>").replace(f"</{level}>", "</h3>")
    clean = nh3.clean(html, tags=_TAGS, attributes={"a": {"href", "title"}}, url_schemes={"http", "https", "mailto"},
                      link_rel="noopener noreferrer nofollow")
    return Markup(clean)
