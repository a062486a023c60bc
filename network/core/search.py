"""German text analysis for full-text search, shared by SQLite (FTS5) and PostgreSQL.

Both databases match on the same Python-made terms, so that one query gives the same hits on both:
a text is lower-cased, umlauts are folded (ä→a, ö→o, ü→u, ß→ss; "Köln" and "koln" meet, "Straße" and
"Strasse" too), split into words, stop words dropped and every word reduced by the German Snowball
stemmer ("Fahrräder" and "Fahrrad" → "fahrrad"). The stored term string is " t1 t2 … | b1 b2 … "
(title terms, a bar, body terms).

A query is parsed here, never handed to a database's query language: words, "phrases in quotes" and
-exclusions become a list of clauses whose only characters are a-z, 0-9 and spaces. Each clause is a
substring pattern: a word of at least MIN_INFIX letters matches inside a longer word (the compound part
"Beteiligung" finds "Bürgerbeteiligung"), a shorter word or a phrase only as whole words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

#: a stemmed query word this long or longer also matches inside compound words
MIN_INFIX = 4
#: at most this many clauses are used from one query
MAX_CLAUSES = 12
MAX_QUERY_CHARS = 300

_FOLD_PAIRS = (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "ss"), ("ẞ", "ss"))
_WORD = re.compile(r"[a-z0-9]+")
#: frequent German function words; they never become terms (the same list on both databases)
STOPWORDS = frozenset("""
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch auf aus
bei bin bis bist da damit dann das dass dein deine dem den der des dessen dich die dies diese diesem diesen
dieser dieses dir doch dort du durch ein eine einem einen einer eines er es etwas euch euer eure fur hab
habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre im in indem ins ist jede jedem jeden
jeder jedes jene jetzt kann kein keine mich mir mit muss nach nicht nichts noch nun nur ob oder ohne sehr
sein seine sich sie sind so solche soll sondern um und uns unser unter vom von vor war waren was weil welche
wenn wer werden wie wir wird wo zu zum zur uber
""".split())

_stemmer = snowballstemmer.stemmer("german")


def fold(text: str) -> str:
    """Lower case, umlauts folded, other accents removed (é→e)."""
    text = text or ""
    if text.isascii():  # nothing to normalise or fold (most words): the same result, much cheaper
        return text.lower()
    text = unicodedata.normalize("NFC", text).lower()
    for umlaut, plain in _FOLD_PAIRS:  # str.replace runs in C; translate() with a table is per character
        if umlaut in text:
            text = text.replace(umlaut, plain)
    if text.isascii():  # German text: the umlauts were all there was to fold
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """The folded words of a text, stop words included (for phrases and snippets)."""
    return _WORD.findall(fold(text))


def terms(text: str) -> list[str]:
    """The stemmed terms of a text, without stop words."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def term_string(title: str, body: str) -> str:
    """What the index stores: " title terms | body terms " (the bar stops phrases across the two)."""
    return " " + " ".join(terms(title)) + " | " + " ".join(terms(body)) + " "


@dataclass(frozen=True)
class Clause:
    #: the stemmed words, in order
    stems: tuple[str, ...]
    #: True for an exclusion (-word, -"a phrase")
    negated: bool = False

    @property
    def infix(self) -> bool:
        return len(self.stems) == 1 and len(self.stems[0]) >= MIN_INFIX

    def pattern(self) -> str:
        """The substring every matching term string contains (only a-z, 0-9 and spaces)."""
        joined = " ".join(self.stems)
        return joined if self.infix else f" {joined} "

    def matches(self, term_str: str) -> bool:
        return self.pattern() in term_str


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    #: the query had words, but only stop words: it matches nothing (not everything)
    nothing: bool = False

    @property
    def positive(self) -> list[Clause]:
        return [c for c in self.clauses if not c.negated]

    @property
    def negative(self) -> list[Clause]:
        return [c for c in self.clauses if c.negated]

    @property
    def empty(self) -> bool:
        return not self.clauses

    def highlight_stems(self) -> list[Clause]:
        return self.positive

    def websearch_text(self) -> str:
        """The positive words, each quoted, for PostgreSQL's websearch_to_tsquery (ranking only)."""
        return " ".join('"' + " ".join(c.stems) + '"' for c in self.positive)


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


def parse_query(raw: str | None) -> ParsedQuery:
    """Words, "phrases" and -exclusions; everything else (operators, brackets, SQL) is just text."""
    raw = (raw or "")[:MAX_QUERY_CHARS]
    out = ParsedQuery()
    seen = set()
    for m in _TOKEN.finditer(raw):
        neg = bool(m.group(1) or m.group(3))
        text = m.group(2) if m.group(2) is not None else m.group(4)
        if m.group(2) is None and text.startswith("-"):
            text = text.lstrip("-")
        ws = words(text)
        # a phrase, or a bare token such as "E-Akte" that splits into several words: adjacent terms
        # (stop words are not indexed, so they are skipped here as well)
        stems = tuple(stem(w) for w in ws if w not in STOPWORDS)
        clauses = [Clause(stems, neg)] if stems else []
        for c in clauses:
            if c not in seen and len(out.clauses) < MAX_CLAUSES:
                seen.add(c)
                out.clauses.append(c)
    if not out.positive and words(raw.replace("-", " ")) and not out.negative:
        out.nothing = True
    return out


def highlight(text: str, query: ParsedQuery, *, width: int = 30) -> tuple[str, list[tuple[int, int]]] | None:
    """A window of about `width` words of `text` around the first hit, with the (start, end) character
    ranges to mark. None when nothing matches."""
    if not text:
        return None
    # most texts of a hit do not hold the words (they are in another section): one look at the whole text's terms
    # first, the word-by-word work below only where they occur
    whole = " " + " ".join(stem(w) for w in words(text)) + " "
    if not any(c.stems[0] in whole if c.infix else " " + " ".join(c.stems) + " " in whole
               for c in query.positive):
        return None
    tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\w+", text)]
    if not tokens:
        return None
    folded = [fold(t[2]) for t in tokens]
    stems = [stem(f) for f in folded]
    marks: set[int] = set()
    for clause in query.positive:
        n = len(clause.stems)
        if clause.infix:
            for i, s in enumerate(stems):
                if clause.stems[0] in s:
                    marks.add(i)
        else:
            for i in range(len(stems) - n + 1):
                if tuple(stems[i:i + n]) == clause.stems:
                    marks.update(range(i, i + n))
    if not marks:
        return None
    first = min(marks)
    lo = max(0, first - width // 3)
    hi = min(len(tokens), lo + width)
    start = tokens[lo][0]
    end = tokens[hi - 1][1]
    window = text[start:end]
    ranges = [(tokens[i][0] - start, tokens[i][1] - start) for i in sorted(marks) if lo <= i < hi]
    prefix = "… " if lo > 0 else ""
    suffix = " …" if hi < len(tokens) else ""
    return prefix + window + suffix, [(a + len(prefix), b + len(prefix)) for a, b in ranges]
