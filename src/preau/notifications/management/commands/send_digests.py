"""`preau send_digests`: the morning's digests (run from cron each morning, see README-ops.md)."""

from django.core.management.base import BaseCommand

from preau.notifications.mail import send_digests
from preau.notifications.tasks import send_daily_digests


class Command(BaseCommand):
    help = "Envoie à chacun le résumé de ses notifications en attente (chaque matin, par cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--en-tache",
            action="store_true",
            dest="queue",
            help="Confier l'envoi au worker des tâches au lieu de l'envoyer ici.",
        )

    def handle(self, *args, queue: bool = False, **options):
        if queue:
            send_daily_digests.enqueue()
            self.stdout.write("Envoi des résumés confié au worker.")
            return
        sent = send_digests()
        self.stdout.write(self.style.SUCCESS(f"{sent} résumé(s) envoyé(s)."))
