"""`preau import_csv FILE --academie NAME [--dry-run]`: people outside the AAF (docs/import-csv.md).

Prints the JSON summary on its last line; exits 0 when the file was valid, 1 otherwise.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from preau.feeder.actions import import_csv_file

from .import_aaf import find_academie


class Command(BaseCommand):
    help = "Importe un fichier CSV de personnes hors AAF (commune, périscolaire, école hors annuaire)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--academie", required=True, help="nom ou code de l'académie")
        parser.add_argument("--dry-run", action="store_true", help="rapporte ce qui changerait sans rien écrire")

    def handle(self, *args, path, academie, dry_run=False, **options):
        run = import_csv_file(
            None, name=path.name, data=path.read_bytes(), academie=find_academie(academie), dry_run=dry_run
        )
        summary = run.report["summary"]
        for error in summary["errors"][:50]:
            self.stderr.write(f"ERREUR ligne {error['line'] or '-'} [{error['id']}] {error['message']}")
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if summary["errors"]:
            sys.exit(1)
