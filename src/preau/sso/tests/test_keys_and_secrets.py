"""The signing pair made once (the same whatever the number of processes starting at once) and
the secrets stored encrypted, readable again after a change of key."""

from multiprocessing import get_context
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from preau.core.errors import DomainError
from preau.sso.crypto import decrypt, encrypt, opaque_identifier
from preau.sso.keys import ensure_signing_pair


def _make(directory: str) -> bytes:
    ensure_signing_pair(Path(directory) / "key.pem", Path(directory) / "cert.pem", common_name="Préau")
    return (Path(directory) / "cert.pem").read_bytes()


def test_processes_starting_together_agree_on_one_pair(tmp_path):
    with get_context("spawn").Pool(3) as pool:
        certificates = set(pool.map(_make, [str(tmp_path)] * 3))
    assert len(certificates) == 1
    key = serialization.load_pem_private_key((tmp_path / "key.pem").read_bytes(), password=None)
    certificate = x509.load_pem_x509_certificate((tmp_path / "cert.pem").read_bytes())
    assert key.public_key().public_numbers() == certificate.public_key().public_numbers()
    assert oct((tmp_path / "key.pem").stat().st_mode)[-3:] == "600"
    before = (tmp_path / "key.pem").read_bytes()
    _make(str(tmp_path))
    assert (tmp_path / "key.pem").read_bytes() == before


def test_a_certificate_without_its_key_is_refused(tmp_path):
    (tmp_path / "cert.pem").write_text("opérateur")
    with pytest.raises(RuntimeError, match="sans sa clé"):
        _make(str(tmp_path))


def test_secrets_are_encrypted_and_survive_a_key_change(settings):
    settings.PREAU_SSO_SECRET_KEY = "première clé"
    token = encrypt("secret du client")
    assert "secret" not in token and decrypt(token) == "secret du client"
    settings.PREAU_SSO_SECRET_KEY = "deuxième clé"
    with pytest.raises(DomainError, match="saisissez-le à nouveau"):
        decrypt(token)
    settings.PREAU_SSO_OLD_SECRET_KEYS = ["première clé"]
    assert decrypt(token) == "secret du client"


def test_opaque_identifiers_are_stable_and_unlinkable():
    assert opaque_identifier("sel-a", 42) == opaque_identifier("sel-a", 42)
    assert opaque_identifier("sel-a", 42) != opaque_identifier("sel-b", 42)
    assert "42" not in opaque_identifier("sel-a", 42)
