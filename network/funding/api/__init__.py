"""API: funding calls (radar, record, edit, interest) and joint applications (workspace, partners).

The calls and the applications each have a module that registers its routes on ``blp`` when imported below, in
the order of the OpenAPI document; ``_common`` holds what both use.
"""

from network.core.apiauth import make_blueprint
from network.core.permissions import require

blp = make_blueprint("funding_api", __name__, "", "Förderaufrufe, Interesse und Verbundanträge")


#: endpoint -> permission checked before the body is parsed (a missing right is 403 whatever the body)
_BEFORE_BODY = {"funding_api.create_call": "funding.record", "funding_api.patch_call": "funding.record",
                "funding_api.create_application": "funding.apply"}


@blp.before_request
def check_right_first():
    """Runs after the token check of make_blueprint."""
    from flask import g, request
    permission = _BEFORE_BODY.get(request.endpoint)
    if permission and getattr(g, "api_user", None) is not None:
        require(g.api_user, permission)


# the routes register in this order, which is the OpenAPI document's
# isort: off
from network.funding.api import calls  # noqa: F401
from network.funding.api import applications  # noqa: F401
# isort: on
