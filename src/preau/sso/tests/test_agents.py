"""The académie's agents: matched by the académie e-mail of the feed, never a family's address;
several records → a choice; several schools → a choice. A guardian who is also a teacher keeps
two accounts, each reached through its own provider."""

import datetime

import pytest
from django.test import Client

from preau.directory.factories import SchoolFactory, add_role, make_school, person_with_role
from preau.directory.models import GuardianLink, Person, Profile
from preau.directory.queries import access_of
from preau.sso.models import FederatedLink

from .conftest import as_aaf, configure_oidc, educonnect_claims, oidc_sign_in, text

pytestmark = pytest.mark.django_db
MAIL = "julie.roux@ac-toulouse.fr"


def agent_claims(email: str = MAIL, sub: str = "agent-julie", **extra) -> dict:
    return {"sub": sub, "email": email, "given_name": "Julie", "family_name": "Roux", **extra}


@pytest.fixture
def agents(toulouse, oidc_peer):
    return configure_oidc(toulouse, oidc_peer, kind="agents", slug="agents-toulouse")


def teacher_in(academie, school=None, email=MAIL):
    school = school or SchoolFactory(circonscription__departement__academie=academie)
    teacher = person_with_role(Profile.TEACHER, school)
    return as_aaf(teacher, academie, f"P-{teacher.pk}", "PersEducNat", email=email), school


