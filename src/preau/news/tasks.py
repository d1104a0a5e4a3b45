"""Background work of the news: telling readers of an item scheduled for later."""

from django_tasks import task

from .models import NewsItem


@task()
def announce_news(item_id: int) -> bool:
    from .actions import announce

    item = NewsItem.objects.filter(pk=item_id).first()
    return bool(item) and announce(item)
