"""Who may configure single sign-on, sign in through which provider, and must use TOTP.

Each predicate reads the person's `Access` (loaded once per request) and the object; the matrix
test `tests/test_policy_matrix.py` is the table of these rules for every profile.
"""

from preau.directory.models import (
    ACADEMIE_PROFILES,
    CIRCONSCRIPTION_PROFILES,
    DEPARTEMENT_PROFILES,
    Person,
    Profile,
)
from preau.directory.queries import access_of

from .models import IdentityProvider, PartnerService

# Sign in through the académie's agents IdP: the Éducation nationale's own staff.
AGENT_PROFILES = {
    Profile.TEACHER,
    Profile.DIRECTOR,
    *CIRCONSCRIPTION_PROFILES,
    *DEPARTEMENT_PROFILES,
    *ACADEMIE_PROFILES,
}
# Must add an authenticator application to their local sign-in (when the setting asks it).
ADMIN_PROFILES = {*DEPARTEMENT_PROFILES, *ACADEMIE_PROFILES}
# ÉduConnect's affiliations, by the AAF family a directory record comes from.
EDUCONNECT_CATEGORIES = {"PersRelEleve", "Eleve"}


def can_configure_sso_of(person: Person, academie_id: int) -> bool:
    """Identity providers and partner services of an académie: its administrators only.

    Not the operators: whom the académie trusts, and what it hands its partners, is its decision.
    """
    return academie_id in access_of(person).academie_ids


def can_use_sso_console(person: Person) -> bool:
    return bool(access_of(person).academie_ids)


def may_sign_in_through(person: Person, provider: IdentityProvider) -> bool:
    """ÉduConnect for guardians (and pupils where the académie activated it), the agents' IdP
    for the Éducation nationale's staff. Every matched directory record must pass this."""
    if not person.is_active:
        return False
    if provider.kind == IdentityProvider.Kind.EDUCONNECT:
        # ÉduConnect is national: its references may name records of any académie (a family
        # with children in Montpellier and Toulouse), whichever académie's client was used.
        if person.external_category not in EDUCONNECT_CATEGORIES:
            return False
        return person.external_category == "PersRelEleve" or provider.allows_pupils
    # The académie is checked by the matching query (roles in its structures, or its record).
    return access_of(person).has(*AGENT_PROFILES)


def may_use_totp(person: Person) -> bool:
    """Every adult may add an authenticator application; pupils sign in with their cards."""
    if not person.is_authenticated:
        return False
    return person.is_staff or access_of(person).profiles != {Profile.PUPIL}


def must_use_totp(person: Person) -> bool:
    """Administrators (DSDEN, académie, operators) must, for their local sign-in."""
    return person.is_staff or person.is_superuser or access_of(person).has(*ADMIN_PROFILES)


def may_use_partner(person: Person, partner: PartnerService, school_academie_ids: set[int]) -> bool:
    """A partner registered by an académie serves the people of that académie: those whose record
    comes from it, or who work or have a child in one of its schools (`school_academie_ids`)."""
    if not (partner.is_active and person.is_active):
        return False
    return person.academie_id == partner.academie_id or partner.academie_id in school_academie_ids
