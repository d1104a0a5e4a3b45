"""Background work of the notifications: the fan-out of each notice and the daily digests."""

from django_tasks import task

from . import delivery, mail


@task()
def fan_out_notice(notice: dict) -> dict[str, int]:
    """Timeline entries, live updates, e-mails, digest lines and pushes of one notice."""
    return delivery.deliver(delivery.notice_from_json(notice))


@task()
def send_daily_digests() -> int:
    """The morning digests (the same as `preau send_digests`, for a scheduler that runs tasks)."""
    return mail.send_digests()
