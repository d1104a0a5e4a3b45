"""Reads of the cahier de liaison, scoped to who is asking (the rules of policy.py in SQL)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from preau.directory.models import Enrolment, Group, Profile, School, SchoolClass
from preau.directory.queries import access_of

from . import policy
from .models import Note, NoteChild, Reading, Reminder, Reply

Origin = Note.Origin


@dataclass(frozen=True)
class Target:
    """Whom a note may be addressed to: "classe:12", "ecole:3", "groupe:7", "commune:2", …"""

    key: str
    label: str
    origin: str
    school_id: int | None = None
    commune_id: int | None = None

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def object_id(self) -> int:
        return int(self.key.split(":", 1)[1])


def writing_targets(person) -> list[Target]:
    """The classes, schools, groups and communes `person` may write to, this school year.

    Three small queries at most (the director's classes, the groups, the commune's schools).
    """
    access = access_of(person)
    directed = policy.directed_school_ids(person)
    communes = policy.written_commune_ids(person)
    targets: list[Target] = []
    for role in access.roles:
        if role.profile == Profile.DIRECTOR:
            label = _("Toute l'école %(name)s") % {"name": role.school.name}
            targets.append(Target(f"ecole:{role.school_id}", label, Origin.SCHOOL, school_id=role.school_id))
    classes = {c.id: c for c in access.taught_classes}
    if directed:
        classes.update({c.id: c for c in SchoolClass.objects.filter(school_id__in=directed, year=access.year)})
    for school_class in sorted(classes.values(), key=lambda c: (c.school_id, c.name)):
        label = _("Classe %(name)s") % {"name": school_class.name}
        targets.append(Target(f"classe:{school_class.id}", label, Origin.SCHOOL, school_id=school_class.school_id))
    group_q = Q(school_id__in=directed) | Q(commune_id__in=communes, kind=Group.Kind.PERISCOLAIRE)
    teacher_schools = access.school_ids(Profile.TEACHER)
    if teacher_schools:
        group_q |= Q(owner_id=person.pk, school_id__in=teacher_schools)
    if directed or communes or teacher_schools:
        for group in Group.objects.filter(group_q, year=access.year).order_by("name"):
            origin = Origin.SCHOOL if group.school_id else Origin.COMMUNE
            label = _("Groupe %(name)s") % {"name": group.name}
            targets.append(
                Target(f"groupe:{group.id}", label, origin, school_id=group.school_id, commune_id=group.commune_id)
            )
    for role in access.roles:
        if role.profile in policy.COMMUNE_WRITERS:
            label = _("Toutes les écoles de %(name)s") % {"name": role.commune.name}
            targets.append(Target(f"commune:{role.commune_id}", label, Origin.COMMUNE, commune_id=role.commune_id))
    if communes:
        for school in School.objects.filter(commune_id__in=communes, is_active=True).order_by("name"):
            label = _("École %(name)s") % {"name": school.name}
            targets.append(Target(f"commune-ecole:{school.id}", label, Origin.COMMUNE, commune_id=school.commune_id))
    return list({target.key: target for target in targets}.values())


def pupils_writable_by(person) -> QuerySet[Enrolment]:
    """The children a school note may be addressed to one by one: the classes the person
    teaches, or all of a directed school's (one query, with pupil and class)."""
    access = access_of(person)
    directed = policy.directed_school_ids(person)
    if not (access.taught_class_ids or directed):
        return Enrolment.objects.none()
    return (
        Enrolment.objects.filter(
            Q(school_class_id__in=access.taught_class_ids) | Q(school_class__school_id__in=directed),
            school_class__year=access.year,
            pupil__is_active=True,
        )
        .select_related("pupil", "school_class")
        .order_by("school_class__name", "pupil__last_name", "pupil__first_name")
    )


