"""What an identity provider says about a person, read the same way from OIDC claims and SAML
attributes, with the names each kind of provider uses (national-formats.md §5)."""

import datetime
import re
from dataclasses import dataclass, field

from .models import IdentityProvider

EDUCONNECT_OID = "urn:oid:1.3.6.1.4.1.20326.10.999.1."
SN, GIVEN_NAME, MAIL = "urn:oid:2.5.4.4", "urn:oid:2.5.4.42", "urn:oid:0.9.2342.19200300.100.1.3"

# Préau field → attribute or claim names, in order of preference, per (kind, protocol).
DEFAULT_NAMES: dict[tuple[str, str], dict[str, list[str]]] = {
    ("educonnect", "oidc"): {
        "subject": ["sub"],
        "refid": ["FrEduCtRefId"],
        "last_name": ["family_name"],
        "first_name": ["given_name"],
        "affiliation": ["FrEduCtPersonAffiliation"],
        "birth_date": ["FrEduCtDateNaissance"],
        "url_retour": ["FrEduUrlRetour"],
    },
    ("educonnect", "saml"): {
        "subject": ["FrEduCtId", f"{EDUCONNECT_OID}57"],
        "refid": ["FrEduCtRefId"],
        "last_name": ["sn", SN],
        "first_name": ["givenName", GIVEN_NAME],
        "affiliation": ["FrEduCtPersonAffiliation", f"{EDUCONNECT_OID}7"],
        "birth_date": ["FrEduCtDateNaissance", f"{EDUCONNECT_OID}67"],
        "url_retour": ["FrEduUrlRetour", f"{EDUCONNECT_OID}5"],
    },
    ("agents", "oidc"): {
        "subject": ["sub"],
        "email": ["email"],
        "last_name": ["family_name"],
        "first_name": ["given_name"],
        "uai": ["FrEduRne", "rne"],
    },
    ("agents", "saml"): {
        "subject": [],
        "email": ["mail", "ctemail", MAIL],
        "last_name": ["sn", SN],
        "first_name": ["givenName", GIVEN_NAME],
        "uai": ["FrEduRne", "rne"],
    },
}
FIELDS = ("subject", "refid", "email", "last_name", "first_name", "affiliation", "birth_date", "url_retour", "uai")
PUPIL_AFFILIATIONS = {"eleve1d", "eleve2d"}
UAI = re.compile(r"^\d{7}[A-Z]$")


@dataclass(frozen=True)
class AafKey:
    """(académie code, jointure) as an {AAF} reference of ÉduConnect names a directory record."""

    academie_code: str
    jointure: str


@dataclass
class InboundIdentity:
    provider_id: int
    subject: str
    refids: list[AafKey] = field(default_factory=list)
    email: str = ""
    last_name: str = ""
    first_name: str = ""
    affiliations: list[str] = field(default_factory=list)
    birth_date: datetime.date | None = None
    url_retour: str = ""
    uais: list[str] = field(default_factory=list)

    @property
    def is_pupil(self) -> bool:
        return bool(PUPIL_AFFILIATIONS.intersection(self.affiliations))


def names_for(provider: IdentityProvider) -> dict[str, list[str]]:
    names = dict(DEFAULT_NAMES[(provider.kind, provider.protocol)])
    for name, values in (provider.attribute_map or {}).items():
        if name in FIELDS and isinstance(values, list):
            names[name] = [str(v) for v in values]
    return names


def normalize_academie_code(code: str) -> str:
    return code.strip().lstrip("0") or "0"


def parse_refid(value: str) -> AafKey | None:
    """`{AAF}<académie code>|<…>|<jointure>` → the key; any other vector is not ours."""
    if not value.startswith("{AAF}"):
        return None
    fields = value[5:].split("|")
    if len(fields) != 3 or not fields[0].strip() or not fields[2].strip():
        return None
    return AafKey(normalize_academie_code(fields[0]), fields[2].strip())


def _date(value: str) -> datetime.date | None:
    for layout in ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(value.strip()[:10], layout).date()
        except ValueError:
            continue
    return None


def identity_from(
    provider: IdentityProvider, values: dict[str, list[str]], *, fallback_subject: str = ""
) -> InboundIdentity:
    """Read an identity from claims or attributes (every value as a list of strings)."""
    names = names_for(provider)

    def all_of(name: str) -> list[str]:
        return [v.strip() for key in names.get(name, []) for v in values.get(key, []) if v and v.strip()]

    def first(name: str) -> str:
        found = all_of(name)
        return found[0] if found else ""

    email = first("email").lower()
    subject = first("subject") or fallback_subject
    if not subject and provider.kind == IdentityProvider.Kind.AGENTS:
        subject = email
    return InboundIdentity(
        provider_id=provider.pk,
        subject=subject[:255],
        refids=list(dict.fromkeys(key for key in map(parse_refid, all_of("refid")) if key)),
        email=email,
        last_name=first("last_name"),
        first_name=first("first_name"),
        affiliations=[v.lower() for v in all_of("affiliation")],
        birth_date=_date(first("birth_date")) if first("birth_date") else None,
        url_retour=first("url_retour"),
        uais=list(dict.fromkeys(v.split("$")[0].upper() for v in all_of("uai") if UAI.match(v.split("$")[0].upper()))),
    )


def as_lists(claims: dict) -> dict[str, list[str]]:
    """OIDC claims (strings, lists or numbers) as lists of strings, like SAML attributes."""
    values: dict[str, list[str]] = {}
    for key, value in claims.items():
        if isinstance(value, list):
            values[key] = [str(v) for v in value if isinstance(v, str | int)]
        elif isinstance(value, str | int) and not isinstance(value, bool):
            values[key] = [str(value)]
    return values
