import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.core import audit
from preau.core.models import AuditEntry
from preau.directory.factories import AcademieFactory, PersonFactory, make_school, person_with_role
from preau.directory.models import Profile
from preau.directory.queries import audit_entries_visible_to

pytestmark = pytest.mark.django_db

LOG = reverse("directory:audit_log")
EXPORT = reverse("directory:audit_log_export")


@pytest.fixture
def two_academies(db):
    """An académie (with a school) and another one (with its own school); one admin each."""
    here = make_school(classes=1, pupils=2)
    there = make_school(classes=1, pupils=2)
    academie = here.school.circonscription.departement.academie
    other = there.school.circonscription.departement.academie
    return {
        "here": here,
        "there": there,
        "academie": academie,
        "other": other,
        "admin": person_with_role(Profile.ACADEMIE_ADMIN, academie),
        "other_admin": person_with_role(Profile.ACADEMIE_ADMIN, other),
    }


def test_admin_sees_entries_of_own_academie_only(two_academies):
    data = two_academies
    stranger = PersonFactory()
    by_academie = audit.record(stranger, "test.academie", academie_id=data["academie"].id)
    by_school = audit.record(None, "test.school", school_id=data["here"].school.id)
    by_actor = audit.record(data["here"].director, "test.actor")
    pupil = data["here"].pupils[data["here"].classes[0].id][0]
    by_subject = audit.record(None, "test.subject", subject=pupil)
    elsewhere = [
        audit.record(stranger, "test.other", academie_id=data["other"].id),
        audit.record(None, "test.other", school_id=data["there"].school.id),
        audit.record(data["there"].director, "test.other"),
        audit.record(stranger, "test.nobody"),
    ]
    visible = set(audit_entries_visible_to(data["admin"]))
    assert visible >= {by_academie, by_school, by_actor, by_subject}
    assert visible.isdisjoint(elsewhere)


def test_operator_sees_everything_and_others_nothing(two_academies):
    data = two_academies
    entry = audit.record(PersonFactory(), "test.nobody")
    operator = PersonFactory(is_superuser=True)
    assert entry in audit_entries_visible_to(operator)
    assert not audit_entries_visible_to(data["here"].director).exists()


def test_filters_by_person_action_and_dates(two_academies):
    data = two_academies
    director = data["here"].director
    old = audit.record(director, "accounts.signed_in", academie_id=data["academie"].id)
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=30))
    recent = audit.record(director, "accounts.signed_in", academie_id=data["academie"].id)
    other_action = audit.record(director, "directory.class_viewed", academie_id=data["academie"].id)
    other_person = audit.record(data["admin"], "accounts.signed_in", academie_id=data["academie"].id)
    found = set(
        audit_entries_visible_to(
            data["admin"],
            who=director.username.upper(),
            action="accounts.",
            date_from=timezone.localdate() - datetime.timedelta(days=2),
        )
    )
    assert found == {recent}
    assert other_action not in found and other_person not in found
    by_name = set(audit_entries_visible_to(data["admin"], who=director.last_name[2:]))
    assert {old, recent, other_action} <= by_name


def test_journal_page_lists_and_paginates(client_for, two_academies, django_assert_max_num_queries):
    data = two_academies
    AuditEntry.objects.bulk_create(
        AuditEntry(actor_label="quelqu'un", action="test.bulk", academie_id=data["academie"].id) for _ in range(120)
    )
    client = client_for(data["admin"])
    with django_assert_max_num_queries(num=10):
        response = client.get(LOG, {"action": "test.", "page": 2})
    assert response.status_code == 200
    page = response.content.decode()
    assert "120 entrées" in page
    assert page.count("<code>test.bulk</code>") == 50
    assert "action=test." in page


def test_other_academies_admin_does_not_see_these_entries(client_for, two_academies):
    data = two_academies
    audit.record(None, "test.secret", academie_id=data["academie"].id)
    page = client_for(data["other_admin"]).get(LOG).content.decode()
    assert "test.secret" not in page


def test_people_without_the_journal_are_refused(client_for, two_academies):
    data = two_academies
    dsden = person_with_role(Profile.DSDEN_ADMIN, data["here"].school.circonscription.departement)
    for person in (data["here"].director, dsden):
        client = client_for(person)
        assert client.get(LOG).status_code == 403
        assert client.get(EXPORT).status_code == 403


def test_bad_dates_show_an_error_and_no_filter_crash(client_for, two_academies):
    response = client_for(two_academies["admin"]).get(LOG, {"date_from": "31/02/2026"})
    assert response.status_code == 200
    assert "fr-error-text" in response.content.decode()


def test_export_streams_the_current_filter_and_is_journaled(client_for, two_academies):
    data = two_academies
    audit.record(data["here"].director, "test.exported", academie_id=data["academie"].id, note="=SOMME(A1)")
    audit.record(data["here"].director, "test.not_exported", academie_id=data["academie"].id)
    AcademieFactory()
    response = client_for(data["admin"]).get(EXPORT, {"action": "test.exported"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "date"
    assert [row[2] for row in rows[1:]] == ["test.exported"]
    entry = AuditEntry.objects.get(action="directory.audit_exported")
    assert entry.actor == data["admin"]
    assert entry.details["filters"] == {"action": "test.exported"}


def test_export_neutralizes_spreadsheet_formulas(client_for, two_academies):
    data = two_academies
    audit.record(None, "test.formula", academie_id=data["academie"].id, target=None, subject=None)
    AuditEntry.objects.filter(action="test.formula").update(target_label='=HYPERLINK("x")')
    response = client_for(data["admin"]).get(EXPORT, {"action": "test.formula"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert "'=HYPERLINK" in body
