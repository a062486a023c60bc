"""A real SAML 2.0 identity provider on loopback for the single sign-on tests (issue #18): pysaml2's Server behind
a small WSGI app, served from a thread.

Endpoints: ``/metadata`` (its metadata), ``/sso`` (HTTP-Redirect AuthnRequest; verifies our signature and answers
with its login form), ``/sso/login`` (the form: issues a signed Response for a user of ``accounts``, as an
auto-posting HTML form to our ACS), ``/slo`` (our signed LogoutRequest; answers with a LogoutResponse redirect).
Tests steer it: ``accounts`` (rewritable between logins), ``lifetime`` (a negative one issues an assertion whose
validity window lies in the past), ``audience`` (issue the assertion for another SP),
``sign_assertion``/``sign_response``, ``trust_sp(xml)`` (our SP's metadata, read from the app).
"""

import hashlib
import os
import shutil
import tempfile
import threading
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, saml, xmldsig
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NameID
from saml2.server import Server

from tests.idp import ACCOUNTS


def keypair(directory: str, name: str) -> tuple[str, str]:
    """A throwaway key and self-signed certificate, written to ``directory`` (RSA-2048: fast enough per module)."""
    from datetime import datetime, timedelta, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=30)).sign(key, hashes.SHA256()))
    key_file, cert_file = os.path.join(directory, f"{name}.key"), os.path.join(directory, f"{name}.crt")
    with open(key_file, "wb") as fh:
        fh.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption()))
    with open(cert_file, "wb") as fh:
        fh.write(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def subject_of(email: str) -> str:
    """The IdP's stable (persistent) NameID of an account."""
    return "uid-" + hashlib.sha256(email.encode()).hexdigest()[:16]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class SamlIdp:
    def __init__(self, accounts=None):
        from tests.conftest import free_port
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.metadata_url = f"{self.base}/metadata"
        self.dir = tempfile.mkdtemp(prefix="staedtenetz-saml-idp-")
        self.key_file, self.cert_file = keypair(self.dir, "idp")
        self.reset(accounts)
        self.httpd = None

    def reset(self, accounts=None):
        self.accounts = dict(accounts or ACCOUNTS)
        self.lifetime = {"minutes": 15}
        self.audience = None
        self.with_slo = True
        self.sign_assertion, self.sign_response = True, False
        self.organization = None
        self.sp_metadata = []
        self.logouts = []

    def metadata(self) -> str:
        return create_metadata_string(None, config=self.config(), valid=24, sign=False).decode()

    def trust_sp(self, xml: str) -> None:
        self.sp_metadata = [xml]

    def config(self) -> IdPConfig:
        endpoints = {"single_sign_on_service": [(f"{self.base}/sso", BINDING_HTTP_REDIRECT)]}
        if self.with_slo:
            endpoints["single_logout_service"] = [(f"{self.base}/slo", BINDING_HTTP_REDIRECT)]
        conf = {
            "entityid": self.metadata_url,
            "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
            "key_file": self.key_file, "cert_file": self.cert_file,
            "signing_algorithm": xmldsig.SIG_RSA_SHA256, "digest_algorithm": xmldsig.DIGEST_SHA256,
            "service": {"idp": {
                "endpoints": endpoints,
                "want_authn_requests_signed": True,
                "name_id_format": [saml.NAMEID_FORMAT_PERSISTENT],
                "policy": {"default": {"lifetime": dict(self.lifetime), "name_form": NAME_FORMAT_URI,
                                       "attribute_restrictions": None}},
            }},
        }
        if self.organization:
            conf["organization"] = {"name": self.organization, "display_name": self.organization,
                                    "url": "https://example.org/"}
        if self.sp_metadata:
            conf["metadata"] = {"inline": list(self.sp_metadata)}
        config = IdPConfig()
        config.load(conf)
        return config

    # --- WSGI ------------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ["REQUEST_METHOD"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if method == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            query.update({k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()})
        try:
            status, headers, body = self.handle(path, query)
        except Exception as exc:  # the test reads the IdP's complaint
            status, headers, body = "400 Bad Request", [("Content-Type", "text/plain")], f"{exc!r}"
        start_response(status, headers)
        return [body.encode()]

    def server(self) -> Server:
        """pysaml2's Server for the current settings (built again only when a test changed them: building one
        loads the key twice)."""
        key = repr((self.lifetime, self.audience, self.with_slo, self.organization, self.sp_metadata))
        if getattr(self, "_server_key", None) != key:
            self._server, self._server_key = Server(config=self.config()), key
        return self._server

    def handle(self, path, q):
        server = self.server()
        if path == "/metadata":
            return "200 OK", [("Content-Type", "application/samlmetadata+xml")], self.metadata()
        if path == "/sso":
            # verifies our signature over the query (want_authn_requests_signed)
            server.parse_authn_request(q["SAMLRequest"], BINDING_HTTP_REDIRECT, relay_state=q.get("RelayState"),
                                       sigalg=q.get("SigAlg"), signature=q.get("Signature"))
            hidden = "".join(f'<input type="hidden" name="{k}" value="{v}">' for k, v in q.items())
            return "200 OK", [("Content-Type", "text/html")], (
                f'<form method="post" action="{self.base}/sso/login">{hidden}'
                '<input name="login"><button>Anmelden</button></form>')
        if path == "/sso/login":
            request = server.parse_authn_request(q["SAMLRequest"], BINDING_HTTP_REDIRECT,
                                                 relay_state=q.get("RelayState"), sigalg=q.get("SigAlg"),
                                                 signature=q.get("Signature")).message
            email = q["login"]
            account = self.accounts[email]
            identity = {"mail": [email], "displayName": [account["name"]], "groups": list(account["groups"])}
            sp = request.issuer.text
            acs = request.assertion_consumer_service_url
            response = server.create_authn_response(
                identity, request.id, acs, self.audience or sp,
                name_id=NameID(format=saml.NAMEID_FORMAT_PERSISTENT, text=subject_of(email)),
                authn={"class_ref": saml.AUTHN_PASSWORD_PROTECTED, "authn_auth": self.base},
                sign_assertion=self.sign_assertion, sign_response=self.sign_response, best_effort=True)
            info = server.apply_binding(BINDING_HTTP_POST, str(response), acs, q.get("RelayState", ""),
                                        response=True)
            return "200 OK", [("Content-Type", "text/html")], info["data"]
        if path == "/slo":
            request = server.parse_logout_request(q["SAMLRequest"], BINDING_HTTP_REDIRECT,
                                                  relay_state=q.get("RelayState"), sigalg=q.get("SigAlg"),
                                                  signature=q.get("Signature"))
            self.logouts.append(request.message.name_id.text)
            response = server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT])
            binding, destination = server.pick_binding("single_logout_service", [BINDING_HTTP_REDIRECT], "spsso",
                                                       request.message)
            info = server.apply_binding(BINDING_HTTP_REDIRECT, str(response), destination, "", response=True)
            return "302 Found", [("Location", dict(info["headers"])["Location"])], ""
        return "404 Not Found", [("Content-Type", "text/plain")], "not found"

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self):
        self.httpd = make_server("127.0.0.1", self.port, self, server_class=WSGIServer, handler_class=_QuietHandler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
