"""The cahier de textes' events, kept as due dates in the agendas of pupils and parents.

Subscribed in AppConfig.ready(); they run after the homework app's transaction commits.
"""

from preau.core.events import subscriber

from . import actions


@subscriber("homework.work_published")
@subscriber("homework.work_changed")
def keep_work(*, name: str, work_id: int, school_class_ids, due_date, title: str, url: str, school_id: int, **_):
    actions.keep_homework_due(
        work_id=work_id, school_class_ids=school_class_ids, due_date=due_date, title=title, url=url, school_id=school_id
    )


@subscriber("homework.work_withdrawn")
def forget_work(*, name: str, work_id: int, **_):
    actions.forget_homework_due(work_id=work_id)
