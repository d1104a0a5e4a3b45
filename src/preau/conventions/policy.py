"""Who may see and do what with conventions.

- Académie administrators manage the conventions, fees and models of their académie.
- DSDEN administrators read the conventions of their département and its dashboard.
- A commune's référent ville reads their own commune's conventions, downloads them, uploads
  the signed copy and may start a termination; never another commune's.
- A school's director sees whether the school is covered (not the amounts).
- Nobody else: not the operators (they run the platform, not the partnership), not IEN, CPC,
  teachers, families or the commune's other staff.

Every predicate reads the person's `Access` (loaded once per request) and fields of the
convention itself (`academie_id`, `departement_id`, `commune_id`): no query of its own.
`tests/test_policy_matrix.py` is the table of these rules for every profile.
"""

from preau.directory.models import Person, Profile, School
from preau.directory.queries import access_of

from .models import Convention, Termination


def referent_commune_ids(person: Person) -> set[int]:
    """Communes where the person is référent ville (not contributor nor périscolaire)."""
    return {role.commune_id for role in access_of(person).roles if role.profile == Profile.CITY_REFERENT}


def can_manage_conventions(person: Person, academie_id: int) -> bool:
    """Fees, models and conventions of an académie: its administrators."""
    return academie_id in access_of(person).academie_ids


def can_use_conventions(person: Person) -> bool:
    """The conventions service (portal tile): académie and DSDEN administrators, référents ville."""
    access = access_of(person)
    return bool(access.academie_ids or access.departement_ids) or access.has(Profile.CITY_REFERENT)


def can_view_dashboard(person: Person) -> bool:
    access = access_of(person)
    return bool(access.academie_ids or access.departement_ids)


def can_see_school_coverage_page(person: Person) -> bool:
    """The page "Convention de l'école": directors, and référents for their commune's schools."""
    return access_of(person).has(Profile.DIRECTOR, Profile.CITY_REFERENT)


def is_referent_of(person: Person, convention: Convention) -> bool:
    return convention.commune_id in referent_commune_ids(person)


def can_read_convention(person: Person, convention: Convention) -> bool:
    access = access_of(person)
    return (
        convention.academie_id in access.academie_ids
        or convention.departement_id in access.departement_ids
        or is_referent_of(person, convention)
    )


def can_edit_convention(person: Person, convention: Convention) -> bool:
    """Schools and signatories change while the convention is a draft."""
    return convention.state == Convention.State.DRAFT and can_manage_conventions(person, convention.academie_id)


def can_generate_pdf(person: Person, convention: Convention) -> bool:
    """(Re)generate the PDF from the model: until it is signed."""
    return convention.state in (Convention.State.DRAFT, Convention.State.SENT) and can_manage_conventions(
        person, convention.academie_id
    )


def can_send_convention(person: Person, convention: Convention) -> bool:
    return can_edit_convention(person, convention)


def can_upload_signed_copy(person: Person, convention: Convention) -> bool:
    """The commune's référent or the académie, once sent (and to replace a wrong copy)."""
    if convention.state not in (Convention.State.SENT, Convention.State.SIGNED):
        return False
    return can_manage_conventions(person, convention.academie_id) or is_referent_of(person, convention)


def can_record_titre(person: Person, convention: Convention) -> bool:
    """The titre de perception is issued and its payment recorded once the convention is signed."""
    return convention.is_binding and can_manage_conventions(person, convention.academie_id)


def can_renew_convention(person: Person, convention: Convention) -> bool:
    return convention.state in (
        Convention.State.SIGNED,
        Convention.State.EXPIRED,
    ) and can_manage_conventions(person, convention.academie_id)


def can_request_termination(person: Person, convention: Convention) -> bool:
    """Either party starts art. 11 on a signed convention: the académie or the commune's référent."""
    if convention.state != Convention.State.SIGNED:
        return False
    return can_manage_conventions(person, convention.academie_id) or is_referent_of(person, convention)


def termination_side_of(person: Person, convention: Convention) -> str | None:
    """For which party the person acts: the académie first when they could act for both."""
    if can_manage_conventions(person, convention.academie_id):
        return Termination.Side.ACADEMIE
    if is_referent_of(person, convention):
        return Termination.Side.COLLECTIVITE
    return None


def can_pursue_termination(person: Person, termination: Termination) -> bool:
    """Record the letter or the conciliation's success: the académie, or the commune that started it."""
    if not termination.is_open:
        return False
    convention = termination.convention
    if can_manage_conventions(person, convention.academie_id):
        return True
    return termination.initiated_by == Termination.Side.COLLECTIVITE and is_referent_of(person, convention)


def can_delete_convention(person: Person, convention: Convention) -> bool:
    return can_edit_convention(person, convention)


def can_see_school_coverage(person: Person, school: School) -> bool:
    """Whether a school is covered: its director, its commune's référent, its académie and DSDEN."""
    access = access_of(person)
    if school.id in access.school_ids(Profile.DIRECTOR) or school.commune_id in referent_commune_ids(person):
        return True
    if not (access.academie_ids or access.departement_ids):
        return False
    departement = school.commune.departement
    return departement.academie_id in access.academie_ids or departement.id in access.departement_ids
