"""A session goes to the class's cahier de textes in one step (the homework app's public action)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from preau.core.errors import DomainError
from preau.core.models import AuditEntry
from preau.journal import actions

from .conftest import make_person, slot_for


def test_a_session_is_reported_in_one_step_and_linked(world, client_for, django_capture_on_commit_callbacks):
    slot = slot_for(world, timezone.localdate(), objectives="Lire à voix haute\nRepérer les dialogues")
    parent = make_person("parent", world)
    client = client_for(world["teacher"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("journal:slot_report", args=[slot.pk]))
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.homework_entry_id is not None
    entry_url = reverse("homework:entry", args=[slot.homework_entry_id])
    day = client.get(response.url).content.decode()
    assert entry_url in day and "Voir dans le cahier de textes" in day
    assert "Reporter dans le cahier de textes" not in day
    # The families read it in the cahier de textes: the title and objectives, nothing else.
    page = client_for(parent).get(entry_url).content.decode()
    assert "Lecture : le loup" in page and "Repérer les dialogues" in page
    assert AuditEntry.objects.filter(action="journal.reported_to_homework", target_id=str(slot.pk)).exists()


def test_a_session_is_reported_once_and_only_by_its_author(world, client_for):
    slot = slot_for(world, timezone.localdate(), material="Secret du maître", review="Bilan privé")
    entry_id = actions.report_slot_to_homework(world["teacher"], slot)
    with pytest.raises(DomainError, match="déjà"):
        actions.report_slot_to_homework(world["teacher"], slot)
    page = client_for(make_person("parent", world)).get(reverse("homework:entry", args=[entry_id])).content.decode()
    assert "Secret du maître" not in page and "Bilan privé" not in page
    other = slot_for(world, timezone.localdate())
    colleague = client_for(make_person("colleague", world))
    assert colleague.post(reverse("journal:slot_report", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.homework_entry_id is None
