"""Demo data: the real programmes of the network's history (closed, plus the Kommunalrichtlinie running until
2027), example calls with deadlines in the coming months, an interest mark and an example joint application.
Everything invented is flagged is_example ("Beispieldaten")."""

from datetime import date, timedelta

import sqlalchemy as sa

from network.accounts.models import User
from network.extensions import db
from network.funding import services
from network.funding.models import Application, FundingCall, berlin_today
from network.topics.models import FieldOfAction, Topic

#: public facts (shared/data/readi.md); checked_on is the day the facts were taken over
REAL = [
    {"title": "Digitale Zukunftskommune@bw", "funder": "land", "funder_name": "Land Baden-Württemberg",
     "summary": "Wettbewerb des Landes: 7,6 Mio. € insgesamt; Strategieförderung bis 45.000 €, Umsetzung bis "
                "100.000 €, bis zu vier Leuchtturmprojekte bis 1,1 Mio. €.",
     "eligibility": "Städte, Gemeinden und Landkreise in Baden-Württemberg", "joint_allowed": True,
     "max_amount": "1.100.000", "deadlines": [{"label": "Bewerbung", "due_on": date(2017, 12, 31)}],
     "field_names": ["Digitaler Kulturwandel in der Verwaltung"]},
    {"title": "Future Communities 2018", "funder": "land", "funder_name": "Land Baden-Württemberg (digital@bw)",
     "summary": "Förderaufruf der Digitalisierungsstrategie digital@bw.", "rate": "50", "max_amount": "100.000",
     "eligibility": "Kommunen in Baden-Württemberg; interkommunale Zusammenschlüsse sind antragsberechtigt.",
     "joint_allowed": True, "deadlines": [{"label": "Antrag", "due_on": date(2018, 7, 31)}],
     "field_names": ["Digitale Bürgerdienste"]},
    {"title": "Modellprojekte Smart Cities, 3. Staffel", "funder": "bund", "funder_name": "Bund",
     "summary": "65 % Zuschuss (90 % für Kommunen in Haushaltsnotlage); ein Verbund bewirbt sich über eine "
                "federführende Kommune.", "rate": "65", "joint_allowed": True,
     "eligibility": "Kommunen und interkommunale Verbünde (Antrag über eine federführende Kommune)",
     "deadlines": [{"label": "Bewerbung", "due_on": date(2021, 3, 14)}],
     "field_names": ["Infrastruktur und Standortentwicklung", "Nachhaltigkeit und Mobilität"]},
    {"title": "Kommunalrichtlinie (NKI)", "funder": "bund", "funder_name": "Bund (Nationale Klimaschutzinitiative)",
     "summary": "Förderung von Klimaschutzmaßnahmen in Kommunen; läuft bis 31.12.2027.", "joint_allowed": False,
     "eligibility": "Kommunen", "deadlines": [{"label": "Laufzeit der Richtlinie", "due_on": date(2027, 12, 31)}],
     "field_names": ["Nachhaltigkeit und Mobilität"]},
]


def _examples(today: date):
    """Invented calls with deadlines in the coming months."""
    return [
        {"title": "Beispiel: Interkommunale Digitalisierung 2027", "funder": "land",
         "funder_name": "Beispiel-Ministerium", "summary": "Beispieldaten: Zuschuss für gemeinsame digitale "
         "Verwaltungsleistungen mehrerer Kommunen.", "rate": "70", "min_amount": "50.000", "max_amount": "500.000",
         "eligibility": "Mindestens drei Kommunen im Verbund", "joint_allowed": True,
         "opens_on": today - timedelta(days=30),
         "deadlines": [{"label": "Interessenbekundung", "due_on": today + timedelta(days=20)},
                       {"label": "Vollantrag", "due_on": today + timedelta(days=75)}],
         "field_names": ["Digitale Bürgerdienste", "Digitaler Kulturwandel in der Verwaltung"],
         "topic_names": ["Online-Bürgerservice", "e-Akte"]},
        {"title": "Beispiel: Smarte Parkraumlösungen", "funder": "bund", "funder_name": "Beispiel-Bundesprogramm",
         "summary": "Beispieldaten: Sensorik und digitale Parkraumbewirtschaftung.", "rate": "60",
         "max_amount": "250.000", "joint_allowed": True, "opens_on": today - timedelta(days=10),
         "deadlines": [{"label": "Antrag", "due_on": today + timedelta(days=45)}],
         "field_names": ["Nachhaltigkeit und Mobilität"], "topic_names": ["Parkraummanagement", "E-Mobilität"]},
        {"title": "Beispiel: EU-Programm Digitale Regionen", "funder": "eu", "funder_name": "Beispiel-EU-Programm",
         "summary": "Beispieldaten: angekündigter Aufruf für offene Datenplattformen.", "rate": "50",
         "max_amount": "2.000.000", "joint_allowed": True, "opens_on": today + timedelta(days=14),
         "deadlines": [{"label": "Antrag", "due_on": today + timedelta(days=120)}],
         "field_names": ["Infrastruktur und Standortentwicklung"], "topic_names": ["Open-Data-Portal"]},
        {"title": "Beispiel: Stiftung Ehrenamt digital", "funder": "stiftung", "funder_name": "Beispiel-Stiftung",
         "summary": "Beispieldaten: Engagement-Plattformen für Vereine.", "max_amount": "30.000",
         "joint_allowed": False, "checked_on": today - timedelta(days=120),
         "deadlines": [{"label": "Antrag", "due_on": today + timedelta(days=60)}],
         "field_names": ["Bildung, Kultur, Ehrenamt"], "topic_names": ["Engagement-Plattform"]},
    ]


