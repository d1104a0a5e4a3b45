#!/usr/bin/env bash
# Times a full AAF import of a synthetic académie: first import, then the same files again.
# Usage: bench/aaf_import.sh [SCHOOLS] — on SQLite by default, on PostgreSQL with DATABASE_URL set.
set -euo pipefail
cd "$(dirname "$0")/.."
SCHOOLS=${1:-1000}
PREAU=.venv/bin/preau
OUT=var/bench/aaf-$SCHOOLS/toulouse
export PREAU_REQUEST_LOG=0 LOG_LEVEL=WARNING
if [ -z "${DATABASE_URL:-}" ]; then
  rm -f var/bench/aaf.sqlite3*
  export DATABASE_URL=sqlite:///$PWD/var/bench/aaf.sqlite3
fi
echo "== base: $DATABASE_URL"
$PREAU migrate -v 0
$PREAU shell -c "
from preau.directory.models import RegionAcademique, Academie
region, _ = RegionAcademique.objects.get_or_create(name='Occitanie')
Academie.objects.get_or_create(code='16', defaults={'name': 'Toulouse', 'region': region, 'holiday_zone': 'C'})"
[ -d "$OUT" ] || $PREAU generate_aaf --schools "$SCHOOLS" --seed 1 --out "$OUT" --date 20260901
du -sh "$OUT"
for pass in "premier import" "ré-import (aucun changement)"; do
  echo "== $pass"
  /usr/bin/time -f "durée %e s, mémoire max %M Ko" $PREAU import_aaf "$OUT" --academie Toulouse 2>&1 >var/bench/summary.json | tr '\r' '\n' | tail -1
  python3 -c "import json; s=json.load(open('var/bench/summary.json')); print({k: s[k] for k in ('applied', 'created', 'updated', 'detached')})"
done
