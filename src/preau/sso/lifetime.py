"""Session lifetime per profile, and whether a local sign-in still owes its second factor.

Both are decided once, when the session opens (`user_logged_in`), and kept in the session, so
that no page pays for them afterwards.
"""

from django.conf import settings

from preau.directory.models import (
    CIRCONSCRIPTION_PROFILES,
    COMMUNE_PROFILES,
    GuardianLink,
    Person,
    Profile,
    Role,
)

from .policy import ADMIN_PROFILES
from .queries import second_factors_of

SECOND_FACTOR_KEY = "preau_second_factor"
# Values of SECOND_FACTOR_KEY: the code is awaited, or an application must first be added.
AWAITING_CODE, MUST_ENROL = "code", "enrol"

GROUPS = {
    "pupil": {Profile.PUPIL},
    "family": {Profile.PARENT, Profile.ELECTED_PARENT},
    "staff": {Profile.TEACHER, Profile.DIRECTOR, *CIRCONSCRIPTION_PROFILES},
    "commune": set(COMMUNE_PROFILES),
    "admin": set(ADMIN_PROFILES),
}


def profiles_of(person: Person) -> set[str]:
    """The person's profiles read straight from the database (two queries, nothing cached on
    the object: the request's own `access_of` comes later)."""
    profiles = set(Role.objects.filter(person=person).values_list("profile", flat=True))
    if GuardianLink.objects.filter(guardian=person).exists():
        profiles.add(Profile.PARENT)
    return profiles


def session_seconds(person: Person, profiles: set[str]) -> int:
    """The shortest lifetime among the person's profiles (an administrator who is also a parent
    gets the administrator's); the default one for people with none."""
    groups = {group for group, members in GROUPS.items() if profiles & members}
    if person.is_staff or person.is_superuser:
        groups.add("admin")
    hours = [settings.PREAU_SSO_SESSION_HOURS[group] for group in groups]
    return int(min(hours) * 3600) if hours else settings.SESSION_COOKIE_AGE


def second_factor_owed(person: Person, profiles: set[str]) -> str:
    """After a local sign-in: the code of a confirmed application or a security key, or adding one
    (administrators, when the setting requires it); "" when nothing is owed."""
    if second_factors_of(person).count:
        return AWAITING_CODE
    is_admin = person.is_staff or person.is_superuser or bool(profiles & ADMIN_PROFILES)
    if settings.PREAU_SSO_TOTP_REQUIRED_FOR_ADMINS and is_admin:
        return MUST_ENROL
    return ""
