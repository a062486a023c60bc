"""_() in templates looks the translations up once per request and locale (core.templating, issue #17), and still
follows the locale: the request's, a forced one (mails in the recipient's language), then the request's again."""

from flask import render_template_string
from flask_babel import force_locale, gettext

TEMPLATE = '{{ _("Förderradar") }}|{{ ngettext("%(num)s Thema ist ohne Federführung.", ' \
    '"%(num)s Themen sind ohne Federführung.", 2) }}'


def _expected(lang):
    with force_locale(lang):
        return gettext("Förderradar")


def test_template_translations_follow_forced_locales_within_one_request(app):
    with app.test_request_context():
        with force_locale("de"):
            german = render_template_string(TEMPLATE)
        english_word = _expected("en")
        assert german == "Förderradar|2 Themen sind ohne Federführung."
        assert english_word != "Förderradar"
        with force_locale("en"):
            english = render_template_string(TEMPLATE)
        assert english.split("|")[0] == english_word
        assert "Federführung" not in english
        with force_locale("de"):  # back: not the English translations cached before
            assert render_template_string(TEMPLATE) == german


def test_each_request_reads_its_own_language(client, login_as, staff_a):
    login_as(staff_a)
    client.post("/sprache", data={"lang": "en"})
    english = client.get("/foerderung/").get_data(as_text=True)
    client.post("/sprache", data={"lang": "de"})
    german = client.get("/foerderung/").get_data(as_text=True)
    assert _radar_title(german) == "Förderradar"
    assert _radar_title(english) != "Förderradar"


def _radar_title(html):
    start = html.index('<h1 class="kern-heading-large">') + len('<h1 class="kern-heading-large">')
    return html[start:html.index("</h1>", start)]
