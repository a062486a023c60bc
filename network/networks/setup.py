"""Wiring of the networks domain: its personal data (the networks a person coordinates), the network a session
starts in, the header's switcher."""

import sqlalchemy as sa

from network.core.hooks import register_personal_data
from network.extensions import db


def export_personal_data(user) -> dict:
    from network.networks.models import Network, NetworkRole
    rows = db.session.execute(sa.select(NetworkRole, Network.name).join(Network, Network.id == NetworkRole.network_id)
                              .where(NetworkRole.user_id == user.id).order_by(Network.name)).all()
    return {"network_role": [{"network": name, "role": role.role, "since": role.created_at.isoformat()}
                             for role, name in rows]}


def erase_personal_data(user) -> None:
    """A deleted account coordinates nothing any more."""
    from network.networks.models import NetworkRole
    db.session.execute(sa.delete(NetworkRole).where(NetworkRole.user_id == user.id))


def _start_in_home_network(sender, user, **extra) -> None:
    """Every way of logging in (password, second factor, single sign-on) starts a fresh session: it opens in the
    user's own network (networks.services.home_network_slug), not in the installation's default."""
    from flask import session

    from network.core.current import SESSION_KEY
    from network.networks.services import home_network_slug
    slug = home_network_slug(user)
    if slug:
        session[SESSION_KEY] = slug
    else:
        session.pop(SESSION_KEY, None)


def init_app(app) -> None:
    from flask_login import user_logged_in

    register_personal_data(app, ["network_role"], export_personal_data, erase_personal_data)
    from network.core.audit import register_object_links, register_sentences
    from network.networks import audit_log
    register_sentences(app, audit_log.NETWORK_SENTENCES, ("Network",))
    register_sentences(app, audit_log.MEMBERSHIP_SENTENCES, ("Municipality",))
    register_object_links(app, "Network", audit_log.network_links)
    user_logged_in.connect(_start_in_home_network, app)

    @app.template_global()
    def header_network():
        """The header's network name and switcher (networks/reading.header_network)."""
        from flask_login import current_user

        from network.networks.reading import header_network as read
        return read(current_user, app.config["NETWORK_NAME"])

    @app.template_global()
    def network_history_only():
        """True while a city that left the network reads its pages as history (networks.services.network_gate):
        base.html shows a note, the pages hide their actions."""
        from network.networks.access import history_only
        return history_only()