def test_an_agent_with_one_school_goes_straight_to_the_portal(agents, oidc_peer, toulouse):
    teacher, _school = teacher_in(toulouse)
    client = Client()
    response = oidc_sign_in(client, agents, oidc_peer, agent_claims(email="Julie.ROUX@ac-toulouse.fr"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == teacher.pk


def test_an_agent_of_several_schools_chooses_where_to_begin(agents, oidc_peer, toulouse):
    teacher, first = teacher_in(toulouse)
    second = SchoolFactory(circonscription__departement__academie=toulouse, uai="0312345A", name="École B")
    add_role(teacher, Profile.DIRECTOR, second)
    client = Client()
    response = oidc_sign_in(client, agents, oidc_peer, agent_claims(FrEduRne=["0312345A$UAJ$PU$N$T3$ECOLE"]))
    assert response["Location"] == "/sso/choix-de-l-ecole/"
    body = text(client.get("/sso/choix-de-l-ecole/"))
    # The school FrEduRne names comes first.
    assert body.index("École B") < body.index(first.name)
    chosen = client.post("/sso/choix-de-l-ecole/", {"ecole": second.pk})
    assert chosen["Location"] == f"/annuaire/ecole/{second.uai}/"  # a director lands on the school's console


def test_the_choice_of_school_is_among_ones_own_only(agents, oidc_peer, toulouse, settings):
    teacher, first = teacher_in(toulouse)
    second = SchoolFactory(circonscription__departement__academie=toulouse)
    add_role(teacher, Profile.DIRECTOR, second)
    stranger_school = SchoolFactory()
    client = Client()
    oidc_sign_in(client, agents, oidc_peer, agent_claims())
    forged = client.post("/sso/choix-de-l-ecole/", {"ecole": stranger_school.pk})
    assert forged.status_code == 400
    assert "ne fait pas partie de vos écoles" in text(forged)
    assert "preau_school_id" not in client.session


def test_an_address_on_two_records_asks_which_account(agents, oidc_peer, toulouse):
    first, _ = teacher_in(toulouse)
    second, _ = teacher_in(toulouse)
    client = Client()
    response = oidc_sign_in(client, agents, oidc_peer, agent_claims())
    assert response["Location"] == "/sso/choix-du-compte/"
    assert "_auth_user_id" not in client.session
    page = text(client.get("/sso/choix-du-compte/"))
    assert f'value="{first.pk}"' in page and f'value="{second.pk}"' in page
    outsider = person_with_role(Profile.TEACHER, SchoolFactory())
    assert client.post("/sso/choix-du-compte/", {"compte": outsider.pk}).status_code == 400
    client.post("/sso/choix-du-compte/", {"compte": second.pk})
    assert int(client.session["_auth_user_id"]) == second.pk
    # Next time the chosen account at once.
    again = Client()
    oidc_sign_in(again, agents, oidc_peer, agent_claims())
    assert int(again.session["_auth_user_id"]) == second.pk


def test_a_familys_address_is_never_taken_for_an_agents(agents, oidc_peer, family):
    guardian = family["guardian"]
    guardian.email = MAIL
    guardian.save()
    response = oidc_sign_in(Client(), agents, oidc_peer, agent_claims())
    assert response.status_code == 400
    assert "ne correspond à aucun personnel de l'annuaire" in text(response)


def test_an_agent_of_another_academie_is_not_matched(agents, oidc_peer, montpellier):
    teacher_in(montpellier)
    assert oidc_sign_in(Client(), agents, oidc_peer, agent_claims()).status_code == 400


def test_no_address_no_sign_in(agents, oidc_peer, toulouse):
    teacher_in(toulouse)
    response = oidc_sign_in(Client(), agents, oidc_peer, {"sub": "agent-sans-mail"})
    assert "n'a pas transmis votre adresse électronique académique" in text(response)


def test_a_guardian_who_is_also_a_teacher_keeps_two_accounts(toulouse, oidc_peer, family):
    """Same person, same names and birth date in ONDE and in the staff file: nothing is merged on
    names; ÉduConnect opens the guardian's account, the académie IdP the teacher's."""
    educonnect = configure_oidc(toulouse, oidc_peer, kind="educonnect", slug="educonnect-toulouse")
    agents = configure_oidc(toulouse, oidc_peer, kind="agents", slug="agents-toulouse")
    guardian = family["guardian"]
    guardian.birth_date = datetime.date(1985, 2, 1)
    guardian.email = "sophie.martin@example.org"
    guardian.save()
    teacher, _ = teacher_in(toulouse, email="sophie.martin@ac-toulouse.fr")
    teacher.first_name, teacher.last_name, teacher.birth_date = "Sophie", "Martin", datetime.date(1985, 2, 1)
    teacher.save()

    as_parent = Client()
    oidc_sign_in(as_parent, educonnect, oidc_peer, educonnect_claims("{AAF}16|x|G100", sub="ec-sophie"))
    as_teacher = Client()
    oidc_sign_in(
        as_teacher,
        agents,
        oidc_peer,
        agent_claims(
            email="sophie.martin@ac-toulouse.fr", sub="agent-sophie", given_name="Sophie", family_name="Martin"
        ),
    )
    assert int(as_parent.session["_auth_user_id"]) == guardian.pk
    assert int(as_teacher.session["_auth_user_id"]) == teacher.pk
    assert {link.person_id for link in FederatedLink.objects.all()} == {guardian.pk, teacher.pk}
    assert not teacher.child_links.exists()


def test_a_guardian_of_two_children_in_one_school_is_one_account(toulouse, oidc_peer):
    built = make_school(classes=1, pupils=2, parents_per_pupil=1)
    first, second = built.pupils[built.classes[0].id]
    guardian = built.parents[first.id][0]
    # One guardian record for both children (the AAF lists both under the same jointure).
    built.parents[second.id][0].delete()
    GuardianLink.objects.create(guardian=guardian, child=second, relationship="mere")
    as_aaf(guardian, toulouse, "G300", "PersRelEleve", first_name="Nadia", last_name="Benali")
    educonnect = configure_oidc(toulouse, oidc_peer, kind="educonnect", slug="educonnect-toulouse")
    client = Client()
    oidc_sign_in(
        client, educonnect, oidc_peer, educonnect_claims("{AAF}16|x|G300", given_name="Nadia", family_name="Benali")
    )
    assert int(client.session["_auth_user_id"]) == guardian.pk
    assert access_of(Person.objects.get(pk=guardian.pk)).child_ids == {first.pk, second.pk}
