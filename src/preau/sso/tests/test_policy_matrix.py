"""Who may configure single sign-on, sign in through which provider, use TOTP and a partner:
the table of the rules, for every profile."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from preau.directory.factories import CommuneFactory, PersonFactory, make_school, person_with_role
from preau.directory.models import Profile
from preau.sso import policy
from preau.sso.models import IdentityProvider, PartnerService
from preau.sso.queries import school_academie_ids

pytestmark = pytest.mark.django_db

# profile → (console of the académie, configure its SSO, ÉduConnect, agents' IdP, may add TOTP,
#            must use TOTP, use a partner of the académie)
MATRIX = {
    "pupil": (False, False, False, False, False, False, True),
    "teacher": (False, False, False, True, True, False, True),
    "director": (False, False, False, True, True, False, True),
    "parent": (False, False, True, False, True, False, True),
    "elected_parent": (False, False, True, False, True, False, True),
    "city_referent": (False, False, False, False, True, False, True),
    "city_contributor": (False, False, False, False, True, False, True),
    "periscolaire": (False, False, False, False, True, False, True),
    "advisor": (False, False, False, True, True, False, True),
    "erun": (False, False, False, True, True, False, True),
    "ien": (False, False, False, True, True, False, True),
    "dsden_admin": (False, False, False, True, True, True, True),
    "academie_admin": (True, True, False, True, True, True, True),
    "operator": (False, False, False, False, True, True, False),
    "other_school_director": (False, False, False, True, True, False, False),
    "other_school_teacher": (False, False, False, True, True, False, False),
    "other_school_parent": (False, False, True, False, True, False, False),
    "other_commune_referent": (False, False, False, False, True, False, False),
    "anonymous": (False, False, False, False, False, False, False),
}


def actor_for(name: str, built, other):
    school = built.school
    circonscription = school.circonscription
    pupil = built.pupils[built.classes[0].id][0]
    parent = built.parents[pupil.id][0]
    parent.external_category = "PersRelEleve"
    parent.save()

    def elected():
        return person_with_role(Profile.ELECTED_PARENT, school, external_category="PersRelEleve")

    def other_parent():
        other_pupil = other.pupils[other.classes[0].id][0]
        guardian = other.parents[other_pupil.id][0]
        guardian.external_category = "PersRelEleve"
        guardian.save()
        return guardian

    return {
        "pupil": lambda: pupil,
        "teacher": lambda: built.teachers[0],
        "director": lambda: built.director,
        "parent": lambda: parent,
        "elected_parent": elected,
        "city_referent": lambda: person_with_role(Profile.CITY_REFERENT, school.commune),
        "city_contributor": lambda: person_with_role(Profile.CITY_CONTRIBUTOR, school.commune),
        "periscolaire": lambda: person_with_role(Profile.PERISCOLAIRE, school.commune),
        "advisor": lambda: person_with_role(Profile.ADVISOR, circonscription),
        "erun": lambda: person_with_role(Profile.ERUN, circonscription),
        "ien": lambda: person_with_role(Profile.IEN, circonscription),
        "dsden_admin": lambda: person_with_role(Profile.DSDEN_ADMIN, circonscription.departement),
        "academie_admin": lambda: person_with_role(Profile.ACADEMIE_ADMIN, circonscription.departement.academie),
        "operator": lambda: PersonFactory(is_staff=True, is_superuser=True),
        "other_school_director": lambda: other.director,
        "other_school_teacher": lambda: other.teachers[0],
        "other_school_parent": other_parent,
        "other_commune_referent": lambda: person_with_role(Profile.CITY_REFERENT, CommuneFactory()),
        "anonymous": AnonymousUser,
    }[name]()


@pytest.mark.parametrize("name", MATRIX)
def test_policy_matrix(name):
    built = make_school(classes=1, pupils=1)
    other = make_school(classes=1, pupils=1)  # another académie (factories make one per school)
    academie = built.school.circonscription.departement.academie
    actor = actor_for(name, built, other)
    educonnect = IdentityProvider.objects.create(
        academie=academie, kind="educonnect", protocol="oidc", slug="ec", label="ÉduConnect"
    )
    agents = IdentityProvider.objects.create(
        academie=academie, kind="agents", protocol="saml", slug="ag", label="Agents"
    )
    partner = PartnerService.objects.create(
        academie=academie, name="Visio", protocol="cas", service_url="https://v.example.test/"
    )
    school_academies = school_academie_ids(actor)
    answers = (
        policy.can_use_sso_console(actor) and policy.can_configure_sso_of(actor, academie.pk),
        policy.can_configure_sso_of(actor, academie.pk),
        policy.may_sign_in_through(actor, educonnect),
        policy.may_sign_in_through(actor, agents),
        policy.may_use_totp(actor),
        policy.must_use_totp(actor),
        policy.may_use_partner(actor, partner, school_academies),
    )
    assert answers == MATRIX[name]


@pytest.mark.parametrize(
    ("name", "status"), [("academie_admin", 200), ("director", 403), ("parent", 403), ("operator", 403)]
)
def test_the_console_page_follows_the_table(name, status):
    built = make_school(classes=1, pupils=1)
    actor = actor_for(name, built, make_school(classes=1, pupils=1))
    client = Client()
    client.force_login(actor)
    assert client.get("/sso/console/").status_code == status
    assert client.get("/sso/api/partenaires/").status_code == status
