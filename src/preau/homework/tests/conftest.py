"""The world of the cahier de textes tests: one school observed, another one beside it."""

import pytest

from preau.directory.factories import (
    WORLD_FAMILIES,
    WORLD_PEOPLE,
    WORLD_ROLES,
    WORLD_TEACHING,
    policy_world,
    world_person,
)
from preau.directory.factories import enrol as enrol_pupil
from preau.directory.models import Profile

# "teacher" and "replacement_teacher" teach K1 ("CE1 A"); "colleague" teaches K2 ("CE1 B") beside
# it, where "classmate_parent" has a child; "other_ien" oversees circonscription 2.
ROLES = {
    **WORLD_ROLES,
    "replacement_teacher": (Profile.TEACHER, "school"),
    "other_ien": (Profile.IEN, "other_circonscription"),
}
TEACHING = {**WORLD_TEACHING, "replacement_teacher": "class", "colleague": "sibling_class"}
FAMILIES = {**WORLD_FAMILIES, "classmate_parent": "sibling_class"}
PEOPLE = [
    *(name for name in WORLD_PEOPLE if name != "other_academie_admin"),
    "classmate_parent",
    "replacement_teacher",
    "other_ien",
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db):
    """Académie A: school S1 (class K1, and K2 beside it) in commune C1 and circonscription 1;
    school S2 (class L1) in commune C2, circonscription 2."""
    return policy_world(
        classes={"class": "CE1 A", "sibling_class": "CE1 B"}, other_school_classes={"other_class": "L1"}
    )


def enrol(school_class, *, with_parent: bool = False):
    """A pupil of `school_class`, and their mother when asked."""
    pupil, parents = enrol_pupil(school_class, guardians=1 if with_parent else 0)
    return (pupil, parents[0]) if with_parent else pupil


def make_person(name: str, w):
    """The person of row `name` of the policy tables (None for the anonymous visitor)."""
    if name == "anonymous":
        return None
    return world_person(name, w, roles=ROLES, teaching=TEACHING, families=FAMILIES)


@pytest.fixture
def captured():
    """Events emitted after commit, by name: {"notice": [...], "homework.work_published": [...]}."""
    from preau.core import events

    found: dict[str, list] = {}

    def collect(name, **payload):
        found.setdefault(name, []).append(payload)

    names = ("notice", "homework.work_published", "homework.work_changed", "homework.work_withdrawn")
    for name in names:
        events._subscribers[name].append(collect)
    yield found
    for name in names:
        events._subscribers[name].remove(collect)
