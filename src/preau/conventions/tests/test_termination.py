"""Termination (art. 11): formal notice, one month of conciliation, letter, fifteen days."""

import datetime

import pytest
from django.utils import timezone

from preau.conventions import termination
from preau.conventions.lifecycle import apply_conventions
from preau.conventions.models import Convention, Coverage, Termination
from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry

from .helpers import signed

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def convention(seeds):
    return signed(seeds.admin, seeds.referent, seeds.lannemezan, seeds.lannemezan_schools, seeds.year)


def test_the_commune_starts_a_termination_and_both_parties_learn_the_dates(seeds, convention, sent_notices):
    today = timezone.localdate()
    started = termination.start_termination(
        seeds.referent, convention, notice_date=today, grievances="Assistance non assurée depuis trois mois."
    )
    assert started.initiated_by == Termination.Side.COLLECTIVITE
    assert started.state == Termination.State.CONCILIATION
    from preau.conventions.dates import conciliation_deadline

    assert started.conciliation_deadline == conciliation_deadline(today)
    notice = next(n for n in sent_notices() if n.kind == "conventions.termination")
    assert notice.recipient_ids == (seeds.admin.pk,)  # the référent is not told of their own act
    assert "conciliation jusqu'au" in notice.title
    assert AuditEntry.objects.filter(action="conventions.termination_started", actor=seeds.referent).exists()


def test_failed_conciliation_then_letter_ends_the_convention_fifteen_days_later(seeds, convention):
    notice_day = convention.signed_on
    started = termination.start_termination(seeds.admin, convention, notice_date=notice_day, grievances="Griefs.")
    assert started.initiated_by == Termination.Side.ACADEMIE
    letter_day = timezone.localdate()
    termination.notify_termination(seeds.admin, started, letter_date=letter_day, reasons="Conciliation échouée.")
    started.refresh_from_db()
    assert started.state == Termination.State.NOTIFIED
    assert started.effective_date == letter_day + 15 * DAY

    # The fifteenth day is still covered; the convention is terminated once it is over.
    assert apply_conventions(started.effective_date).terminated == 0
    report = apply_conventions(started.effective_date + DAY)
    assert report.terminated == 1
    convention.refresh_from_db()
    started.refresh_from_db()
    assert convention.state == Convention.State.TERMINATED and convention.closed_on == started.effective_date
    assert started.state == Termination.State.EFFECTIVE
    # The schools were covered through the effective date, then three months of access.
    assert report.coverage_ended == 4
    coverage = Coverage.objects.get(school=seeds.lannemezan_schools[0])
    assert coverage.ended_on == started.effective_date
    from preau.conventions.dates import delete_on

    assert coverage.delete_on == delete_on(started.effective_date)
    assert apply_conventions(started.effective_date + 2 * DAY).terminated == 0  # idempotent


def test_the_fee_stays_due_after_termination(seeds, convention):
    started = termination.start_termination(seeds.admin, convention, notice_date=convention.signed_on, grievances="G")
    termination.notify_termination(seeds.admin, started, letter_date=convention.signed_on, reasons="R")
    apply_conventions(started.effective_date + DAY)
    convention.refresh_from_db()
    assert convention.state == Convention.State.TERMINATED
    assert convention.is_binding and convention.amount_due == 160


def test_a_successful_conciliation_keeps_the_convention(seeds, convention):
    started = termination.start_termination(
        seeds.referent, convention, notice_date=convention.signed_on, grievances="Connexion insuffisante."
    )
    termination.abandon_termination(seeds.referent, started, note="Accord trouvé en réunion.")
    started.refresh_from_db()
    assert started.state == Termination.State.ABANDONED and started.closed_at
    assert apply_conventions(started.conciliation_deadline + 30 * DAY).terminated == 0
    # A new formal notice may follow later.
    again = termination.start_termination(seeds.admin, convention, notice_date=convention.signed_on, grievances="G")
    assert again.is_open


def test_only_one_termination_at_a_time(seeds, convention):
    termination.start_termination(seeds.admin, convention, notice_date=convention.signed_on, grievances="G")
    with pytest.raises(DomainError, match="déjà en cours"):
        termination.start_termination(seeds.referent, convention, notice_date=convention.signed_on, grievances="G")


def test_dates_must_be_real(seeds, convention):
    with pytest.raises(DomainError, match="futur"):
        termination.start_termination(seeds.admin, convention, notice_date=timezone.localdate() + DAY, grievances="G")
    with pytest.raises(DomainError, match="griefs"):
        termination.start_termination(seeds.admin, convention, notice_date=convention.signed_on, grievances="  ")
    started = termination.start_termination(seeds.admin, convention, notice_date=convention.signed_on, grievances="G")
    with pytest.raises(DomainError, match="ne peut précéder"):
        termination.notify_termination(seeds.admin, started, letter_date=convention.signed_on - DAY, reasons="R")
    with pytest.raises(DomainError, match="motifs"):
        termination.notify_termination(seeds.admin, started, letter_date=convention.signed_on, reasons="")


def test_who_may_start_and_pursue_a_termination(seeds, convention):
    with pytest.raises(NotAllowed):
        termination.start_termination(
            seeds.rodez_referent, convention, notice_date=convention.signed_on, grievances="G"
        )
    with pytest.raises(NotAllowed):
        termination.start_termination(
            seeds.montpellier_admin, convention, notice_date=convention.signed_on, grievances="G"
        )
    by_academie = termination.start_termination(
        seeds.admin, convention, notice_date=convention.signed_on, grievances="G"
    )
    # The commune did not start it: only the académie pursues it.
    with pytest.raises(NotAllowed):
        termination.notify_termination(seeds.referent, by_academie, letter_date=convention.signed_on, reasons="R")
    termination.abandon_termination(seeds.admin, by_academie)
    by_commune = termination.start_termination(
        seeds.referent, convention, notice_date=convention.signed_on, grievances="G"
    )
    termination.notify_termination(seeds.referent, by_commune, letter_date=convention.signed_on, reasons="R")
    with pytest.raises(NotAllowed):
        termination.abandon_termination(seeds.rodez_referent, by_commune)
