"""announce() hands a notice to the subscribers of "notice" once the transaction commits."""

from preau.core import events
from preau.core.notices import Notice, announce

received: list[Notice] = []


@events.subscriber("notice")
def _collect(name, notice):
    received.append(notice)


def test_a_notice_leaves_only_after_commit_and_never_to_its_author(db, django_capture_on_commit_callbacks):
    received.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        announce("homework.published", [3, 1, 2, 1], title="Devoirs pour jeudi", url="/x", actor_id=2, pupil_ids=[9])
        assert received == []
    assert len(callbacks) == 1
    assert received[-1].recipient_ids == (1, 3)
    assert received[-1].pupil_ids == (9,)


def test_nothing_is_announced_to_nobody(db, django_capture_on_commit_callbacks):
    received.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        announce("homework.published", [5], title="t", url="/x", actor_id=5)
    assert callbacks == [] and received == []
