"""ÉduConnect in OpenID Connect, against a real OpenID provider (Authlib) on a thread."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from preau.core.events import emit
from preau.core.models import AuditEntry
from preau.directory.models import GuardianLink, Person
from preau.directory.queries import access_of
from preau.sso.actions import SESSION_KEY, sync_merges_of_academie
from preau.sso.models import FederatedLink, IdentityProvider, MergedRecord, MirroredGuardianLink

from .conftest import configure_oidc, educonnect_claims, oidc_sign_in, second_child_in, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def educonnect(toulouse, oidc_peer):
    return configure_oidc(toulouse, oidc_peer, kind="educonnect", slug="educonnect-toulouse")


def signed_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def test_a_certain_match_signs_the_guardian_in_and_links_the_identity(family, educonnect, oidc_peer):
    client = Client()
    response = oidc_sign_in(client, educonnect, oidc_peer, educonnect_claims("{AAF}16|x|G100"))
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_as(client) == family["guardian"].pk
    link = FederatedLink.objects.get(provider=educonnect, subject="ec-sophie")
    assert link.person == family["guardian"]
    assert client.session[SESSION_KEY]["provider"] == educonnect.pk and client.session[SESSION_KEY]["id_token"]
    assert AuditEntry.objects.filter(
        action="accounts.signed_in", subject=family["guardian"], details__method="educonnect-oidc"
    ).exists()
    # The charte comes first, as after a password.
    assert client.get("/").status_code in (200, 302)


def test_the_next_sign_in_follows_the_link(family, educonnect, oidc_peer):
    oidc_sign_in(Client(), educonnect, oidc_peer, educonnect_claims("{AAF}16|x|G100"))
    client = Client()
    response = oidc_sign_in(
        client,
        educonnect,
        oidc_peer,
        educonnect_claims("{AAF}16|x|G100", given_name="Sophie-Anne"),
        next_url="/annuaire/mes-ecoles/",
    )
    assert response["Location"] == "/annuaire/mes-ecoles/"
    assert signed_in_as(client) == family["guardian"].pk
    assert FederatedLink.objects.count() == 1


def test_a_doubtful_first_match_asks_for_a_child_and_never_links_on_a_wrong_answer(family, educonnect, oidc_peer):
    client = Client()
    response = oidc_sign_in(client, educonnect, oidc_peer, educonnect_claims("{AAF}16|x|G100", family_name="Dupont"))
    assert response["Location"] == "/sso/premiere-connexion/"
    assert signed_in_as(client) is None
    page = client.get("/sso/premiere-connexion/")
    assert "le prénom et la date de naissance de l'un de vos enfants" in text(page)
    wrong = client.post("/sso/premiere-connexion/", {"first_name": "Léa", "birth_date": "04/05/2017"})
    assert wrong.status_code == 400
    assert "ne correspondent à aucun de vos enfants" in text(wrong)
    assert signed_in_as(client) is None and not FederatedLink.objects.exists()
    right = client.post("/sso/premiere-connexion/", {"first_name": "lea", "birth_date": "03/05/2017"})
    assert right.status_code == 302
    assert signed_in_as(client) == family["guardian"].pk
    assert FederatedLink.objects.get().person == family["guardian"]


def test_five_wrong_answers_end_the_attempt(family, educonnect, oidc_peer):
    client = Client()
    oidc_sign_in(client, educonnect, oidc_peer, educonnect_claims("{AAF}16|x|G100", family_name="Dupont"))
    for _ in range(5):
        response = client.post("/sso/premiere-connexion/", {"first_name": "Paul", "birth_date": "01/01/2016"})
    assert "Trop de réponses inexactes" in text(response)
    assert client.get("/sso/premiere-connexion/").status_code == 400
    assert AuditEntry.objects.filter(action="sso.confirmation_failed").count() == 5


def test_two_children_in_two_academies_make_one_account_linked_to_both(family, educonnect, oidc_peer, montpellier):
    other_record, other_child = second_child_in(montpellier, "G200", first_name="Hugo", born=datetime.date(2015, 9, 1))
    client = Client()
    response = oidc_sign_in(client, educonnect, oidc_peer, educonnect_claims("{AAF}16|x|G100", "{AAF}11|y|G200"))
    # Two records: the match is confirmed before anything is merged.
    assert response["Location"] == "/sso/premiere-connexion/"
    assert not MergedRecord.objects.exists()
    client.post("/sso/premiere-connexion/", {"first_name": "Hugo", "birth_date": "01/09/2015"})
    account = Person.objects.get(pk=signed_in_as(client))
    assert account in (family["guardian"], other_record)
    children = access_of(Person.objects.get(pk=account.pk)).child_ids
    assert children == {family["pupil"].pk, other_child.pk}
    merge = MergedRecord.objects.get()
    assert {merge.account_id, merge.record_id} == {family["guardian"].pk, other_record.pk}
    assert AuditEntry.objects.filter(action="sso.records_merged").count() == 1
    # The next time, the same account at once; the mirrored child follows the feed.
    GuardianLink.objects.filter(
        guardian=other_record if merge.record_id == other_record.pk else family["guardian"]
    ).delete()
    second = Client()
    oidc_sign_in(second, educonnect, oidc_peer, educonnect_claims("{AAF}16|x|G100", "{AAF}11|y|G200"))
    assert signed_in_as(second) == account.pk
    assert len(access_of(Person.objects.get(pk=account.pk)).child_ids) == 1


def test_a_name_alone_never_matches(family, educonnect, oidc_peer):
    client = Client()
    response = oidc_sign_in(client, educonnect, oidc_peer, educonnect_claims("{AAF}16|x|INCONNU"))
    assert response.status_code == 400
    assert "ne correspond à aucune personne de l'annuaire" in text(response)
    assert signed_in_as(client) is None
    assert AuditEntry.objects.filter(action="sso.sign_in_refused").exists()


def test_references_of_an_unknown_academie_or_another_format_match_nothing(family, educonnect, oidc_peer):
    for refid in ("{AAF}99|x|G100", "{ATEN}16|x|G100", "{AAF}16|G100"):
        response = oidc_sign_in(Client(), educonnect, oidc_peer, educonnect_claims(refid))
        assert response.status_code == 400


def test_a_parents_reference_never_opens_the_childs_account(family, educonnect, oidc_peer):
    client = Client()
    response = oidc_sign_in(client, educonnect, oidc_peer, educonnect_claims("{AAF}16|x|E100"))
    assert response.status_code == 400
    assert signed_in_as(client) is None


def test_pupils_use_their_cards_unless_the_academie_opened_educonnect_to_them(family, educonnect, oidc_peer):
    claims = educonnect_claims("{AAF}16|x|E100", sub="ec-lea", given_name="Léa", affiliation="eleve1d")
    refused = oidc_sign_in(Client(), educonnect, oidc_peer, claims)
    assert "les élèves se connectent avec leur carte" in text(refused)
    educonnect.allows_pupils = True
    educonnect.save()
    client = Client()
    assert oidc_sign_in(client, educonnect, oidc_peer, claims).status_code == 302
    assert signed_in_as(client) == family["pupil"].pk


def test_a_detached_guardian_cannot_sign_in(family, educonnect, oidc_peer):
    Person.objects.filter(pk=family["guardian"].pk).update(is_active=False)
    assert oidc_sign_in(Client(), educonnect, oidc_peer, educonnect_claims("{AAF}16|x|G100")).status_code == 400


def test_the_folded_records_children_follow_the_next_import(
    family, educonnect, oidc_peer, montpellier, django_capture_on_commit_callbacks
):
    other_record, other_child = second_child_in(montpellier, "G200", first_name="Hugo", born=datetime.date(2015, 9, 1))
    Person.objects.filter(pk=other_record.pk).update(last_login=timezone.now())  # the account it becomes
    client = Client()
    oidc_sign_in(client, educonnect, oidc_peer, educonnect_claims("{AAF}16|x|G100", "{AAF}11|y|G200"))
    client.post("/sso/premiere-connexion/", {"first_name": "Léa", "birth_date": "03/05/2017"})
    assert signed_in_as(client) == other_record.pk
    assert access_of(Person.objects.get(pk=other_record.pk)).child_ids == {family["pupil"].pk, other_child.pk}
    # The Toulouse feed no longer lists Léa under her mother's Toulouse record.
    GuardianLink.objects.filter(guardian=family["guardian"]).delete()
    with django_capture_on_commit_callbacks(execute=True):
        emit("directory.imported", actor=None, run_id=1, academie_id=family["guardian"].academie_id)
    assert access_of(Person.objects.get(pk=other_record.pk)).child_ids == {other_child.pk}


def test_the_confirmation_page_is_light(family, educonnect, oidc_peer, django_assert_max_num_queries):
    client = Client()
    oidc_sign_in(client, educonnect, oidc_peer, educonnect_claims("{AAF}16|x|G100", family_name="Dupont"))
    with django_assert_max_num_queries(2):
        assert client.get("/sso/premiere-connexion/").status_code == 200


def test_an_import_follows_the_folded_records_at_constant_cost(toulouse, montpellier):
    provider = IdentityProvider.objects.create(academie=toulouse, kind="educonnect", protocol="oidc", slug="ec")
    costs, accounts = [], []
    for size in (1, 4):
        for index in range(size):
            record, child = second_child_in(
                toulouse, f"G{size}-{index}", first_name="Léa", born=datetime.date(2017, 5, 3)
            )
            account, own_child = second_child_in(
                montpellier, f"M{size}-{index}", first_name="Hugo", born=datetime.date(2015, 9, 1)
            )
            link = FederatedLink.objects.create(provider=provider, subject=f"ec-{size}-{index}", person=account)
            MergedRecord.objects.create(account=account, record=record, link=link)
            accounts.append((account, {child.pk, own_child.pk}))
        with CaptureQueriesContext(connection) as queries:
            sync_merges_of_academie(toulouse.pk)
        costs.append(len(queries))
    assert costs[0] == costs[1] <= 8
    for account, children in accounts:
        assert access_of(Person.objects.get(pk=account.pk)).child_ids == children
    with CaptureQueriesContext(connection) as queries:
        assert sync_merges_of_academie(toulouse.pk) == 5
    assert len(queries) <= costs[0] and MirroredGuardianLink.objects.count() == 5
