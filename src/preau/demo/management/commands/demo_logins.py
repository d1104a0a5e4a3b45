"""`preau demo_logins`: the demo accounts, one per profile, with their passwords."""

import json

from django.core.management.base import BaseCommand

from preau.demo.data import DEMO_LOGINS
from preau.directory.models import Profile


def capitalized(label) -> str:
    text = str(label)
    return text[:1].upper() + text[1:]


class Command(BaseCommand):
    help = "Affiche les comptes de démonstration (profil, identifiant, mot de passe, nom)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Une liste JSON, pour les scripts et les tests.")

    def handle(self, *args, **options):
        if options["json"]:
            self.stdout.write(json.dumps([login.as_dict() for login in DEMO_LOGINS], ensure_ascii=False, indent=2))
            return
        header = ("Profil", "Identifiant", "Mot de passe", "Nom")
        rows = [
            (capitalized(Profile(login.profile).label), login.username, login.password, login.name)
            for login in DEMO_LOGINS
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        self.stdout.write("Comptes de démonstration (http://127.0.0.1:8000/connexion/) :")
        for row in [header, tuple("-" * width for width in widths), *rows]:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