def _ids(model, names):
    if not names:
        return []
    return list(db.session.execute(sa.select(model.id).where(model.name.in_(names))).scalars())


def _user(email):
    return db.session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()


def seed() -> dict:
    """Idempotent: calls are matched by title. Runs in German (the CLI has no request to take a language from)."""
    from flask_babel import force_locale
    with force_locale("de"):
        return _seed()


def _seed() -> dict:
    from network.networks.models import NetworkRole
    coordinator = db.session.execute(sa.select(User).join(NetworkRole, NetworkRole.user_id == User.id)
                                     .order_by(User.id)).scalars().first()
    if coordinator is None:
        return {"funding_calls": 0}
    today = berlin_today()
    created = {"funding_calls": 0, "funding_applications": 0}
    calls = {}
    for spec, example in [(s, False) for s in REAL] + [(s, True) for s in _examples(today)]:
        existing = db.session.execute(sa.select(FundingCall).where(FundingCall.title == spec["title"])).scalar_one_or_none()
        if existing is not None:
            calls[spec["title"]] = existing
            continue
        data = {k: v for k, v in spec.items() if k not in ("field_names", "topic_names")}
        data.setdefault("checked_on", today)
        data.setdefault("source", "Beispieldaten der Demo" if example else "Öffentliche Angaben des Fördergebers")
        data["field_ids"] = _ids(FieldOfAction, spec.get("field_names"))
        data["topic_ids"] = _ids(Topic, spec.get("topic_names"))
        calls[spec["title"]] = services.create_call(coordinator, data, is_example=example)
        created["funding_calls"] += 1
    lead_ettlingen, lead_buehl = _user("lead@ettlingen.example"), _user("lead@buehl.example")
    lead_rastatt = _user("lead@rastatt.example")
    joint = calls.get("Beispiel: Interkommunale Digitalisierung 2027")
    parking = calls.get("Beispiel: Smarte Parkraumlösungen")
    if lead_buehl and parking is not None and services.own_interest(lead_buehl, parking) is None:
        services.set_interest(lead_buehl, parking, True, "Beispieldaten: passt zu unserem Parkleitsystem.")
    if lead_ettlingen and lead_buehl and lead_rastatt and joint is not None and not db.session.execute(
            sa.select(Application.id).where(Application.call_id == joint.id)).first():
        services.set_interest(lead_ettlingen, joint, True, "Beispieldaten")
        app_ = services.create_application(lead_ettlingen, joint, {
            "title": "Beispiel: Gemeinsames Bürgerportal Mittelbaden", "requested_amount": "350.000",
            "description": "Beispieldaten: Ettlingen beantragt federführend mit Bühl und Rastatt."}, is_example=True)
        services.update_application(lead_ettlingen, app_, {"status": "preparing"})
        services.invite_partner(lead_ettlingen, app_, lead_buehl.municipality_id)
        services.invite_partner(lead_ettlingen, app_, lead_rastatt.municipality_id)
        services.answer_invitation(lead_buehl, app_, "accept")
        services.set_share(lead_buehl, app_, "35.000", "Beispieldaten: Betrieb der Schnittstellen")
        services.set_share(lead_ettlingen, app_, "70.000", "Beispieldaten: Projektleitung")
        services.add_checklist_item(lead_ettlingen, app_, {"title": "Projektskizze abstimmen",
                                                           "due_on": today + timedelta(days=10)})
        services.add_checklist_item(lead_ettlingen, app_, {"title": "Kostenplan zusammenführen",
                                                           "municipality_id": lead_buehl.municipality_id,
                                                           "due_on": today + timedelta(days=40)})
        services.add_checklist_item(lead_buehl, app_, {"title": "Gemeinderatsbeschluss einholen",
                                                       "due_on": today + timedelta(days=60)})
        services.add_note(lead_ettlingen, app_, "Beispieldaten: Auftakttermin am nächsten Donnerstag.")
        created["funding_applications"] += 1
    db.session.flush()
    return created
