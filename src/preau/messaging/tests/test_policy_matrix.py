"""Who may write to whom, under the default rules: the table below IS the rule book.

Rows are senders, columns recipients (the world of conftest.py: S1 is "our" school, S2 the
other school of the same académie, in another circonscription, département and commune).
`may_write` and `allowed_recipients` are checked for every cell; "·" is the sender themself.

Columns: pup=pupil cls=classmate tch=teacher dir=director par=parent elp=elected_parent
ref=city_referent con=city_contributor per=periscolaire adv=advisor eru=erun ien=ien
dsd=dsden_admin aca=academie_admin odr=other_director otc=other_teacher opa=other_parent
opu=other_pupil orf=other_city_referent ope=operator
"""

import pytest

from preau.directory.factories import PersonFactory
from preau.messaging import rules

from .conftest import PEOPLE

MATRIX = """
                     pup cls tch dir par elp ref con per adv eru ien dsd aca odr otc opa opu orf ope
pupil                 ·   -  yes  -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   -
classmate             -   ·  yes  -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   -
teacher              yes yes  ·  yes yes yes yes yes yes yes yes yes  -   -   -   -   -   -   -   -
director             yes yes yes  ·  yes yes yes yes yes yes yes yes yes yes  -   -   -   -   -   -
parent                -   -  yes yes  ·  yes yes yes yes  -   -   -   -   -   -   -   -   -   -   -
elected_parent        -   -  yes yes  -   ·  yes yes yes  -   -   -   -   -   -   -   -   -   -   -
city_referent         -   -  yes yes yes yes  ·  yes yes  -   -   -   -   -   -   -   -   -   -   -
city_contributor      -   -  yes yes yes yes yes  ·  yes  -   -   -   -   -   -   -   -   -   -   -
periscolaire          -   -  yes yes yes yes yes yes  ·   -   -   -   -   -   -   -   -   -   -   -
advisor               -   -  yes yes  -   -   -   -   -   ·  yes yes yes yes  -   -   -   -   -   -
erun                  -   -  yes yes  -   -   -   -   -  yes  ·  yes yes yes  -   -   -   -   -   -
ien                   -   -  yes yes  -   -   -   -   -  yes yes  ·  yes yes  -   -   -   -   -   -
dsden_admin           -   -  yes yes  -   -   -   -   -  yes yes yes  ·  yes  -   -   -   -   -   -
academie_admin        -   -  yes yes  -   -   -   -   -  yes yes yes yes  ·  yes yes  -   -   -   -
other_director        -   -   -   -   -   -   -   -   -   -   -   -   -  yes  ·  yes yes yes yes  -
other_teacher         -   -   -   -   -   -   -   -   -   -   -   -   -   -  yes  ·  yes yes yes  -
other_parent          -   -   -   -   -   -   -   -   -   -   -   -   -   -  yes yes  ·   -  yes  -
other_pupil           -   -   -   -   -   -   -   -   -   -   -   -   -   -   -  yes  -   ·   -   -
other_city_referent   -   -   -   -   -   -   -   -   -   -   -   -   -   -  yes yes yes  -   ·   -
operator              -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   ·
"""


def _parse(table: str) -> dict[str, dict[str, bool | None]]:
    rows = [line.split() for line in table.strip().splitlines()[1:]]
    return {
        row[0]: {
            recipient: (None if cell == "·" else cell == "yes") for recipient, cell in zip(PEOPLE, row[1:], strict=True)
        }
        for row in rows
    }


EXPECTED = _parse(MATRIX)


def test_the_table_covers_every_profile():
    assert list(EXPECTED) == PEOPLE


@pytest.mark.parametrize("sender_name", PEOPLE)
def test_who_may_write_to_whom(world, sender_name):
    sender = world[sender_name]
    allowed = set(rules.allowed_recipients(sender).values_list("pk", flat=True))
    wrong = []
    for recipient_name, expected in EXPECTED[sender_name].items():
        if expected is None:
            assert not rules.may_write(sender, world[recipient_name])
            continue
        recipient = world[recipient_name]
        answer = rules.may_write(sender, recipient)
        if answer is not expected or (recipient.pk in allowed) is not expected:
            wrong.append(f"{recipient_name}: attendu {expected}, obtenu {answer}")
    assert not wrong, f"{sender_name} → " + "; ".join(wrong)


def test_anonymous_writes_to_nobody(world):
    from django.contrib.auth.models import AnonymousUser

    assert not rules.may_write(AnonymousUser(), world["teacher"])
    assert rules.lists_for(AnonymousUser()) == []


def test_inactive_people_receive_nothing(world):
    world["parent"].is_active = False
    world["parent"].save()
    assert not rules.may_write(world["teacher"], world["parent"])


