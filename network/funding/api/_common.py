"""What the funding API's modules share: the amount field, the route declaration, a pre-dumped answer."""

from marshmallow import fields

from network.core.apiroutes import operations
from network.funding.api import blp


class Amount(fields.Decimal):
    """Euros as a string with two decimals ("1234.50"), null when not given."""

    def __init__(self, **kw):
        meta = {"type": "string", "pattern": r"^\d+\.\d{2}$", **kw.pop("metadata", {})}
        super().__init__(places=2, as_string=True, allow_none=True, metadata=meta, **kw)


#: the funding API's routes are declared with op(rule, method, …) (core/apiroutes.operation)
op = operations(blp)


def _json(data, status=200):
    """An answer already dumped by the schemas (smorest documents the schema and passes a Response through)."""
    from flask import jsonify
    resp = jsonify(data)
    resp.status_code = status
    return resp
