"""The world of the liaison tests, and the people of the policy matrix.

Académie A: school S1 (classes K1 and K1b) in commune C1 and circonscription 1; school S2
(class K2) in commune C2, département 2. Every profile of the matrix is built on it.
"""

import pytest

from preau.core import events
from preau.directory.factories import WORLD_PEOPLE, WORLD_ROLES, enrol, policy_world, world_person
from preau.directory.models import Profile

# "teacher" teaches K1, "other_class_teacher" K1b (same school), "other_school_teacher" K2.
ROLES = {**WORLD_ROLES, "other_class_teacher": (Profile.TEACHER, "school")}
TEACHING = {"teacher": "class", "other_class_teacher": "other_class", "other_school_teacher": "other_school_class"}
FAMILIES = {"other_class_parent": "other_class", "other_school_parent": "other_school_class"}
PEOPLE = [
    *(name for name in WORLD_PEOPLE if name not in ("colleague", "other_academie_admin")),
    "other_class_teacher",
    "other_class_parent",
]


@pytest.fixture
def world(db):
    return policy_world(
        classes={"class": "K1", "other_class": "K1b"}, other_school_classes={"other_school_class": "K2"}
    )


def make_person(name: str, w):
    """One person of the matrix. The pupil and parent are the family of `w["child"]` (in K1)."""
    if name == "pupil":
        return w["child"]
    if name == "parent":
        return w["child_parent"]
    return world_person(name, w, roles=ROLES, teaching=TEACHING, families=FAMILIES)


@pytest.fixture
def family(world):
    """A child of K1 with their guardian, in the world (the matrix's pupil and parent)."""
    child, (parent,) = enrol(world["class"])
    world["child"], world["child_parent"] = child, parent
    return child, parent


received: list = []


@events.subscriber("notice")
def _collect_notice(name, notice):
    received.append(notice)


@pytest.fixture
def notices():
    """The notices announced during the test (their transaction committed)."""
    received.clear()
    yield received
    received.clear()
