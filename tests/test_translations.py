"""The English catalog covers every German UI string, and its placeholders match.

The strings are extracted from the source tree with Babel's own API, using the
method map in babel.cfg and the keywords of `make extract-messages`, so a new
`_()`, `_l()`, `lazy_gettext()` or `ngettext()` without an English translation
fails here instead of showing up in German on the English UI.
"""

import os
import re
from collections import Counter

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BABEL_CFG = os.path.join(ROOT, "babel.cfg")
CATALOG = os.path.join(ROOT, "network", "translations", "en", "LC_MESSAGES", "messages.po")

#: same as `pybabel extract -k _l -k lazy_gettext` (the -k options add to the defaults)
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}

#: %(name)s, %(n)d, … – the conversion type counts, a translation must not turn %(n)s into %(n)d
PLACEHOLDER = re.compile(r"%\(([^)]+)\)[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]")

HOW_TO_FIX = ("Run `make extract-messages`, then translate the listed msgids in "
              "network/translations/en/LC_MESSAGES/messages.po (remove `#, fuzzy` once checked) "
              "and run `make translations`.")


def _method_map():
    with open(BABEL_CFG, encoding="utf-8") as f:
        try:
            from babel.messages.frontend import parse_mapping_cfg
            method_map, options_map = parse_mapping_cfg(f, filename=BABEL_CFG)
        except ImportError:  # Babel < 2.14
            from babel.messages.frontend import parse_mapping
            method_map, options_map = parse_mapping(f)
    return method_map, options_map


def _directory_filter(method_map):
    # only walk the top-level folders that babel.cfg maps (not node_modules, .venv, build, …);
    # unlike pybabel's default this does not skip folders starting with "_" such as templates/_macros,
    # whose strings are rendered on every form page
    roots = {pattern.split("/", 1)[0] for pattern, _method in method_map}

    def keep(dirpath):
        rel = os.path.relpath(dirpath, ROOT).replace(os.sep, "/")
        name = os.path.basename(dirpath)
        return rel.split("/", 1)[0] in roots and not name.startswith(".") and name != "__pycache__"

    return keep


@pytest.fixture(scope="module")
def extracted():
    """{(msgid, context): ["file:line", …]} for every message in the source tree."""
    method_map, options_map = _method_map()
    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS,
            directory_filter=_directory_filter(method_map)):
        msgid = message[0] if isinstance(message, (list, tuple)) else message
        if msgid:
            found.setdefault((msgid, context), []).append(f"{filename}:{lineno}")
    assert found, "no messages extracted – is babel.cfg correct?"
    return found


@pytest.fixture(scope="module")
def catalog():
    with open(CATALOG, "rb") as f:
        return read_po(f, locale="en")


def _strings(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def test_every_ui_string_has_an_english_translation(extracted, catalog):
    problems, underscore_dirs = [], set()
    for (msgid, context), where in sorted(extracted.items(), key=lambda item: item[1][0]):
        message = catalog.get(msgid, context)
        if message is None:
            problem = "missing from the catalog"
            underscore_dirs.update(d for d in os.path.dirname(where[0]).split("/") if d.startswith("_"))
        elif message.fuzzy:
            problem = "marked fuzzy"
        elif not all(s.strip() for s in _strings(message.string)):
            problem = "not translated"
        else:
            continue
        problems.append(f"  {where[0]}: {msgid!r} – {problem}")
    hint = ""
    if underscore_dirs:
        hint = ("\nNote: without --ignore-dirs, pybabel extract skips folders starting with \"_\" ("
                + ", ".join(sorted(underscore_dirs)) + "); the extract command needs "
                "--ignore-dirs='.* __pycache__'.")
    assert not problems, (f"{len(problems)} German UI string(s) lack an English translation:\n"
                          + "\n".join(problems) + "\n" + HOW_TO_FIX + hint)


def test_translations_keep_the_placeholders(catalog):
    problems = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = _strings(message.id)
        for i, translation in enumerate(_strings(message.string)):
            if not translation:
                continue
            source = ids[min(i, len(ids) - 1)]
            want = Counter(m.group(0) for m in PLACEHOLDER.finditer(source))
            got = Counter(m.group(0) for m in PLACEHOLDER.finditer(translation))
            if want != got:
                problems.append(f"  {ids[0]!r}: expected {sorted(want.elements())}, "
                                f"got {sorted(got.elements())} in {translation!r}")
    assert not problems, ("English translations whose %(name)s placeholders differ from the msgid "
                          "(a missing or renamed placeholder raises KeyError at runtime):\n"
                          + "\n".join(problems))
