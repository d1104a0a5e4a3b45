"""`preau load_demo`: the demo académie, once (a second run changes nothing)."""

from django.core.management.base import BaseCommand

from preau.demo.data import load_demo


class Command(BaseCommand):
    help = "Crée l'académie de démonstration (écoles réelles, personnes fictives) si la base est vide."

    def handle(self, *args, **options):
        totals = load_demo()
        if totals is None:
            self.stdout.write("Une région académique existe déjà : les données de démonstration ne sont pas chargées.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Académie de démonstration créée en {totals['seconds']} s : {totals['schools']} écoles,"
                f" {totals['schoolclass']} classes, {totals['person']} personnes,"
                f" {totals['guardianlink']} liens responsable–élève."
            )
        )
