"""How notices reach this app: the subscriber of the "notice" event (see core.notices).

It only queues the fan-out, so that telling 300 families answers the sender at once.
`deliver_pending()` runs the queued fan-outs in this process, for when no worker runs.
"""

import logging

from django.utils.crypto import get_random_string
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from preau.core import events
from preau.core.notices import Notice

from .delivery import notice_to_json
from .tasks import fan_out_notice

log = logging.getLogger(__name__)


@events.subscriber("notice")
def on_notice(name: str, notice: Notice) -> None:
    fan_out_notice.enqueue(notice_to_json(notice))


def deliver_pending() -> int:
    """Run here and now the fan-outs still waiting in the database queue; how many ran.

    For when no worker runs (a demo loaded before the server, a test): with another task
    backend there is nothing waiting, and nothing is done.
    """
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    backend = task_backends[fan_out_notice.backend]
    if not isinstance(backend, DatabaseBackend):
        return 0
    worker_id = f"notifications-{get_random_string(12)}"
    done = 0
    while True:
        with exclusive_transaction(DBTaskResult.objects.db):
            waiting = (
                DBTaskResult.objects.ready()
                .filter(backend_name=backend.alias, task_path=fan_out_notice.module_path)
                .get_locked()
            )
            if waiting is None:
                return done
            waiting.claim(worker_id)
        result = waiting.task_result
        try:
            value = fan_out_notice.call(*result.args, **result.kwargs)
        except Exception as error:
            log.exception("notice fan-out failed")
            waiting.set_failed(error)
        else:
            waiting.set_successful(value)
            done += 1
