"""What a service tells people: the contract between the services and `notifications`.

A service's action describes, once, who must learn what, and calls `announce()`; the
`notifications` app (which no service imports) turns each notice, after the transaction
commits, into timeline entries, e-mails (immediate or in a digest) and push messages,
following each person's preferences and the school's quiet hours.

Services register the kinds of notice they send in their AppConfig.ready(), so that the
preferences page can list them with their label and default channels.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from . import events

TIMELINE, EMAIL, DIGEST, PUSH = "timeline", "email", "digest", "push"


@dataclass(frozen=True)
class NoticeKind:
    code: str  # "messaging.message", "homework.published", …
    label: str  # shown on the preferences page: "Nouveau message"
    # Channels used until the person chooses: the timeline always, then any of EMAIL,
    # DIGEST (the daily summary) and PUSH.
    default_channels: frozenset[str] = frozenset({TIMELINE, DIGEST})
    order: int = 100


@dataclass(frozen=True)
class Notice:
    kind: str
    recipient_ids: tuple[int, ...]
    title: str  # already in French, short: "Nouveau message de Mme Martin : Sortie au musée"
    url: str  # where the entry leads
    actor_id: int | None = None  # never notified of their own act
    school_id: int | None = None  # whose quiet hours apply; named when a family has several
    # The pupils it is about: a parent sees "Léa — CE1 A : …" for each of their own children
    # among them (the notifications app resolves which child is whose).
    pupil_ids: tuple[int, ...] = ()
    body: str = ""  # plain-text excerpt for e-mails and push
    group_key: str = ""  # entries with the same key are shown as one ("conversation:12")
    urgent: bool = False  # passes the quiet hours; only directors may set it (journaled)
    extra: dict = field(default_factory=dict)


_kinds: dict[str, NoticeKind] = {}


def register_kind(kind: NoticeKind) -> None:
    _kinds[kind.code] = kind


def kinds() -> list[NoticeKind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.code))


def kind(code: str) -> NoticeKind | None:
    return _kinds.get(code)


def announce(
    kind: str,
    recipient_ids: Iterable[int],
    *,
    title: str,
    url: str,
    **fields,
) -> None:
    """Tell `recipient_ids` about something, once the current transaction has committed."""
    recipients = tuple(sorted(set(recipient_ids) - {fields.get("actor_id")}))
    if not recipients:
        return
    if "pupil_ids" in fields:
        fields["pupil_ids"] = tuple(fields["pupil_ids"])
    events.emit("notice", notice=Notice(kind=kind, recipient_ids=recipients, title=title, url=url, **fields))
