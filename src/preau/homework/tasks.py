"""Background work of the cahier de textes: publishing what was scheduled for later."""

from django_tasks import task

from .models import Entry, Work


@task()
def publish_scheduled(kind: str, item_id: int) -> bool:
    """Publish a séance ("entry") or a work ("work") if its time has come; nothing otherwise.

    An item rescheduled later, withdrawn or deleted meanwhile is left alone: its own task (or
    `preau publish_due_homework`) will publish it at its new time.
    """
    from .publication import publish_one  # publication imports this module to enqueue

    model = Work if kind == "work" else Entry
    item = model.objects.select_related("school_class").filter(pk=item_id).first()
    return bool(item) and publish_one(item)