def recipients_of(targets: Iterable[Target], pupil_ids: Iterable[int], *, year: int) -> dict[int, int | None]:
    """Child id → their class, for the chosen targets and children (active pupils of `year`)."""
    q = Q(pk__in=[])
    for target in targets:
        match target.kind:
            case "classe":
                q |= Q(school_class_id=target.object_id)
            case "ecole":
                q |= Q(school_class__school_id=target.object_id)
            case "commune":
                q |= Q(school_class__school__commune_id=target.object_id)
            case "commune-ecole":
                q |= Q(school_class__school_id=target.object_id)
            case "groupe":
                group_q = Q(pupil__member_groups__id=target.object_id)
                if target.school_id:
                    group_q &= Q(school_class__school_id=target.school_id)
                else:
                    group_q &= Q(school_class__school__commune_id=target.commune_id)
                q |= group_q
    pupil_ids = list(pupil_ids)
    if pupil_ids:
        q |= Q(pupil_id__in=pupil_ids)
    rows = (
        Enrolment.objects.filter(q, school_class__year=year, pupil__is_active=True)
        .order_by("pupil_id", "school_class__name")
        .values_list("pupil_id", "school_class_id")
    )
    found: dict[int, int | None] = {}
    for pupil_id, class_id in rows:
        found.setdefault(pupil_id, class_id)
    return found


# --- The families' side ----------------------------------------------------------------------


def notebook_children(person) -> list:
    """The notebooks a person opens: each of their children's, or their own as a pupil."""
    access = access_of(person)
    if access.children:
        return [child.person for child in access.children]
    if access.has(Profile.PUPIL):
        return [person]
    return []


def notebook_child(person, wanted: str | None):
    """The child whose notebook is asked for (`?enfant=<id>`), the first one by default; None
    when the id is not one of the person's notebooks."""
    children = notebook_children(person)
    if wanted is None:
        return children[0] if children else None
    return next((child for child in children if str(child.pk) == wanted), None)


def notebook_of(person, child_id: int) -> QuerySet[NoteChild]:
    """A child's notes of the school year, unread ones first (for `person`), newest first.

    The caller checked that `person` may open this child's notebook (policy.can_read_in_notebook).
    """
    year = access_of(person).year
    read = Reading.objects.filter(recipient=OuterRef("pk"), person_id=person.pk)
    return (
        NoteChild.objects.filter(pupil_id=child_id, year=year)
        .select_related("note", "acknowledgement")
        .annotate(is_read=Exists(read))
        .order_by("is_read", "-note__published_at", "-note_id")
    )


