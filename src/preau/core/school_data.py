"""Deleting everything the services keep for a school: the contract between them and `conventions`.

When a school's access period is over, `conventions.lifecycle.purge_school_data` deletes its
classes and roles, but the School row stays (the directory lists it), so whatever a service keys
on the school would survive. Each service therefore registers an **eraser** in its
AppConfig.ready(): `register(code, label, erase)`. `core` knows no app, and `conventions`
imports no service.

The contract of `erase(school_id) -> int`:

- it deletes everything its app keeps for that school: rows bound to the school, to its
  classes and groups (the eraser runs before they are deleted), and rows only reachable through
  those, with their uploaded files (`core.files.delete_unused_files`);
- it returns the number of rows it deleted (cascades included), for the journal's counts;
- it runs inside the caller's transaction and must not commit: if the purge rolls back,
  nothing is deleted, and no file either (files go once the transaction commits);
- it is idempotent: a second call for the same school finds nothing and returns 0;
- what it deliberately keeps (people's own copies, records the law requires) its docstring says.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class Eraser:
    code: str  # the app's label: "blog", "messaging"…; the key of its count
    label: str  # what the count is about: "Blogs"
    erase: Callable[[int], int]


_erasers: dict[str, Eraser] = {}


def register(code: str, label: str, erase: Callable[[int], int]) -> None:
    _erasers[code] = Eraser(code, label, erase)


def erasers() -> list[Eraser]:
    """Every registered eraser, by code: the same order at each run."""
    return sorted(_erasers.values(), key=lambda eraser: eraser.code)


def erase_school(school_id: int) -> dict[str, int]:
    """Run every eraser for the school, all or nothing; the rows deleted per code."""
    with transaction.atomic():
        return {eraser.code: eraser.erase(school_id) for eraser in erasers()}
