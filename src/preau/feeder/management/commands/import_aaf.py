"""`preau import_aaf PATH... [--academie NAME] [--dry-run]`: feed the directory from AAF files.

Prints a progress bar on the terminal and, on its last line, the JSON summary. Exits 0 when
the set was valid (applied, or would apply under --dry-run), 1 when blocking errors stopped it.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from preau.directory.models import Academie
from preau.feeder.actions import import_aaf_files


class Command(BaseCommand):
    help = "Importe les fichiers de l'annuaire académique fédérateur (AAF) dans l'annuaire de Préau."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="fichiers ou dossiers de l'AAF")
        parser.add_argument("--academie", help="nom ou code de l'académie (par défaut : le nom du dossier)")
        parser.add_argument("--dry-run", action="store_true", help="rapporte ce qui changerait sans rien écrire")

    def handle(self, *args, paths, academie=None, dry_run=False, **options):
        target = self._academie(academie, paths)
        run = import_aaf_files(None, paths=paths, academie=target, dry_run=dry_run, progress=self._progress)
        sys.stderr.write("\n")
        summary = run.report["summary"]
        for error in summary["errors"][:50]:
            self.stderr.write(f"ERREUR {error['file']}:{error['line'] or '-'} [{error['id']}] {error['message']}")
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if summary["errors"]:
            sys.exit(1)

    def _academie(self, name: str | None, paths: list[Path]) -> Academie:
        # One folder per académie: its name (e.g. "toulouse") names the académie by default.
        candidate = name or (paths[0].name if paths[0].is_dir() else paths[0].parent.name)
        return find_academie(candidate)

    def _progress(self, done: int, total: int, step: str) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {step[:60]:<60}")
        sys.stderr.flush()


def find_academie(candidate: str) -> Academie:
    found = Academie.objects.filter(
        Q(name__iexact=candidate)
        | Q(code=candidate)
        | Q(name__iexact=f"Académie de {candidate}")
        | Q(name__iendswith=f" {candidate}")
    ).first()
    if found is None:
        known = ", ".join(Academie.objects.values_list("name", flat=True)) or "aucune"
        raise CommandError(f"Académie « {candidate} » inconnue (académies : {known}). Précisez --academie.")
    return found
