"""`preau publish_due_homework`: publish every séance and work whose time has come.

The safety net of scheduled publication (each item also has its own queued task): run it from
cron every few minutes. Running it twice publishes and tells nothing twice.
"""

from django.core.management.base import BaseCommand

from preau.homework.publication import publish_due


class Command(BaseCommand):
    help = "Publie les séances et travaux programmés dont l'heure est passée."

    def handle(self, *args, **options) -> None:
        count = publish_due()
        self.stdout.write(f"{count} publication(s) du cahier de textes.")
