"""The deletion at the end of the access period reaches every service (core.school_data): nothing
the school kept is left, in the database or in storage; another school of the same commune keeps
all of its data; the messages stay in their holders' mailboxes; a rollback deletes nothing and a
second purge changes nothing."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from preau.agenda import actions as agenda
from preau.agenda.models import Event, HomeworkDue
from preau.blog import actions as blog
from preau.blog.models import Blog, Comment, Post, PostFile
from preau.chat import actions as chat
from preau.chat.models import Message as ChatMessage
from preau.chat.models import Room
from preau.conventions.lifecycle import purge_school_data
from preau.core.models import AuditEntry
from preau.core.tests.test_uploads import PNG
from preau.directory.factories import make_school
from preau.directory.models import Person
from preau.homework.factories import AttachmentFactory, ClassSettingFactory, DoneMarkFactory, EntryFactory, WorkFactory
from preau.homework.models import Attachment, ClassSetting, DoneMark, Entry, Work
from preau.journal import actions as journal
from preau.journal.models import DayTemplate, JournalShare, Slot
from preau.liaison import actions as liaison
from preau.liaison.models import Acknowledgement, Note, NoteChild, Reply
from preau.messaging import actions as messaging
from preau.messaging import rule_actions
from preau.messaging.models import Attachment as MessageAttachment
from preau.messaging.models import ClassRule, CommunicationRules, Suspension
from preau.messaging.models import Message as MailMessage
from preau.moderation import actions as moderation
from preau.moderation.models import QueueItem
from preau.moderation.models import Report as ModerationReport
from preau.news import actions as news
from preau.news.models import NewsItem
from preau.notifications import actions as notifications
from preau.notifications.models import Entry as TimelineEntry
from preau.notifications.models import QuietHours

pytestmark = pytest.mark.django_db

# A school day of zone C (Toulouse): the class room is open to its teacher.
SCHOOL_TUESDAY = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2027, 1, 1)


def fresh(person: Person) -> Person:
    """The person read again: their access (roles, classes) is computed anew."""
    return Person.objects.get(pk=person.pk)


def fill_services(built) -> dict:
    """Write, through the services' actions (the cahier de textes through its factories), what a
    school keeps in each of them; return what the test looks at afterwards."""
    school, school_class = built.school, built.classes[0]
    director, teacher = fresh(built.director), fresh(built.teachers[0])
    pupil = built.pupils[school_class.id][0]
    parent = fresh(built.parents[pupil.id][0])

    note = liaison.publish_note(
        teacher, target_keys=[f"classe:{school_class.pk}"], title="Sortie", body="<p>Mardi.</p>", requires_ack=True,
        allows_reply=True,
    )  # fmt: skip
    liaison.sign_note(parent, note, pupil_id=pupil.pk)
    liaison.reply_to_note(parent, note, pupil_id=pupil.pk, body="Merci !")
    liaison.publish_note(director, target_keys=[f"ecole:{school.pk}"], title="Exercice", body="<p>Jeudi.</p>")

    news.publish_news(
        director, target_key=f"ecole:{school.pk}", audience=NewsItem.Audience.EVERYONE, title="Photos", body="<p>x</p>"
    )
    news.publish_news(
        teacher,
        target_key=f"classe:{school_class.pk}",
        audience=NewsItem.Audience.EVERYONE,
        title="Bib",
        body="<p>y</p>",
    )

    class_blog = blog.open_blog(teacher, Blog.Scope.CLASS, school_class)
    blog.update_blog_settings(
        teacher, class_blog, title="CE1", description="", audience=Blog.Audience.MEMBERS, pupils_may_post=False,
        pupils_may_comment=False, parents_may_comment=True,
    )  # fmt: skip
    post = blog.write_post(
        teacher, class_blog, title="Potager", body="<p>Radis.</p>", categories=["sciences"],
        files=[SimpleUploadedFile("potager.png", PNG)], image_rights_confirmed=True,
    )  # fmt: skip
    blog.write_comment(fresh(parent), post, "Bravo !")
    blog.open_blog(director, Blog.Scope.SCHOOL, school)
    moderation.report_content(fresh(parent), "blog.post", post.pk, reason="autre", details="Une photo d'élève")

    room = chat.open_class_room(teacher, school_class)
    chat.post_message(teacher, room, "Bonjour la classe !", at=SCHOOL_TUESDAY)
    chat.open_staff_room(director, school)

    today = timezone.localdate()
    agenda.add_event(director, target_key=f"ecole:{school.pk}", title="Fête", category="fete", starts_on=today)
    agenda.add_event(
        teacher, target_key=f"classe:{school_class.pk}", title="Sortie", category="sortie", starts_on=today
    )
    agenda.add_event(parent, target_key="perso", title="Dentiste", category="sante", starts_on=today)

    work = WorkFactory(school_class=school_class, author=teacher)
    AttachmentFactory(work=work)
    AttachmentFactory(entry=EntryFactory(school_class=school_class, author=teacher), work=None)
    DoneMarkFactory(work=work, pupil=pupil)
    ClassSettingFactory(school_class=school_class)
    agenda.keep_homework_due(
        work_id=work.pk, school_class_ids=[school_class.pk], due_date=work.due_date, title=work.title, url="/devoirs/",
        school_id=school.pk,
    )  # fmt: skip

    slot = journal.plan_slot(
        teacher, school_class=school_class, date=today, starts_at=datetime.time(8, 30), ends_at=datetime.time(9, 30),
        subject="francais", title="Lecture",
    )  # fmt: skip
    journal.save_day_as_template(teacher, school_class=school_class, date=slot.date, name="Lundi type")
    journal.share_journal(teacher, replacement=director, starts_on=today, ends_on=today + datetime.timedelta(days=3))

    notifications.set_quiet_hours(
        director, school, enabled=True, morning=datetime.time(8, 0), evening=datetime.time(18, 0), quiet_days=[5, 6],
        school_holidays=True, public_holidays=True,
    )  # fmt: skip
    # The line the notifications' fan-out writes for a notice of the school (the fan-out is a task).
    TimelineEntry.objects.create(person=parent, kind="liaison.note", title="Sortie", url="/", school_id=school.pk)

    rule_actions.save_school_rules(director, school, {"pupils_write_teachers": True})
    rule_actions.set_class_rule(teacher, school_class, pupils_write_classmates=True)
    message = messaging.send_message(
        teacher, subject="Réunion", body="<p>Lundi.</p>", people=[director.pk], files=[SimpleUploadedFile("p.png", PNG)]
    )
    rule_actions.suspend_writing(director, person=fresh(parent), school=school, reason="Propos déplacés")
    return {"message": message, "parent": parent, "teacher": teacher}


def rows_of(school) -> dict[str, set[int]]:
    """The ids of every row each service keeps for the school (read while its classes exist)."""
    of_school = Q(school=school) | Q(school_class__school=school)
    notes = Note.objects.filter(school=school)
    children = NoteChild.objects.filter(Q(note__in=notes) | Q(school_class__school=school))
    blogs = Blog.objects.filter(school=school)
    rooms = Room.objects.filter(of_school)
    homework = Q(entry__school=school) | Q(work__school=school)
    queries = {
        "liaison notes": notes,
        "liaison children": children,
        "liaison signatures": Acknowledgement.objects.filter(recipient__in=children),
        "liaison replies": Reply.objects.filter(
            Q(note__in=notes) | Q(note__recipients__school_class__school=school, note__recipients__pupil=F("pupil"))
        ),
        "news": NewsItem.objects.filter(of_school),
        "blogs": blogs,
        "blog posts": Post.objects.filter(blog__in=blogs),
        "blog comments": Comment.objects.filter(post__blog__in=blogs),
        "blog files": PostFile.objects.filter(blog__in=blogs),
        "chat rooms": rooms,
        "chat messages": ChatMessage.objects.filter(room__in=rooms),
        "agenda events": Event.objects.filter(of_school),
        "agenda works due": HomeworkDue.objects.filter(school=school),
        "homework entries": Entry.objects.filter(school=school),
        "homework works": Work.objects.filter(school=school),
        "homework attachments": Attachment.objects.filter(homework),
        "homework done": DoneMark.objects.filter(work__school=school),
        "homework settings": ClassSetting.objects.filter(school_class__school=school),
        "journal slots": Slot.objects.filter(school_class__school=school),
        "journal shares": JournalShare.objects.filter(school=school),
        "moderation items": QueueItem.objects.filter(school=school),
        "moderation reports": ModerationReport.objects.filter(item__school=school),
        "quiet hours": QuietHours.objects.filter(school=school),
        "timeline": TimelineEntry.objects.filter(school_id=school.pk),
        "messaging rules": CommunicationRules.objects.filter(school=school),
        "messaging class rules": ClassRule.objects.filter(school_class__school=school),
        "messaging suspensions": Suspension.objects.filter(school=school),
    }
    return {label: (query.model, set(query.values_list("pk", flat=True))) for label, query in queries.items()}


def still_there(rows: dict) -> dict[str, set[int]]:
    """Of the rows `rows_of` read, those that exist now."""
    return {
        label: set(Model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for label, (Model, ids) in rows.items()
    }


def files_of(school) -> list[str]:
    return [
        *PostFile.objects.filter(blog__school=school).values_list("file", flat=True),
        *Attachment.objects.filter(Q(entry__school=school) | Q(work__school=school)).values_list("file", flat=True),
    ]


@pytest.fixture
def two_schools(seeds):
    """Two schools of Lannemezan with data in every service; the commune writes to the children
    of both, and a family of each answers."""
    purged = make_school(classes=1, pupils=2, school=seeds.lannemezan_schools[0])
    kept = make_school(classes=1, pupils=2, school=seeds.lannemezan_schools[1])
    purged_data = fill_services(purged)
    fill_services(kept)
    commune_note = liaison.publish_note(
        fresh(seeds.referent), target_keys=[f"commune:{seeds.lannemezan.pk}"], title="Cantine", body="<p>Noël</p>",
        requires_ack=True, allows_reply=True,
    )  # fmt: skip
    for built in (purged, kept):
        pupil = built.pupils[built.classes[0].id][0]
        parent = fresh(built.parents[pupil.id][0])
        liaison.sign_note(parent, commune_note, pupil_id=pupil.pk)
        liaison.reply_to_note(parent, commune_note, pupil_id=pupil.pk, body="Il mangera à la cantine.")
    return purged, kept, purged_data


def test_the_purge_deletes_what_every_service_keeps_for_the_school_and_nothing_else(
    seeds, two_schools, django_capture_on_commit_callbacks
):
    purged, kept, purged_data = two_schools
    storage = Attachment._meta.get_field("file").storage
    gone_rows, kept_rows = rows_of(purged.school), rows_of(kept.school)
    # The test wrote something in every service, for both schools.
    assert [label for label, (_model, ids) in {**gone_rows, **kept_rows}.items() if not ids] == []
    gone_files, kept_files = files_of(purged.school), files_of(kept.school)
    assert len(gone_files) == 3 and all(storage.exists(name) for name in gone_files + kept_files)
    commune_note = Note.objects.get(commune=seeds.lannemezan)
    assert {child.school_class.school_id for child in commune_note.recipients.all()} == {
        purged.school.pk,
        kept.school.pk,
    }

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        counts = purge_school_data(purged.school, today=TODAY)

    assert {label: ids for label, ids in still_there(gone_rows).items() if ids} == {}
    assert not any(storage.exists(name) for name in gone_files)
    # The other school keeps everything, the commune its note to the other school's children.
    assert still_there(kept_rows) == {label: ids for label, (_model, ids) in kept_rows.items()}
    assert all(storage.exists(name) for name in kept_files)
    assert {child.school_class.school_id for child in commune_note.recipients.all()} == {kept.school.pk}
    # Messages stay in their holders' mailboxes, with their files; a teacher's templates are theirs.
    message = purged_data["message"]
    assert MailMessage.objects.filter(pk=message.pk).exists()
    assert all(storage.exists(a.file.name) for a in MessageAttachment.objects.filter(message=message))
    assert DayTemplate.objects.filter(author=purged_data["teacher"]).exists()
    assert Event.objects.filter(owner=purged_data["parent"], calendar=Event.Calendar.PERSONAL).exists()

    services = ["agenda", "blog", "chat", "homework", "journal", "liaison"]
    services += ["messaging", "moderation", "news", "notifications"]
    assert all(counts[code] > 0 for code in services), counts
    entry = AuditEntry.objects.get(action="conventions.school_data_deleted", school_id=purged.school.pk)
    assert {code: entry.details[code] for code in services} == {code: counts[code] for code in services}
    assert all(isinstance(value, int) for value in entry.details.values())  # counts only

    # A second purge finds nothing more to delete.
    with django_capture_on_commit_callbacks(execute=True):
        again = purge_school_data(purged.school, today=TODAY + datetime.timedelta(days=1))
    assert all(again[code] == 0 for code in services), again
    assert still_there(kept_rows) == {label: ids for label, (_model, ids) in kept_rows.items()}
    assert all(storage.exists(name) for name in kept_files)


def test_a_purge_that_rolls_back_deletes_nothing_not_even_files(two_schools, django_capture_on_commit_callbacks):
    purged = two_schools[0]
    storage = Attachment._meta.get_field("file").storage
    rows, files = rows_of(purged.school), files_of(purged.school)

    class Failure(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Failure), transaction.atomic():
        purge_school_data(purged.school, today=TODAY)
        raise Failure

    assert still_there(rows) == {label: ids for label, (_model, ids) in rows.items()}
    assert all(storage.exists(name) for name in files)