def notebook_counts(person, child_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """For the children switcher: per child, the notes unread by `person` and those to sign."""
    year = access_of(person).year
    read = Reading.objects.filter(recipient=OuterRef("pk"), person_id=person.pk)
    rows = (
        NoteChild.objects.filter(pupil_id__in=list(child_ids), year=year)
        .annotate(is_read=Exists(read))
        .values("pupil_id")
        .annotate(
            unread=Count("id", filter=Q(is_read=False)),
            to_sign=Count("id", filter=Q(note__requires_ack=True, acknowledgement__isnull=True)),
        )
    )
    return {row["pupil_id"]: row for row in rows}


def recipient_in_notebook(person, note_id: int, child_id: int) -> NoteChild | None:
    recipient = (
        NoteChild.objects.filter(note_id=note_id, pupil_id=child_id)
        .select_related("note", "pupil", "school_class", "acknowledgement", "answered_by")
        .first()
    )
    if recipient is None or not policy.can_read_in_notebook(person, recipient):
        return None
    return recipient


def own_recipients_of(person, note_id: int) -> QuerySet[NoteChild]:
    """The rows of a note for the person's own children (or the pupil's own row)."""
    ids = [child.pk for child in notebook_children(person)]
    return NoteChild.objects.filter(note_id=note_id, pupil_id__in=ids).select_related("pupil")


def replies_of(note: Note, pupil_id: int) -> QuerySet[Reply]:
    return Reply.objects.filter(note=note, pupil_id=pupil_id).order_by("created_at", "id")


# --- The staff's side ------------------------------------------------------------------------


def _managed_q(person) -> Q:
    """Notes the person answers for entirely: their own, and those they are publication director of."""
    return (
        Q(author_id=person.pk)
        | Q(origin=Origin.SCHOOL, school_id__in=policy.directed_school_ids(person))
        | Q(origin=Origin.COMMUNE, commune_id__in=policy.referent_commune_ids(person))
    )


def notes_followed_by(person, *, year: int | None = None) -> QuerySet[Note]:
    """The notes of the year `person` wrote or follows, newest first, each with `total` (the
    children they follow) and `signed` (of these, the signed ones). One query."""
    access = access_of(person)
    if access.person is None:
        return Note.objects.none()
    managed = _managed_q(person)
    visible = managed
    q = managed
    taught = access.taught_class_ids
    if taught:
        in_class = NoteChild.objects.filter(note=OuterRef("pk"), school_class_id__in=taught)
        q |= Q(Exists(in_class), origin=Origin.SCHOOL)
        visible = managed | Q(origin=Origin.SCHOOL, recipients__school_class_id__in=taught)
    return (
        Note.objects.filter(q, year=year or access.year)
        .annotate(
            total=Count("recipients", filter=visible),
            signed=Count("recipients", filter=visible & Q(recipients__acknowledgement__isnull=False)),
        )
        .order_by("-published_at", "-id")
    )


def note_followed_by(person, note_id: int) -> Note | None:
    note = Note.objects.filter(pk=note_id).first()
    if note is None or not policy.can_follow_note(person, note):
        return None
    return note


def recipient_followed_by(person, note: Note, pupil_id: int) -> NoteChild | None:
    """One child's row of a note, for the staff who follow that child (None otherwise)."""
    recipient = (
        NoteChild.objects.filter(note=note, pupil_id=pupil_id)
        .select_related("pupil", "school_class", "acknowledgement", "answered_by")
        .first()
    )
    if recipient is None or not policy.follows_child(person, note, recipient):
        return None
    return recipient


def latest_reminders(note: Note, limit: int = 5) -> list[Reminder]:
    return list(Reminder.objects.filter(note=note).order_by("-at")[:limit])


STATES = {"tous": Q(), "non-signes": Q(acknowledgement__isnull=True), "signes": Q(acknowledgement__isnull=False)}


def _followed_rows(person, note: Note) -> QuerySet[NoteChild]:
    rows = NoteChild.objects.filter(note=note)
    if not policy.can_manage_note(person, note):
        rows = rows.filter(school_class_id__in=policy.followed_class_ids(person, note))
    return rows


def recipients_followed(person, note: Note, *, state: str = "tous") -> QuerySet[NoteChild]:
    """The children of `note` that `person` follows, by class and name, each with its
    signature, answer, whether the family read it and how many replies it exchanged."""
    family_read = Reading.objects.filter(recipient=OuterRef("pk")).exclude(person_id=OuterRef("pupil_id"))
    reply_count = (
        Reply.objects.filter(note_id=OuterRef("note_id"), pupil_id=OuterRef("pupil_id"))
        .order_by()
        .values("pupil_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        _followed_rows(person, note)
        .filter(STATES.get(state, Q()))
        .select_related("pupil", "school_class", "acknowledgement", "answered_by")
        .annotate(family_read=Exists(family_read), reply_count=Coalesce(Subquery(reply_count), 0))
        .order_by("school_class__name", "pupil__last_name", "pupil__first_name", "pupil_id")
    )


def summary_of(person, note: Note) -> dict:
    """Totals over the children `person` follows: children, signed, read, and answers by choice."""
    rows = _followed_rows(person, note)
    totals = rows.aggregate(
        total=Count("id"),
        signed=Count("id", filter=Q(acknowledgement__isnull=False)),
        answered=Count("id", filter=~Q(answer="")),
    )
    answers: dict[str, int] = {}
    if note.has_form and totals["answered"]:
        for answer, count in rows.exclude(answer="").order_by().values_list("answer").annotate(n=Count("id")):
            answers[answer] = count
    totals["unanswered"] = totals["total"] - totals["answered"]
    totals["answers"] = [(choice, answers.get(choice, 0)) for choice in note.answer_choices]
    return totals
