"""Start page (public) and dashboard (logged in), audit log, language switch, health check."""

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from network.accounts.forms import EmptyForm
from network.accounts.models import User
from network.core.audit import describe
from network.core.forms import safe_next
from network.core.hooks import panel_values, waiting_items
from network.core.models import AuditEvent
from network.core.permissions import can
from network.extensions import db
from network.core.tenancy import network_audit_clause
from network.municipalities.models import Municipality
from network.municipalities.services import member_count

bp = Blueprint("main", __name__)

PAGE_SIZE = 50


@bp.route("/")
def index():
    """Public start page: per network (the first START_NETWORKS) who leads which topic, its latest public practices
    and when it meets next, a few items each with a link to the network's page; how many cities take part (the
    cities themselves are paged on /kommunen/); for members a dashboard: first one ordered list of what waits for the user (every domain's
    register_waiting sources), then the next steps of setting up, then the domains' panels."""
    if not current_user.is_authenticated:
        from network.networks.reading import START_NETWORKS, start_overview
        from network.networks.services import all_networks, member_counts
        networks = all_networks(page=1, per_page=START_NETWORKS)
        ids = [n.id for n in networks.items]
        return render_template("main/index.html", city_count=member_count(), networks=networks.items,
                               counts=member_counts(ids), overview=start_overview(ids),
                               more_networks=networks.has_next)
    steps = []
    city = current_user.municipality
    # the page's own counts and the small values of the panels and waiting sources (core.hooks.panel_values) in
    # one statement (issue #17)
    own = {"cities": sa.select(sa.func.count(Municipality.id).label("members")).where(Municipality.status == "member")}
    manages = city is not None and can(current_user, "user.manage", city)
    if manages:
        own["accounts"] = sa.select(
            sa.func.count(User.id).label("staff"),
            sa.func.count(sa.case((sa.and_(User.password_hash.is_(None), User.active.is_(True)), User.id)))
            .label("pending")).where(User.municipality_id == city.id)
    known = panel_values("dashboard", current_user, own)
    if manages:
        staff, pending = known["accounts.staff"], known["accounts.pending"]
        if staff <= 1:
            steps.append(("invite", url_for("municipalities.users", slug=city.slug)))
        if pending:
            steps.append(("pending", url_for("municipalities.users", slug=city.slug), pending))
        if not city.website:
            steps.append(("website", url_for("municipalities.edit", slug=city.slug)))
    if current_user.is_coordinator:
        steps.append(("admit", url_for("municipalities.new")))
    return render_template("main/dashboard.html", city_count=known["cities.members"], city=city, steps=steps,
                           waiting=waiting_items(current_user, known), known=known)


@bp.route("/protokoll")
@login_required
def audit():
    """Audit log: the platform administration sees the installation, coordinators their network, a lead their
    own city."""
    if can(current_user, "audit.view_installation"):
        stmt = sa.select(AuditEvent)
    elif can(current_user, "audit.view_all"):
        stmt = sa.select(AuditEvent).where(network_audit_clause(current_user))
    elif can(current_user, "audit.view_city", current_user.municipality) and current_user.municipality_id:
        stmt = sa.select(AuditEvent).where(AuditEvent.municipality_id == current_user.municipality_id)
    else:
        abort(403)
    action = request.args.get("aktion", "").strip()[:80]
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action, autoescape=True))
    try:
        page = max(1, min(int(request.args.get("seite", 1)), 10_000))
    except ValueError:
        page = 1
    rows = db.session.execute(
        stmt.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).scalars().all()
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return render_template("audit/list.html", rows=rows, sentences=describe(rows, current_user), page=page,
                           has_next=has_next, action=action)


@bp.route("/sprache", methods=["POST"])
def language():
    """Switch the UI language (stored in the profile when logged in)."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    lang = request.form.get("lang")
    if lang not in ("de", "en"):
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated and current_user.language != lang:
        from network.accounts.services import update_profile
        update_profile(current_user, name=current_user.name, language=lang)
    return redirect(safe_next(request.form.get("next")))


@bp.route("/healthz")
def health():
    """Liveness and dependency check for load balancers: 200, or 503 naming what is down."""
    from network.core.health import health_response
    return health_response()
