"""Every write of moderation: the queue from the services' events, reports and decisions."""

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit, events, moderation, notices
from preau.core.errors import DomainError, NotAllowed
from preau.directory.models import Profile, Role

from . import policy
from .models import Decision, QueueItem, Report, WordList
from .screening import forget_lists

Verb, State = Decision.Verb, QueueItem.State
# What each decision does to the item, and the service's function it calls.
TRANSITIONS = {
    Verb.APPROVE: ({State.PENDING}, State.PUBLISHED, "approve"),
    Verb.REFUSE: ({State.PENDING}, State.REFUSED, "refuse"),
    Verb.UNPUBLISH: ({State.PUBLISHED}, State.UNPUBLISHED, "unpublish"),
    Verb.RESTORE: ({State.UNPUBLISHED, State.REFUSED}, State.PUBLISHED, "restore"),
    Verb.WARN: (set(State), None, None),
    Verb.DISMISS: (set(State), None, None),
}
NEEDS_REASON = {Verb.REFUSE, Verb.UNPUBLISH, Verb.WARN}


def _upsert(kind_code: str, object_id: int, *, cause: str, state: str | None = None) -> QueueItem | None:
    kind = moderation.kind(kind_code)
    described = kind.describe(object_id) if kind else None
    if described is None:
        return None
    defaults = {
        "title": described.title[:250],
        "excerpt": described.excerpt[:2000],
        "author_id": described.author_id,
        "author_label": described.author_label[:250],
        "url": described.url[:500],
        "school_id": described.school_id,
        "commune_id": described.commune_id,
        "cause": cause,
        "state": state or (State.PUBLISHED if described.is_published else State.PENDING),
    }
    item, _created = QueueItem.objects.update_or_create(kind=kind_code, object_id=object_id, defaults=defaults)
    return item


def _directors_of(item: QueueItem) -> list[int]:
    q = Q(pk__in=[])
    if item.school_id:
        q |= Q(profile=Profile.DIRECTOR, school_id=item.school_id)
    if item.commune_id:
        q |= Q(profile=Profile.CITY_REFERENT, commune_id=item.commune_id)
    return list(Role.objects.filter(q).values_list("person_id", flat=True))


def record_submission(submission: moderation.Submission) -> QueueItem | None:
    """A service holds an item back until someone decides (subscriber of moderation.submitted)."""
    with transaction.atomic():
        item = _upsert(submission.kind, submission.object_id, cause=submission.cause, state=State.PENDING)
        if item is None:
            return None
        item.flags = [{"category": flag.category, "excerpt": flag.excerpt} for flag in submission.flags]
        item.save(update_fields=["flags"])
        item.deciders.set(submission.decider_ids)
        audit.record(None, "moderation.submitted", target=item, school_id=item.school_id, cause=submission.cause)
        notices.announce(
            "moderation.to_review",
            [*submission.decider_ids, *_directors_of(item)],
            title=_("À valider : %(title)s") % {"title": item.title},
            url=reverse("moderation:item", args=[item.pk]),
            actor_id=item.author_id,
            school_id=item.school_id,
            group_key="moderation:queue",
        )
    return item


def record_publication(kind_code: str, object_id: int) -> QueueItem | None:
    """An item went online: it shows among the director's recent publications."""
    existing = QueueItem.objects.filter(kind=kind_code, object_id=object_id).first()
    cause = existing.cause if existing else QueueItem.Cause.PUBLISHED
    return _upsert(kind_code, object_id, cause=cause, state=State.PUBLISHED)


def record_withdrawal(kind_code: str, object_id: int, *, refused: bool) -> QueueItem | None:
    """The service took the item offline on its own page: a pending or published item of the
    queue follows (refused or withdrawn) and its reports are handled. An item the queue itself
    decided is already in that state: nothing changes."""
    with transaction.atomic():
        item = (
            QueueItem.objects.select_for_update()
            .filter(kind=kind_code, object_id=object_id, state__in=[State.PENDING, State.PUBLISHED])
            .first()
        )
        if item is None:
            return None
        now = timezone.now()
        Report.objects.filter(item=item, handled_at__isnull=True).update(handled_at=now)
        item.state = State.REFUSED if refused else State.UNPUBLISHED
        item.open_reports = 0
        item.save(update_fields=["state", "open_reports", "updated_at"])
    return item


@events.subscriber("moderation.withdrawn")
def _on_withdrawn(name: str, kind: str, object_id: int, refused: bool) -> None:
    record_withdrawal(kind, object_id, refused=refused)


@events.subscriber("moderation.submitted")
def _on_submitted(name: str, submission: moderation.Submission) -> None:
    record_submission(submission)


@events.subscriber("moderation.published")
def _on_published(name: str, kind: str, object_id: int) -> None:
    record_publication(kind, object_id)


@events.subscriber("messaging.reported")
def _on_message_reported(name: str, message_id: int, **ignored) -> None:
    record_external_report("messaging.message", message_id)


def _reported_item(kind_code: str, object_id: int) -> QueueItem | None:
    """The item under watch for this content, locked; queued as reported if it was not."""
    item = QueueItem.objects.select_for_update().filter(kind=kind_code, object_id=object_id).first()
    return item or _upsert(kind_code, object_id, cause=QueueItem.Cause.REPORT)


