"""Revisions: the list with the differences, restoring an older one."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.practices import services
from network.practices.forms import ActionForm
from network.practices.views import _submitted, bp
from network.practices.views.page import practice_action


@bp.route("/<int:practice_id>/versionen")
@login_required
def revisions(practice_id):
    """All revisions of a practice; two chosen ones side by side."""
    practice = services.get_practice_or_404(current_user, practice_id)
    revs = services.revisions(practice)
    diff, left, right = None, None, None
    a, b = request.args.get("a", ""), request.args.get("b", "")
    if a and b:
        if not (a.isdigit() and b.isdigit()):
            abort(404)
        left = services.get_revision_or_404(practice, int(a))
        right = services.get_revision_or_404(practice, int(b))
        diff = services.compare(left, right)
    elif len(revs) >= 2:
        left, right = revs[1], revs[0]
        diff = services.compare(left, right)
    return render_template("practices/revisions.html", practice=practice, revs=revs, diff=diff, left=left,
                           right=right, may_edit=services.may_edit(current_user, practice),
                           action_form=ActionForm(formdata=None, version=str(practice.version)))


@practice_action("/<int:practice_id>/versionen/<int:revision_id>/wiederherstellen", "practice.write", of_practice=True)
def restore(practice, revision_id):
    """Restore an old revision as a new one."""
    rev = services.get_revision_or_404(practice, revision_id)
    form = _submitted(ActionForm())
    on_invalid(lambda exc: _back_to_revisions(practice.id, exc))
    services.restore_revision(current_user, practice, rev, version=form.version.data)
    flash(_("Version %(n)s ist wiederhergestellt (als neue Version).", n=rev.number), "success")
    return redirect(url_for("practices.detail", practice_id=practice.id))


def _back_to_revisions(practice_id, exc):
    """A refused restore (e.g. stale): back to the revisions with the message, keeping the error status."""
    flash(next(iter(exc.errors.values())), "danger")
    return redirect(url_for("practices.revisions", practice_id=practice_id)), exc.status
