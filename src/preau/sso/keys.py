"""Préau's signing key pair: it signs SAML messages (as SP and as IdP) and OIDC ID tokens.

Read by settings.py before Django is set up, so this module imports nothing of Django. At scale
every node gets the same pair from files named by the environment; embedded, a pair is made
once into var/sso/, like the secret key, so that partners keep trusting the published metadata.
Several processes may start at once (the test suite's workers): each file is published whole
and only once, and the certificate is derived from the key alone, so they all agree.
"""

import contextlib
import datetime
import hashlib
import os
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

# A fixed validity: the certificate only carries the key (nobody checks its chain, only that it
# is the one the partner registered), and every process must derive the same one.
VALID_FROM = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
VALID_YEARS = 30


def certificate_for(key: rsa.RSAPrivateKey, common_name: str, *, valid_from=VALID_FROM, days: int = 365 * VALID_YEARS):
    """A self-signed certificate of the key, the same each time for the same key and name."""
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int.from_bytes(hashlib.sha256(public).digest()[:16], "big") >> 1)
        .not_valid_before(valid_from)
        .not_valid_after(valid_from + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )


def new_key_pair(common_name: str, *, key_size: int = 3072) -> tuple[bytes, bytes]:
    """An RSA key (3072 bits unless told) and its self-signed certificate, both PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    certificate = certificate_for(key, common_name, valid_from=now, days=3650)
    return _key_pem(key), certificate.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _publish(path: Path, content: bytes, mode: int) -> None:
    """Write the file whole, unless another process published it first (theirs is kept)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, mode)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def ensure_signing_pair(key_file: Path, cert_file: Path, *, common_name: str) -> None:
    """Create what is missing: the key once, then its certificate. An operator's files stay."""
    if not key_file.exists():
        if cert_file.exists():
            raise RuntimeError(f"{cert_file} existe sans sa clé {key_file} : fournissez les deux fichiers.")
        _publish(key_file, _key_pem(rsa.generate_private_key(public_exponent=65537, key_size=3072)), 0o600)
    if not cert_file.exists():
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        _publish(cert_file, certificate_for(key, common_name).public_bytes(serialization.Encoding.PEM), 0o644)
