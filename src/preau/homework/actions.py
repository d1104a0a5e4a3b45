"""Every write of the cahier de textes.

Each action checks the policy, writes in one transaction, journals itself and leaves to
`publication.after_save` the publication: a visible work is announced to the class's pupils
and guardians (`homework.published`) and to the agenda (`homework.work_published`); a
scheduled one is queued. `create_entry_from_journal` is the public API of the journal app.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit, events
from preau.core.errors import DomainError, NotAllowed
from preau.core.files import delete_unused_files
from preau.core.richtext import clean_html
from preau.core.uploads import CheckedUpload, check_upload
from preau.directory.models import Person, SchoolClass

from . import policy, publication, queries
from .models import Attachment, ClassSetting, DoneMark, Entry, Published, Work
from .subjects import is_subject


def clean_links(lines: Iterable[str]) -> list[dict]:
    """Links typed one a line, as "https://…" or "Titre | https://…"; http(s) only."""
    links, validate = [], URLValidator(schemes=["http", "https"])
    for line in lines:
        line = line.strip()
        if not line:
            continue
        label, _sep, url = line.rpartition("|") if "|" in line else ("", "", line)
        url, label = url.strip(), label.strip()
        try:
            validate(url)
        except ValidationError as error:
            raise DomainError(
                _("« %(url)s » n'est pas une adresse web (https://…).") % {"url": url}, field="links"
            ) from error
        links.append({"url": url, "label": label[:200] or url})
    return links[:20]


def check_files(files: Sequence, *, already: int = 0) -> list[CheckedUpload]:
    """Check uploads by their content; a French error on the field "files" otherwise."""
    if len(files) + already > settings.PREAU_HOMEWORK_MAX_ATTACHMENTS:
        raise DomainError(
            _("Pas plus de %(count)s pièces jointes.") % {"count": settings.PREAU_HOMEWORK_MAX_ATTACHMENTS},
            field="files",
        )
    try:
        return [check_upload(f, max_bytes=settings.PREAU_HOMEWORK_ATTACHMENT_MAX_BYTES) for f in files]
    except ValidationError as error:
        raise DomainError(error.messages[0], field="files") from error


def _attach(actor: Person, items: Sequence[Published], uploads: Sequence[CheckedUpload]) -> None:
    # A file written for several classes is stored once and joined to each class's item.
    for upload in uploads:
        stored = ""
        for item in items:
            owner = {"work": item} if isinstance(item, Work) else {"entry": item}
            attachment = Attachment(
                name=upload.name, size=upload.size, content_type=upload.content_type, uploaded_by=actor, **owner
            )
            if stored:
                attachment.file.name = stored
            else:
                attachment.file.save(upload.name, upload.file, save=False)
                stored = attachment.file.name
            attachment.save()


def _check_writable(actor: Person, school_classes: Sequence[SchoolClass]) -> None:
    if not school_classes:
        raise DomainError(_("Choisissez au moins une classe."), field="classes")
    for school_class in school_classes:
        if not policy.can_write_class(actor, school_class):
            raise NotAllowed(
                _("Vous n'écrivez pas dans le cahier de textes de la classe %(name)s.") % {"name": school_class.name}
            )


def _content(*, subject: str, title: str, body: str) -> dict:
    if not is_subject(subject):
        raise DomainError(_("Choisissez une matière de la liste."), field="subject")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Donnez un titre."), field="title")
    if len(title) > 200:
        raise DomainError(_("Le titre tient en 200 caractères au plus."), field="title")
    return {"subject": subject, "title": title, "body": clean_html(body)}


def _check_dates(assigned_on: datetime.date, due_date: datetime.date) -> None:
    if due_date < assigned_on:
        raise DomainError(_("Le travail est à faire pour un jour qui suit celui où il est donné."), field="due_date")


def create_entry(
    actor: Person,
    *,
    school_classes: Sequence[SchoolClass],
    date: datetime.date,
    subject: str,
    title: str,
    body: str,
    links: Sequence[dict] = (),
    files: Sequence = (),
    publish_at: datetime.datetime | None,
) -> list[Entry]:
    """Write a séance in each class (its teachers and director); `publish_at` None is a draft."""
    _check_writable(actor, school_classes)
    content = _content(subject=subject, title=title, body=body)
    uploads = check_files(files)
    with transaction.atomic():
        entries = [
            Entry.objects.create(
                school_class=c,
                school_id=c.school_id,
                year=c.year,
                date=date,
                links=list(links),
                author=actor,
                publish_at=publish_at,
                **content,
            )
            for c in school_classes
        ]
        _attach(actor, entries, uploads)
        for entry in entries:
            audit.record(actor, "homework.entry_created", target=entry, school_id=entry.school_id)
            publication.after_save(entry, actor_id=actor.pk)
    return entries


def create_work(
    actor: Person,
    *,
    school_classes: Sequence[SchoolClass],
    assigned_on: datetime.date,
    due_date: datetime.date,
    subject: str,
    title: str,
    body: str,
    links: Sequence[dict] = (),
    files: Sequence = (),
    publish_at: datetime.datetime | None,
    entry: Entry | None = None,
) -> list[Work]:
    """Give a work to do in each class; announced to pupils and guardians when it is published."""
    _check_writable(actor, school_classes)
    content = _content(subject=subject, title=title, body=body)
    _check_dates(assigned_on, due_date)
    uploads = check_files(files)
    with transaction.atomic():
        works = [
            Work.objects.create(
                school_class=c,
                school_id=c.school_id,
                year=c.year,
                assigned_on=assigned_on,
                due_date=due_date,
                links=list(links),
                author=actor,
                publish_at=publish_at,
                entry=entry if entry is not None and entry.school_class_id == c.id else None,
                **content,
            )
            for c in school_classes
        ]
        _attach(actor, works, uploads)
        for work in works:
            audit.record(actor, "homework.work_created", target=work, school_id=work.school_id)
            publication.after_save(work, actor_id=actor.pk)
    return works


def _update(actor: Person, item: Published, fields: dict, files: Sequence, remove_ids: Iterable[int]) -> None:
    if not policy.can_write_class(actor, item.school_class):
        raise NotAllowed(_("Vous ne pouvez pas modifier ce cahier de textes."))
    remove_ids = set(remove_ids)
    current = list(item.attachments.all())
    removed_files = [a.file.name for a in current if a.pk in remove_ids]
    uploads = check_files(files, already=len(current) - len(removed_files))
    before = {"title": item.title, "due_date": getattr(item, "due_date", None)}
    with transaction.atomic():
        for name, value in fields.items():
            setattr(item, name, value)
        item.save()
        item.attachments.filter(pk__in=remove_ids).delete()
        # A file removed here may still be joined to a copy in another class: only orphans go.
        delete_unused_files(Attachment, "file", removed_files)
        _attach(actor, [item], uploads)
        audit.record(actor, f"homework.{type(item).__name__.lower()}_changed", target=item, school_id=item.school_id)
        publication.after_save(item, actor_id=actor.pk, before=before)


def update_entry(
    actor: Person,
    entry: Entry,
    *,
    date: datetime.date,
    subject: str,
    title: str,
    body: str,
    links: Sequence[dict] = (),
    publish_at: datetime.datetime | None,
    files: Sequence = (),
    remove_attachment_ids: Iterable[int] = (),
) -> Entry:
    """Change a séance (its class's writers); may publish, schedule or withdraw it."""
    fields = _content(subject=subject, title=title, body=body) | {
        "date": date,
        "links": list(links),
        "publish_at": publish_at,
    }
    _update(actor, entry, fields, files, remove_attachment_ids)
    return entry


def update_work(
    actor: Person,
    work: Work,
    *,
    assigned_on: datetime.date,
    due_date: datetime.date,
    subject: str,
    title: str,
    body: str,
    links: Sequence[dict] = (),
    publish_at: datetime.datetime | None,
    files: Sequence = (),
    remove_attachment_ids: Iterable[int] = (),
) -> Work:
    """Change a work. Families are told again only of a new due date; the agenda of any new
    title or due date (`homework.work_changed`); a withdrawn work is `homework.work_withdrawn`."""
    _check_dates(assigned_on, due_date)
    fields = _content(subject=subject, title=title, body=body) | {
        "assigned_on": assigned_on,
        "due_date": due_date,
        "links": list(links),
        "publish_at": publish_at,
    }
    _update(actor, work, fields, files, remove_attachment_ids)
    return work


def delete_item(actor: Person, item: Published) -> None:
    """Delete a séance or a work (its class's writers), with its files once no copy keeps them;
    the agenda hears a work withdrawn."""
    if not policy.can_write_class(actor, item.school_class):
        raise NotAllowed(_("Vous ne pouvez pas supprimer cet élément du cahier de textes."))
    files = [a.file.name for a in item.attachments.all()]
    with transaction.atomic():
        if isinstance(item, Work) and item.published_at is not None:
            events.emit("homework.work_withdrawn", work_id=item.pk)
        audit.record(
            actor,
            f"homework.{type(item).__name__.lower()}_deleted",
            target=item,
            school_id=item.school_id,
            title=item.title,
        )
        item.delete()
        delete_unused_files(Attachment, "file", files)


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _copy_publish_at(item: Published, shift: datetime.timedelta, as_draft: bool) -> datetime.datetime | None:
    if as_draft or item.publish_at is None:
        return None
    now = timezone.now()
    return now if item.publish_at <= now else item.publish_at + shift


def copy_week(
    actor: Person,
    *,
    source: SchoolClass,
    target: SchoolClass,
    week_of: datetime.date,
    target_week_of: datetime.date | None = None,
    as_drafts: bool = False,
) -> tuple[int, int]:
    """Copy a week's séances (by date) and works (by the day given) of a class to another class
    or week, with their links and files; both classes must be the actor's to write. Published
    originals are published in the copy (and announced), drafts stay drafts, scheduled ones keep
    their time (shifted with the week). Returns the numbers of séances and works copied."""
    _check_writable(actor, [source, target])
    start = monday_of(week_of)
    shift = monday_of(target_week_of or week_of) - start
    if source.pk == target.pk and not shift:
        raise DomainError(_("Choisissez une autre classe ou une autre semaine."), field="target")
    end = start + datetime.timedelta(days=6)
    entries = list(Entry.objects.filter(school_class=source, date__range=(start, end)).prefetch_related("attachments"))
    works = list(
        Work.objects.filter(school_class=source, assigned_on__range=(start, end)).prefetch_related("attachments")
    )
    if not entries and not works:
        raise DomainError(_("Aucune séance ni travail à copier cette semaine-là."), field="week")
    common = {"school_class": target, "school_id": target.school_id, "year": target.year, "author": actor}
    with transaction.atomic():
        copies: dict[int, Entry] = {}
        for entry in entries:
            copies[entry.pk] = Entry.objects.create(
                date=entry.date + shift,
                subject=entry.subject,
                title=entry.title,
                body=entry.body,
                links=entry.links,
                publish_at=_copy_publish_at(entry, shift, as_drafts),
                **common,
            )
        new_works = [
            Work.objects.create(
                assigned_on=work.assigned_on + shift,
                due_date=work.due_date + shift,
                subject=work.subject,
                title=work.title,
                body=work.body,
                links=work.links,
                entry=copies.get(work.entry_id),
                publish_at=_copy_publish_at(work, shift, as_drafts),
                **common,
            )
            for work in works
        ]
        originals = [*entries, *works]
        for original, copy in zip(originals, [*copies.values(), *new_works], strict=True):
            Attachment.objects.bulk_create(
                Attachment(
                    entry=copy if isinstance(copy, Entry) else None,
                    work=copy if isinstance(copy, Work) else None,
                    file=a.file.name,
                    name=a.name,
                    size=a.size,
                    content_type=a.content_type,
                    uploaded_by=actor,
                )
                for a in original.attachments.all()
            )
            publication.after_save(copy, actor_id=actor.pk)
        audit.record(
            actor,
            "homework.week_copied",
            target=target,
            school_id=target.school_id,
            source_class=source.pk,
            week=start.isoformat(),
            entries=len(entries),
            works=len(works),
        )
    return len(entries), len(works)


def set_track_done(actor: Person, school_class: SchoolClass, *, track_done: bool) -> ClassSetting:
    """Turn on or off, for a class, pupils telling which work they did (its writers)."""
    if not policy.can_write_class(actor, school_class):
        raise NotAllowed(_("Vous ne pouvez pas régler le cahier de textes de cette classe."))
    with transaction.atomic():
        setting, _created = ClassSetting.objects.update_or_create(
            school_class=school_class, defaults={"track_done": track_done}
        )
        audit.record(
            actor,
            "homework.settings_changed",
            target=school_class,
            school_id=school_class.school_id,
            track_done=track_done,
        )
    return setting


def mark_done(actor: Person, work: Work, *, pupil: Person | None = None, done: bool = True) -> bool:
    """A pupil (or their guardian for them) says a visible work is done, or not done after all.

    Only when the class tracks it. Returns whether the work is now marked done.
    """
    pupil = pupil or actor
    if not policy.can_mark_done_for(actor, work, pupil):
        raise NotAllowed(_("Vous ne pouvez pas indiquer ce travail comme fait."))
    if not queries.tracks_done(work.school_class):
        raise DomainError(_("Cette classe n'utilise pas le suivi du travail fait."))
    with transaction.atomic():
        if done:
            DoneMark.objects.get_or_create(work=work, pupil=pupil)
        else:
            DoneMark.objects.filter(work=work, pupil=pupil).delete()
        audit.record(
            actor,
            "homework.done_marked" if done else "homework.done_unmarked",
            target=work,
            subject=pupil,
            school_id=work.school_id,
        )
    return done


def create_entry_from_journal(
    actor: Person, *, school_class: SchoolClass, date: datetime.date, subject: str, title: str, content_html: str
) -> int:
    """Public API of the journal app: publish now the séance a teacher planned in their journal.

    The actor must write the class's cahier de textes (`policy.can_write_class`); `subject` is
    a code of `subjects.SUBJECTS`. Returns the séance's id (`reverse("homework:entry", args=[id])`).
    """
    entries = create_entry(
        actor,
        school_classes=[school_class],
        date=date,
        subject=subject,
        title=title,
        body=content_html,
        publish_at=timezone.now(),
    )
    return entries[0].pk


# --- End of a school's data (core.school_data) ---------------------------------------------------


def erase_school_data(school_id: int) -> int:
    """Delete the séances and works of the school's classes, with their attachments (from
    storage too, once the purge commits, unless another class's copy still points to the same
    file), the marks of work done and the classes' settings.

    Rows deleted; idempotent. Runs in the purge's transaction (`core.school_data`).
    """
    of_school = Q(school_id=school_id) | Q(school_class__school_id=school_id)
    entries, works = Entry.objects.filter(of_school), Work.objects.filter(of_school)
    names = list(Attachment.objects.filter(Q(entry__in=entries) | Q(work__in=works)).values_list("file", flat=True))
    deleted = works.delete()[0] + entries.delete()[0]
    deleted += ClassSetting.objects.filter(school_class__school_id=school_id).delete()[0]
    delete_unused_files(Attachment, "file", names)
    return deleted
