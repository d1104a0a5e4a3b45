"""What Préau tells its partner services about a person, whatever the protocol.

By default only an opaque identifier, stable for one partner and meaningless to any other;
the name, the national profiles, the schools' UAI and the classes only when the partner's
registration allows each of them. Every release is journaled with the names of what was sent.
"""

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _

from preau.core import audit
from preau.core.errors import NotAllowed
from preau.directory.models import NATIONAL_PROFILE, Person
from preau.directory.queries import access_of

from . import policy, queries
from .crypto import opaque_identifier
from .models import PartnerService

PARTNERS_KEY = "preau_sso_partners"


@dataclass(frozen=True)
class Released:
    identifier: str
    first_name: str | None = None
    last_name: str | None = None
    profiles: list[str] | None = None
    uais: list[str] | None = None
    classes: list[str] | None = None

    def names(self) -> list[str]:
        given = [
            name
            for name in ("first_name", "last_name", "profiles", "uais", "classes")
            if getattr(self, name) is not None
        ]
        return ["identifier", *given]


def check_may_use(person: Person, partner: PartnerService) -> None:
    if not policy.may_use_partner(person, partner, queries.school_academie_ids(person)):
        raise NotAllowed(
            _(
                "Ce service partenaire est réservé aux écoles de l'académie qui l'a inscrit :"
                " votre compte n'y a pas accès."
            )
        )


def identifier_for(person: Person, partner: PartnerService) -> str:
    return opaque_identifier(partner.pairwise_salt, person.pk)


def release_for(person: Person, partner: PartnerService) -> Released:
    """What this partner may receive about the person, read from the person's scope."""
    access = access_of(person)
    fields: dict = {}
    if partner.releases(PartnerService.Attribute.NAME):
        fields["first_name"], fields["last_name"] = person.first_name, person.last_name
    if partner.releases(PartnerService.Attribute.PROFILE):
        fields["profiles"] = sorted(
            {NATIONAL_PROFILE[profile] for profile in access.profiles if profile in NATIONAL_PROFILE}
        )
    classes = [*access.taught_classes, *access.own_classes, *(c for child in access.children for c in child.classes)]
    if partner.releases(PartnerService.Attribute.UAI):
        schools = {role.school.uai for role in access.roles if role.school_id} | {c.school.uai for c in classes}
        fields["uais"] = sorted(schools)
    if partner.releases(PartnerService.Attribute.CLASSES):
        fields["classes"] = sorted({f"{c.school.uai}${c.name}" for c in classes})
    return Released(identifier=identifier_for(person, partner), **fields)


def journal_release(person: Person, partner: PartnerService, released: Released, *, protocol: str) -> None:
    audit.record(
        person,
        "sso.attributes_released",
        target=partner,
        subject=person,
        academie_id=partner.academie_id,
        protocol=protocol,
        attributes=released.names(),
    )


def remember_partner(request: HttpRequest, partner: PartnerService, **logout: str) -> None:
    """Note in the session the partners signed in to, for the front-channel logout."""
    used = [entry for entry in request.session.get(PARTNERS_KEY, []) if entry["partner"] != partner.pk]
    used.append({"partner": partner.pk, **logout})
    request.session[PARTNERS_KEY] = used


# SAML attribute names and CAS attribute names (the same), per released field.
ATTRIBUTE_NAMES = {
    "first_name": "givenName",
    "last_name": "sn",
    "profiles": "ENTPersonProfils",
    "uais": "ENTPersonUAI",
    "classes": "ENTPersonClasses",
}


def as_attributes(released: Released) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for field_name, attribute in ATTRIBUTE_NAMES.items():
        value = getattr(released, field_name)
        if value is not None:
            values[attribute] = value if isinstance(value, list) else [value]
    return values
