"""Delete the messages older than the retention period that nobody keeps (run daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from preau.messaging.actions import purge_expired_messages


class Command(BaseCommand):
    help = "Supprime les messages plus anciens que la durée de conservation que plus personne ne garde."

    def handle(self, *args, **options):
        count = purge_expired_messages()
        days = settings.PREAU_MESSAGING_RETENTION_DAYS
        self.stdout.write(f"{count} message(s) de plus de {days} jours supprimé(s).")
