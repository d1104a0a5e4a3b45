import pytest

from preau.directory.factories import WORLD_PEOPLE, policy_world, world_person

PEOPLE = [name for name in WORLD_PEOPLE if name not in ("colleague", "anonymous")]


@pytest.fixture
def world(db):
    """Académie A: S1 (class K1) in commune C1 and circonscription 1; S2 in C2, département 2."""
    return policy_world()


def make_person(name: str, w):
    """The person of row `name`: "teacher" teaches K1, "other_school_teacher" S2's class K2."""
    return world_person(name, w)
