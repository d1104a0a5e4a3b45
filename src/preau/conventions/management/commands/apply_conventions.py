"""`preau apply_conventions`: run daily (cron, systemd timer) to move conventions with the calendar.

Expires conventions past their end date, makes notified terminations effective, ends the
coverage of schools no convention covers any more (three months of read-only access), deletes
the data of schools whose access period is over, and sends the reminders due. Idempotent.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from preau.conventions.lifecycle import apply_conventions


class Command(BaseCommand):
    help = "Applique le calendrier des conventions (fin, résiliation, couverture, suppression, rappels)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Le jour à appliquer (AAAA-MM-JJ), aujourd'hui par défaut.")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError as error:
            raise CommandError(f"Date invalide : {date} (attendu AAAA-MM-JJ).") from error
        report = apply_conventions(today)
        for line in report.details:
            self.stdout.write(line)
        summary = report.as_dict()
        self.stdout.write(
            self.style.SUCCESS(
                "Conventions : {expired} expirée(s), {terminated} résiliée(s), {coverage_ended} fin(s) de"
                " couverture, {purged} école(s) supprimée(s), {reminders} rappel(s).".format(**summary)
            )
        )