def test_a_pupil_writes_to_classmates_only_when_the_teacher_allows_it(world, fresh):
    from preau.messaging import rule_actions

    pupil, classmate = world["pupil"], world["classmate"]
    assert not rules.may_write(pupil, classmate)
    rule_actions.set_class_rule(world["teacher"], world.school_class, pupils_write_classmates=True)
    assert rules.may_write(fresh(pupil), classmate)
    assert f"classe-eleves:{world.school_class.pk}" in {item.code for item in rules.lists_for(pupil)}
    # …and not when the school forbids teachers to allow it.
    rule_actions.save_school_rules(world["director"], world.school, {**_defaults(), "pupils_write_classmates": False})
    assert not rules.may_write(fresh(pupil), classmate)


def test_a_school_may_let_families_write_to_each_other(world, fresh):
    from preau.messaging import rule_actions

    parent, other_family = world["parent"], world["elected_parent"]
    another = PersonFactory()
    from preau.directory.models import GuardianLink

    GuardianLink.objects.create(guardian=another, child=world["classmate"], relationship="pere")
    assert not rules.may_write(parent, another)
    rule_actions.save_school_rules(world["director"], world.school, {**_defaults(), "parents_write_families": True})
    assert rules.may_write(fresh(parent), another)
    assert rules.may_write(parent, other_family)
    # The other school's families stay out of reach.
    assert not rules.may_write(parent, world["other_parent"])


def test_the_academie_rules_apply_to_schools_without_their_own(world, fresh):
    from preau.messaging import rule_actions

    assert rules.may_write(world["parent"], world["city_referent"])
    rule_actions.save_academie_rules(
        world["academie_admin"], world.academie, {**_defaults(), "commune_staff_write_families": False}
    )
    assert not rules.may_write(fresh(world["parent"]), world["city_referent"])
    assert not rules.may_write(fresh(world["city_referent"]), world["parent"])
    # The school's own rules win over the académie's.
    rule_actions.save_school_rules(world["director"], world.school, _defaults())
    assert rules.may_write(fresh(world["parent"]), world["city_referent"])
    rule_actions.reset_school_rules(world["director"], world.school)
    assert not rules.may_write(fresh(world["parent"]), world["city_referent"])


def test_a_suspended_person_writes_to_nobody(world, fresh):
    from preau.messaging import rule_actions

    rule_actions.suspend_writing(
        world["director"], person=world["parent"], school=world.school, reason="Propos injurieux"
    )
    parent = fresh(world["parent"])
    assert rules.is_suspended(parent)
    assert not rules.may_write(parent, world["teacher"])
    assert rules.allowed_recipients(parent).count() == 0
    assert rules.lists_for(parent) == []


LISTS = {
    "teacher": {"classe-parents:K1", "classe-eleves:K1", "ecole-enseignants:S1", "ecole-parents-elus:S1"},
    "director": {
        "classe-parents:K1",
        "classe-eleves:K1",
        "ecole-enseignants:S1",
        "ecole-parents-elus:S1",
        "ecole-familles:S1",
    },
    "parent": {"ecole-parents-elus:S1"},
    "pupil": {"classe-enseignants:K1"},
    "city_referent": {"ecole-familles:S1"},
    "ien": {"circonscription-directeurs:C", "circonscription-enseignants:C"},
    "operator": set(),
}


@pytest.mark.parametrize("name", list(LISTS))
def test_each_profile_is_offered_its_lists(world, name):
    codes = {item.code for item in rules.lists_for(world[name])}
    normalised = set()
    for code in codes:
        kind, _, number = code.partition(":")
        if kind.startswith("classe"):
            normalised.add(f"{kind}:{'K1' if int(number) == world.school_class.pk else number}")
        elif kind.startswith("ecole"):
            normalised.add(f"{kind}:{'S1' if int(number) == world.school.pk else number}")
        else:
            normalised.add(f"{kind}:C")
    assert normalised == LISTS[name]


def test_a_class_parents_list_holds_its_families_only_hidden_from_each_other(world):
    item = rules.list_by_code(world["teacher"], f"classe-parents:{world.school_class.pk}")
    assert item.hidden and item.families
    assert set(item.resolve()) == {world["parent"], world["elected_parent"]}
    assert str(item.label) == "Parents de CE1 A"


def test_may_write_costs_one_query_once_the_scope_is_known(world, django_assert_max_num_queries):
    teacher = world["teacher"]
    rules.may_write(teacher, world["parent"])
    with django_assert_max_num_queries(2):
        assert rules.may_write(teacher, world["director"])


def _defaults() -> dict:
    return {name: getattr(rules.DEFAULT_RULES, name) for name in rules.CommunicationRules.RULE_FIELDS}