def _count_report(item: QueueItem, *, actor_id: int | None = None, urgent: bool = False) -> None:
    """One more open report on the item, and its publication directors told."""
    QueueItem.objects.filter(pk=item.pk).update(open_reports=F("open_reports") + 1, updated_at=timezone.now())
    notices.announce(
        "moderation.reported",
        _directors_of(item),
        title=_("Contenu signalé : %(title)s") % {"title": item.title},
        url=reverse("moderation:item", args=[item.pk]),
        actor_id=actor_id,
        school_id=item.school_id,
        urgent=urgent,
    )


def record_external_report(kind_code: str, object_id: int) -> QueueItem | None:
    """A service took a report in its own form (the messagerie): queue it for the director."""
    with transaction.atomic():
        item = _reported_item(kind_code, object_id)
        if item is None:
            return None
        _count_report(item)
        audit.record(None, "moderation.reported", target=item, school_id=item.school_id, via=kind_code)
    return item


def report_content(actor, kind_code: str, object_id: int, *, reason: str, details: str = "") -> Report:
    """Anyone who sees an item reports it to its publication director."""
    if not policy.can_report(actor, kind_code, object_id):
        raise NotAllowed(_("Ce contenu n'existe pas ou ne vous est pas accessible."))
    if reason not in Report.Reason.values:
        raise DomainError(_("Choisissez la raison du signalement."), field="reason")
    with transaction.atomic():
        item = _reported_item(kind_code, object_id)
        if item is None:
            raise NotAllowed(_("Ce contenu n'existe pas ou ne vous est pas accessible."))
        if Report.objects.filter(item=item, reporter=actor, handled_at__isnull=True).exists():
            raise DomainError(_("Vous avez déjà signalé ce contenu : la direction de la publication l'examine."))
        report = Report.objects.create(item=item, reporter=actor, reason=reason, details=details.strip()[:2000])
        _count_report(item, actor_id=actor.pk, urgent=reason == Report.Reason.HARASSMENT)
        audit.record(actor, "moderation.reported", target=item, school_id=item.school_id, reason=reason)
        events.emit("moderation.reported", item_id=item.pk, kind=kind_code, object_id=object_id)
    return report


def decide(actor, item: QueueItem, verb: str, *, reason: str = "") -> Decision:
    """Approve, refuse, unpublish, restore, warn the author or dismiss the reports."""
    if verb not in TRANSITIONS:
        raise DomainError(_("Cette décision n'existe pas."))
    if not policy.can_decide(actor, item, verb):
        raise NotAllowed(_("Cette décision revient au directeur de la publication."))
    reason = reason.strip()
    if verb in NEEDS_REASON and not reason:
        raise DomainError(_("Expliquez votre décision : l'auteur la lira."), field="reason")
    allowed_from, new_state, function_name = TRANSITIONS[verb]
    if item.state not in allowed_from:
        raise DomainError(_("Ce contenu est %(state)s : cette décision ne s'applique pas.") % {
            "state": item.get_state_display()
        })  # fmt: skip
    kind = moderation.kind(item.kind)
    with transaction.atomic():
        if function_name:
            function = getattr(kind, function_name, None) if kind else None
            if function is None:
                raise DomainError(_("Ce service ne permet pas cette décision."))
            if function_name in ("refuse", "unpublish"):
                function(actor, item.object_id, reason)
            else:
                function(actor, item.object_id)
            item.state = new_state
        now = timezone.now()
        handled = Report.objects.filter(item=item, handled_at__isnull=True).update(handled_at=now)
        item.open_reports = 0
        item.save(update_fields=["state", "open_reports", "updated_at"])
        decision = Decision.objects.create(item=item, actor=actor, verb=verb, reason=reason)
        audit.record(
            actor, f"moderation.{verb}", target=item, school_id=item.school_id, reason=reason, reports_closed=handled
        )
        if item.author_id and verb != Verb.DISMISS:
            notices.announce(
                "moderation.decision",
                [item.author_id],
                title=_("« %(title)s » : %(decision)s%(reason)s")
                % {
                    "title": item.title,
                    "decision": decision.get_verb_display(),
                    "reason": f" — {reason}" if reason else "",
                },
                url=item.url,
                actor_id=actor.pk,
                school_id=item.school_id,
            )
        events.emit("moderation.decided", item_id=item.pk, verb=verb, kind=item.kind, object_id=item.object_id)
    return decision


def save_word_list(actor, academie, category: str, words: str) -> WordList:
    if not policy.can_edit_word_lists(actor, academie):
        raise NotAllowed(_("Les listes du filtre sont tenues par les administrateurs de l'académie."))
    if category not in WordList.Category.values:
        raise DomainError(_("Cette catégorie n'existe pas."))
    lines = sorted({line.strip() for line in words.splitlines() if line.strip()}, key=str.lower)
    with transaction.atomic():
        word_list, _created = WordList.objects.update_or_create(
            academie=academie, category=category, defaults={"words": "\n".join(lines), "updated_by": actor}
        )
        audit.record(actor, "moderation.word_list_saved", academie_id=academie.id, category=category, words=len(lines))
    forget_lists(academie.id)
    return word_list


# --- End of a school's data (core.school_data) ---------------------------------------------------


def erase_school_data(school_id: int) -> int:
    """Delete the school's queue: its items with their reports and decisions.

    The reported contents are deleted by their own services. Rows deleted; idempotent.
    """
    return QueueItem.objects.filter(school_id=school_id).delete()[0]
