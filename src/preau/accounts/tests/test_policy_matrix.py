"""Who may hand out and take back the means of signing in: the table of the rules."""

import pytest

from preau.accounts import policy
from preau.directory.factories import make_school, person_with_role
from preau.directory.models import Profile

pytestmark = pytest.mark.django_db

# profile → (activation letters, class cards and tablet, revoke a card, reset a pupil's
#            password, reset a parent's access), for the first class of the school.
MATRIX = {
    "director": (True, True, True, True, True),
    "teacher_of_the_class": (False, True, True, True, False),
    "teacher_of_another_class": (False, False, False, False, False),
    "director_of_another_school": (False, False, False, False, False),
    "ien_of_the_circonscription": (False, False, False, False, False),
    "dsden_admin": (True, True, True, True, True),
    "academie_admin": (True, True, True, True, True),
    "parent_of_a_pupil": (False, False, False, False, False),
    "pupil_of_the_class": (False, False, False, False, False),
}


def actor_for(name: str, built):
    school = built.school
    structure = school.circonscription
    first_class = built.classes[0]
    return {
        "director": lambda: built.director,
        "teacher_of_the_class": lambda: built.teachers[0],
        "teacher_of_another_class": lambda: built.teachers[1],
        "director_of_another_school": lambda: make_school(classes=0).director,
        "ien_of_the_circonscription": lambda: person_with_role(Profile.IEN, structure),
        "dsden_admin": lambda: person_with_role(Profile.DSDEN_ADMIN, structure.departement),
        "academie_admin": lambda: person_with_role(Profile.ACADEMIE_ADMIN, structure.departement.academie),
        "parent_of_a_pupil": lambda: built.parents[built.pupils[first_class.id][0].id][0],
        "pupil_of_the_class": lambda: built.pupils[first_class.id][1],
    }[name]()


@pytest.mark.parametrize("name", MATRIX)
def test_policy_matrix(name):
    built = make_school(classes=2, pupils=2)
    first_class = built.classes[0]
    actor = actor_for(name, built)
    answers = (
        policy.can_issue_activation_letters(actor, first_class),
        policy.can_manage_cards_of(actor, first_class),
        policy.can_revoke_card_of(actor, [first_class]),
        policy.can_reset_password_in(actor, first_class),
        policy.can_reset_parent_access(actor, [built.school]),
    )
    assert answers == MATRIX[name]
