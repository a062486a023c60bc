"""Unbound extensions; create_app() binds them."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_smorest import Api as _Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from marshmallow import Schema, fields
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ErrorBody(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields = fields.Dict(keys=fields.String(), values=fields.Raw())


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBody, required=True)


class Api(_Api):
    """flask-smorest with our error envelope; the app's own handlers render errors."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        # core.errors renders HTML or JSON by path; smorest must not take over HTML pages.
        pass

    def openapi_document(self) -> dict:
        """The OpenAPI document as served: apispec's, finished by core/apidoc (errors, examples, headers)."""
        from network.core.apidoc import finish
        return finish(self.spec.to_dict())

    def _openapi_json(self):
        """Serve the finished document."""
        import flask
        return flask.current_app.response_class(flask.json.dumps(self.openapi_document(), indent=2),
                                                mimetype="application/json")


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
mail = Mail()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
api = Api()
