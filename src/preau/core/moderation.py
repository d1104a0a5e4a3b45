"""What publishing services and the `moderation` app agree on (conventions, art. 6).

A service never imports `moderation`, nor the reverse. Instead:

- a service **registers** each kind of content it publishes (`register(ModeratedKind(...))` in
  its AppConfig.ready()), with the functions that moderation calls to act on one item:
  `describe` (what the queue shows), `approve`, `refuse`, `unpublish`, `restore`,
  and `visible_to` (may this person see it, hence report it?);
- a service **submits** an item to the queue (`submit(...)`) when it must wait for a decision
  (a pupil's post, a contribution the screen flagged), **announces** what it published
  (`published(...)`) so that the publication director sees the recent items, and what it took
  offline on its own page (`withdrawn(...)`) so that the queue does not keep it pending or
  reported;
- anyone **reports** an item through the moderation app's page, which checks `visible_to`.

`screen(text, academie_id)` is the automatic first screen (insults, slurs, personal data);
the moderation app installs the screener with the académie's word lists.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import events


@dataclass(frozen=True)
class Described:
    """One item as the moderation queue shows it."""

    title: str
    excerpt: str  # plain text
    author_id: int | None
    author_label: str
    url: str  # where the item is (for the publication director)
    school_id: int | None = None  # whose director answers for it…
    commune_id: int | None = None  # …or whose référent ville
    is_published: bool = False


@dataclass(frozen=True)
class ModeratedKind:
    code: str  # "blog.post", "blog.comment", "news.item", "messaging.message", …
    label: str  # "article de blog"
    describe: Callable[[int], Described | None]
    visible_to: Callable[[Any, int], bool]
    approve: Callable[[Any, int], None] | None = None
    refuse: Callable[[Any, int, str], None] | None = None
    unpublish: Callable[[Any, int, str], None] | None = None
    restore: Callable[[Any, int], None] | None = None


@dataclass(frozen=True)
class Flag:
    """Something the screen found: "insulte", "donnée personnelle (téléphone)", …"""

    category: str
    excerpt: str


_kinds: dict[str, ModeratedKind] = {}
_screener: list[Callable[[str, int | None], list[Flag]]] = []


def register(kind: ModeratedKind) -> None:
    _kinds[kind.code] = kind


def kind(code: str) -> ModeratedKind | None:
    return _kinds.get(code)


def kinds() -> list[ModeratedKind]:
    return list(_kinds.values())


def install_screener(screener: Callable[[str, int | None], list[Flag]]) -> None:
    _screener[:] = [screener]


def screen(text: str, academie_id: int | None) -> list[Flag]:
    """The flags of the académie's screen on `text` (none when no screener is installed)."""
    return _screener[0](text, academie_id) if _screener else []


@dataclass(frozen=True)
class Submission:
    kind: str
    object_id: int
    cause: str  # "pupil" (waits for the teacher), "screen" (flagged), "public" (public blog)
    flags: tuple[Flag, ...] = field(default_factory=tuple)
    # Who decides: the teacher(s) of a class for pupils' posts, else the publication director.
    decider_ids: tuple[int, ...] = ()


def submit(kind: str, object_id: int, *, cause: str, flags=(), decider_ids=()) -> None:
    """Put an item in the queue (after commit). The service keeps it unpublished meanwhile."""
    events.emit(
        "moderation.submitted",
        submission=Submission(kind, object_id, cause, tuple(flags), tuple(decider_ids)),
    )


def published(kind: str, object_id: int) -> None:
    """Tell the publication director's queue that an item went online (after commit)."""
    events.emit("moderation.published", kind=kind, object_id=object_id)


def withdrawn(kind: str, object_id: int, *, refused: bool = False) -> None:
    """Tell the queue that the service took an item offline (refused or unpublished) on its own
    page, after commit: the queue's item follows and its open reports are closed."""
    events.emit("moderation.withdrawn", kind=kind, object_id=object_id, refused=refused)
