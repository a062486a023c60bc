"""Applications, reading: who may see one, its members, workspace and invitations; the access checks of writes."""

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from network.core.permissions import can, require
from network.core.validation import ValidationFailed
from network.extensions import db
from network.funding.models import Application, ApplicationEvent, ApplicationMember, ApplicationNote, ChecklistItem
from network.funding.services._common import SEEING
from network.municipalities.models import Municipality

def get_application_or_404(user, application_id) -> Application:
    """An application the user may see: its cities (lead, invited or accepted partners) and the coordination."""
    require(user, "funding.view")
    app_ = db.session.get(Application, application_id)
    if app_ is None or not may_see_application(user, app_):
        abort(404)
    return app_


def may_see_application(user, app_: Application) -> bool:
    if can(user, "funding.manage"):
        return True
    city_id = getattr(user, "municipality_id", None)
    return city_id is not None and any(m.municipality_id == city_id and m.status in SEEING for m in app_.members)


def membership(user, app_: Application) -> ApplicationMember | None:
    city_id = getattr(user, "municipality_id", None)
    return next((m for m in app_.members if m.municipality_id == city_id), None) if city_id else None


def applications_for(user) -> list[Application]:
    """Applications the user's city takes part in (or all, for the coordination)."""
    require(user, "funding.view")
    stmt = sa.select(Application).order_by(Application.updated_at.desc(), Application.id.desc())
    if not can(user, "funding.manage"):
        city_id = getattr(user, "municipality_id", None)
        if city_id is None:
            return []
        stmt = stmt.where(Application.id.in_(sa.select(ApplicationMember.application_id).where(
            ApplicationMember.municipality_id == city_id, ApplicationMember.status.in_(SEEING))))
    return db.session.execute(stmt).scalars().all()


def application_workspace(app_: Application) -> dict:
    """Checklist, notes and timeline of an application."""
    items = db.session.execute(sa.select(ChecklistItem).where(ChecklistItem.application_id == app_.id)
                               .order_by(ChecklistItem.done, sa.case((ChecklistItem.due_on.is_(None), 1), else_=0),
                                         ChecklistItem.due_on, ChecklistItem.id)).scalars().all()
    notes = db.session.execute(sa.select(ApplicationNote).where(ApplicationNote.application_id == app_.id)
                               .order_by(ApplicationNote.created_at.desc(), ApplicationNote.id.desc())).scalars().all()
    events = db.session.execute(sa.select(ApplicationEvent).where(ApplicationEvent.application_id == app_.id)
                                .order_by(ApplicationEvent.created_at.desc(), ApplicationEvent.id.desc())
                                ).scalars().all()
    return {"checklist": items, "notes": notes, "events": events}


def invitable_cities(app_: Application):
    """Member cities that are not (or no longer: declined) in the application."""
    taken = {m.municipality_id for m in app_.members if m.status != "declined"}
    cities = db.session.execute(sa.select(Municipality).where(Municipality.status == "member")
                                .order_by(Municipality.name)).scalars().all()
    return [c for c in cities if c.id not in taken]


def pending_invitations(user) -> list[ApplicationMember]:
    """Invitations of the user's city that a lead still has to answer."""
    city_id = getattr(user, "municipality_id", None)
    if city_id is None or not can(user, "funding.apply"):
        return []
    return db.session.execute(
        sa.select(ApplicationMember).where(ApplicationMember.municipality_id == city_id,
                                           ApplicationMember.status == "invited")
        # the lists show the application and its lead city, not the call (nor the call's selectin loads)
        .options(sa.orm.joinedload(ApplicationMember.application).lazyload(Application.call))
        .order_by(ApplicationMember.created_at)
    ).scalars().all()


# --- access checks and the timeline, shared by the writing modules ---------------------------

def _event(app_, action, actor, detail="", city_id=None):
    """One line on the application's timeline (by default in the actor's city's name)."""
    if city_id is None:
        city_id = getattr(actor, "municipality_id", None)
    db.session.add(ApplicationEvent(application_id=app_.id, action=action, actor_id=getattr(actor, "id", None),
                                    municipality_id=city_id, detail=detail[:500]))


def _require_lead_city(actor, app_: Application) -> None:
    """Only a lead of the lead applicant city: partners (and the coordination) get 403."""
    require(actor, "funding.apply")
    if getattr(actor, "municipality_id", None) != app_.municipality_id:
        raise ValidationFailed({"status": _("Nur die Leitung der antragstellenden Kommune kann das ändern.")},
                               status=403)


def _require_active_member(actor, app_: Application, permission="funding.apply") -> ApplicationMember:
    require(actor, permission)
    member = membership(actor, app_)
    if member is None or member.status != "accepted":
        raise ValidationFailed({"member": _("Das geht erst, wenn Ihre Kommune beim Antrag dabei ist.")}, status=403)
    return member


def _fmt_amount(value) -> str:
    return "–" if value is None else f"{value:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")
