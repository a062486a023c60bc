"""Topic proposals: a city lead proposes a topic, the coordination accepts or declines it."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from network.core.boundary import on_invalid
from network.core.forms import first_message, form_page, succeeded
from network.core.permissions import require
from network.topics import services
from network.topics.forms import DecisionForm, ProposalForm
from network.topics.views import bp
from network.topics.views._common import topic_data, topic_form


@bp.route("/vorschlagen", methods=["GET", "POST"])
@login_required
def propose():
    """A city lead proposes a topic."""
    require(current_user, "topic.propose")
    form = topic_form(ProposalForm)

    def save(form):
        # a message for no field (e.g. "city": the user acts for no member city) is shown above the form
        topic = services.propose_topic(current_user, {**topic_data(form), "reason": form.reason.data})
        return succeeded(_("Ihr Vorschlag %(name)s ist eingereicht; die Netzwerkkoordination entscheidet.",
                           name=topic.name), url_for("topics.proposals"))
    return form_page(form, "topics/propose.html", save)


def _render_proposals(status=200, forms=None, error=None):
    items = services.proposals(current_user)
    forms = forms or {}
    for t in items:
        forms.setdefault(t.id, DecisionForm(prefix=f"p{t.id}", formdata=None))
    return render_template("topics/proposals.html", items=items, forms=forms, error=error), status


@bp.route("/vorschlaege")
@login_required
def proposals():
    """Open and declined proposals: the coordination decides, a city sees its own."""
    return _render_proposals()


@bp.route("/<slug>/vorschlag/entscheidung", methods=["POST"])
@login_required
def decide_proposal(slug):
    """Coordinator: accept or decline a proposal."""
    topic = services.get_topic_or_404(current_user, slug)
    require(current_user, "topic.manage")
    form = DecisionForm(prefix=f"p{topic.id}")
    if not form.validate_on_submit():
        abort(400)
    on_invalid(lambda exc: _render_proposals(exc.status, {topic.id: form}, error=first_message(exc)), form)
    services.decide_proposal(current_user, topic, form.decision.data, form.reason.data)
    flash(_("Der Vorschlag wurde angenommen.") if form.decision.data == "confirm"
          else _("Der Vorschlag wurde abgelehnt."), "success")
    return redirect(url_for("topics.proposals"))
