"""The installation's SAML signing key and certificate (issue #18), and the xmlsec1 binary pysaml2 calls.

From the environment (SAML_SP_KEY / SAML_SP_CERT: PEM text or a file path), else the pair stored in
``saml_sp_credential`` (its key encrypted like the client secrets), else a pair generated now and stored. One pair
for all cities; xmlsec1 reads it from files written per process, readable by its user only.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from datetime import timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from network.core.models import utcnow
from network.extensions import db
from network.sso import crypto
from network.sso.models import SamlSpCredential

def _pem(value: str) -> str:
    """PEM text, or the path of a file holding it (SAML_SP_KEY / SAML_SP_CERT)."""
    value = str(value).strip()
    if value.startswith("-----BEGIN"):
        return value + "\n"
    with open(value) as fh:
        return fh.read()


def generate_keypair(common_name: str = "Staedtenetz SAML SP", days: int = 3650) -> tuple[str, str]:
    """A fresh RSA-3072 key and a self-signed certificate for it (PEM); SAML needs no CA."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = utcnow()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=days)).sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


def sp_credentials() -> tuple[str, str]:
    """The installation's signing key and certificate (PEM): from the environment, else the stored pair, else a
    pair generated now and stored (its key encrypted)."""
    key, cert = current_app.config.get("SAML_SP_KEY"), current_app.config.get("SAML_SP_CERT")
    if key and cert:
        return _pem(key), _pem(cert)
    row = db.session.get(SamlSpCredential, 1)
    if row is None or not crypto.decrypt(row.key_encrypted):
        key_pem, cert_pem = generate_keypair()
        try:
            with db.session.begin_nested():
                if row is None:
                    row = SamlSpCredential(id=1)
                    db.session.add(row)
                row.key_encrypted, row.cert_pem = crypto.encrypt(key_pem), cert_pem
        except IntegrityError:  # another process stored its pair first: use that one
            row = db.session.get(SamlSpCredential, 1)
    return crypto.decrypt(row.key_encrypted), row.cert_pem


_key_dir: str | None = None


def _key_files() -> tuple[str, str]:
    """xmlsec1 reads the key from a file: one per process, readable by its user only."""
    global _key_dir
    key_pem, cert_pem = sp_credentials()
    if _key_dir is None or not os.path.isdir(_key_dir):
        _key_dir = tempfile.mkdtemp(prefix="staedtenetz-saml-")
    digest = hashlib.sha256((key_pem + cert_pem).encode()).hexdigest()[:16]
    key_file, cert_file = os.path.join(_key_dir, f"{digest}.key"), os.path.join(_key_dir, f"{digest}.crt")
    if not os.path.exists(cert_file):
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key_pem)
        with open(cert_file + ".tmp", "w") as fh:
            fh.write(cert_pem)
        os.replace(cert_file + ".tmp", cert_file)
    return key_file, cert_file


def xmlsec_binary() -> str:
    path = current_app.config.get("SAML_XMLSEC_BINARY") or shutil.which("xmlsec1")
    if not path:
        raise RuntimeError("xmlsec1 fehlt: SAML braucht das Paket xmlsec1 (apt-get install xmlsec1).")
    return path
