"""E-mails through a real SMTP listener: immediate, daily digest, quiet hours, urgent notices."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from preau.core.notices import Notice, announce
from preau.notifications import actions
from preau.notifications.delivery import deliver
from preau.notifications.mail import send_digests
from preau.notifications.models import DigestItem, EmailMode, Entry
from preau.notifications.preferences import Choice
from preau.notifications.tasks import send_daily_digests

from .conftest import DIGEST_KIND, URGENT_KIND, free_port


def at(text: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


def first_class_families(built):
    pupils = built.pupils[built.classes[0].id]
    return pupils, [built.parents[pupil.pk][0] for pupil in pupils]


def switch_quiet_hours_off(built):
    actions.set_quiet_hours(
        built.director,
        built.school,
        enabled=False,
        morning=datetime.time(7, 30),
        evening=datetime.time(19),
        quiet_days=[5, 6],
        school_holidays=True,
        public_holidays=True,
    )


def test_an_immediate_email_per_family_with_the_child_and_a_link_to_the_preferences(
    built, smtp, settings, django_capture_on_commit_callbacks
):
    switch_quiet_hours_off(built)  # whatever the time the test runs at
    pupils, parents = first_class_families(built)
    teacher = built.teachers[0]  # has no e-mail address: the timeline only
    with django_capture_on_commit_callbacks(execute=True):
        announce(
            URGENT_KIND.code,
            [p.pk for p in [*parents, teacher]],
            title="Nouveau mot à signer",
            body="La sortie au musée aura lieu jeudi.",
            url="/cahier-de-liaison/mots/3/",
            school_id=built.school.pk,
            pupil_ids=[p.pk for p in pupils],
        )
    assert sorted(message["To"] for message in smtp.messages) == sorted(parent.email for parent in parents)
    message = next(m for m in smtp.messages if m["To"] == parents[0].email)
    # (Python's e-mail package folds a long encoded subject after "Subject:": a space to strip.)
    assert message["Subject"].strip() == f"{pupils[0].first_name} — Classe 1 : Nouveau mot à signer"
    assert message["From"] == "Préau <ne-pas-repondre@preau.invalid>"
    text = message.get_body(("plain",)).get_content()
    entry = Entry.objects.get(person=parents[0])
    assert f"Bonjour {parents[0].first_name}," in text
    assert "La sortie au musée aura lieu jeudi." in text
    assert f"{settings.PREAU_SITE_URL}/notifications/{entry.pk}/ouvrir/" in text
    assert f"{settings.PREAU_SITE_URL}/notifications/preferences/" in text
    html = message.get_body(("html",)).get_content()
    assert f'href="{settings.PREAU_SITE_URL}/notifications/preferences/"' in html
    assert Entry.objects.filter(person=teacher).exists()


def test_the_digest_gathers_the_days_notices_in_one_email_each_morning(built, smtp):
    _pupils, parents = first_class_families(built)
    for title in ("Devoirs pour jeudi", "Devoirs pour vendredi"):
        notice = Notice(kind=DIGEST_KIND.code, recipient_ids=(parents[0].pk,), title=title, url="/devoirs/")
        deliver(notice, now=at("2026-03-10 10:00"))
    assert smtp.messages == []  # the digest, not an e-mail each
    assert send_digests(now=at("2026-03-11 07:45")) == 1
    (message,) = smtp.messages
    assert message["To"] == parents[0].email
    assert message["Subject"].strip() == "Préau : votre résumé du mercredi 11 mars"
    text = message.get_body(("plain",)).get_content()
    assert "Voici les 2 notifications arrivées depuis votre dernier résumé" in text
    assert text.index("Devoirs pour jeudi") < text.index("Devoirs pour vendredi")
    assert "/notifications/preferences/" in text
    assert send_digests(now=at("2026-03-12 07:45")) == 0  # nothing is sent twice
    assert DigestItem.objects.filter(sent_at__isnull=True).count() == 0


def test_quiet_hours_hold_the_email_until_the_next_mornings_digest(built, smtp):
    pupils, parents = first_class_families(built)
    notice = Notice(
        kind=URGENT_KIND.code,
        recipient_ids=(parents[0].pk,),
        title="Nouveau mot à signer",
        url="/mots/4/",
        school_id=built.school.pk,
        pupil_ids=(pupils[0].pk,),
    )
    result = deliver(notice, now=at("2026-03-10 20:15"))
    assert result["held"] == 1 and result["emails"] == 0
    assert smtp.messages == []
    assert Entry.objects.filter(person=parents[0]).exists()  # the timeline is never held
    line = DigestItem.objects.get()
    assert line.held and line.not_before == at("2026-03-11 07:30")
    assert send_digests(now=at("2026-03-10 22:00")) == 0  # still the evening: nothing leaves
    assert smtp.messages == []
    assert send_digests(now=at("2026-03-11 07:45")) == 1
    assert f"{pupils[0].first_name} — Classe 1 : Nouveau mot à signer" in smtp.texts()[0]


def test_on_friday_evening_the_email_waits_for_monday(built, smtp):
    _pupils, parents = first_class_families(built)
    notice = Notice(URGENT_KIND.code, (parents[0].pk,), "Mot", "/mots/5/", school_id=built.school.pk)
    deliver(notice, now=at("2026-03-13 19:30"))
    assert send_digests(now=at("2026-03-14 07:45")) == 0
    assert send_digests(now=at("2026-03-15 07:45")) == 0
    assert send_digests(now=at("2026-03-16 07:45")) == 1


def test_an_urgent_notice_passes_the_quiet_hours(built, smtp):
    _pupils, parents = first_class_families(built)
    notice = Notice(
        URGENT_KIND.code, (parents[0].pk,), "École fermée demain", "/actu/1/", school_id=built.school.pk, urgent=True
    )
    result = deliver(notice, now=at("2026-03-10 21:00"))
    assert result["held"] == 0
    assert [m["Subject"].strip() for m in smtp.messages] == ["École fermée demain"]
    assert not DigestItem.objects.exists()


def test_a_person_who_chose_no_email_gets_none(built, smtp):
    _pupils, parents = first_class_families(built)
    actions.save_preferences(parents[0], {URGENT_KIND.code: Choice(email=EmailMode.NONE, push=False)})
    notice = Notice(URGENT_KIND.code, (parents[0].pk, parents[1].pk), "Mot", "/mots/6/")
    deliver(notice, now=at("2026-03-10 10:00"))
    assert [m["To"] for m in smtp.messages] == [parents[1].email]


def test_the_command_sends_the_due_digests(built, smtp):
    _pupils, parents = first_class_families(built)
    deliver(
        Notice(DIGEST_KIND.code, (parents[0].pk, parents[1].pk), "Devoirs", "/devoirs/"), now=at("2020-01-07 10:00")
    )
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert "2 résumé(s) envoyé(s)." in out.getvalue()
    assert sorted(m["To"] for m in smtp.messages) == sorted([parents[0].email, parents[1].email])


def test_the_task_sends_the_due_digests_too(built, smtp):
    _pupils, parents = first_class_families(built)
    deliver(Notice(DIGEST_KIND.code, (parents[0].pk,), "Devoirs", "/devoirs/"), now=at("2020-01-07 10:00"))
    assert send_daily_digests.enqueue().return_value == 1
    assert [m["To"] for m in smtp.messages] == [parents[0].email]


def test_an_unreachable_mail_server_loses_nothing_of_the_timeline_nor_of_the_digest(built, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    _pupils, parents = first_class_families(built)
    deliver(Notice(URGENT_KIND.code, (parents[0].pk,), "Mot", "/m/"), now=at("2026-03-10 10:00"))
    deliver(Notice(DIGEST_KIND.code, (parents[0].pk,), "Devoirs", "/d/"), now=at("2026-03-10 10:00"))
    assert Entry.objects.filter(person=parents[0]).count() == 2
    assert send_digests(now=at("2026-03-11 07:45")) == 0
    assert DigestItem.objects.filter(sent_at__isnull=True).count() == 1  # it goes out with the next digest


@pytest.mark.parametrize("count", [1, 40])
def test_sending_the_digests_costs_the_same_for_1_or_40_families(db, smtp, count, django_assert_max_num_queries):
    from preau.directory.factories import PersonFactory

    people = [PersonFactory(email=f"famille{n}@familles.invalid") for n in range(count)]
    deliver(Notice(DIGEST_KIND.code, tuple(p.pk for p in people), "Devoirs", "/d/"), now=at("2026-03-10 10:00"))
    with django_assert_max_num_queries(3):
        assert send_digests(now=at("2026-03-11 07:45")) == count
    assert len(smtp.messages) == count
