"""The bench's tables, from Locust's CSV statistics and the scenario's own counts.

Usage: `python bench/report.py var/bench/load` prints the report of the last `bench/run.py`
(it reads `results.json`, which run.py writes, and the CSV files it names).
"""

import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path

# The targets of issue 8.
MAX_QUERIES = 15
MIN_FLOOR_SHARE = 0.5
MAX_P95_MS = 150
MIN_ANSWERED_WITHIN_1S = 0.99


@dataclass
class Row:
    name: str
    method: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    mean: float


def read_stats(prefix: Path) -> tuple[list[Row], Row | None]:
    """Per-page rows and the total of a Locust run (`--csv prefix`); steps with nothing to do apart."""
    rows, total = [], None
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for record in csv.DictReader(handle):
            row = Row(
                name=record["Name"],
                method=record["Type"],
                requests=int(record["Request Count"]),
                failures=int(record["Failure Count"]),
                rps=float(record["Requests/s"]),
                p50=_ms(record["50%"]),
                p95=_ms(record["95%"]),
                p99=_ms(record["99%"]),
                mean=float(record["Average Response Time"] or 0),
            )
            if record["Name"] == "Aggregated":
                total = row
            else:
                rows.append(row)
    return rows, total


def _ms(value: str) -> float:
    return float(value) if value not in ("", "N/A") else 0.0


def page_rows(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r.method != "RIEN"]


def pages_table(rows: list[Row], total: Row | None, extra: dict, floor: dict[str, float] | None = None) -> str:
    """The per-page table: rps, latencies, errors, queries per request, share of the floor."""
    queries = extra.get("queries", {})
    floor = floor or {}
    header = (
        f"{'page':<48} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'err':>5}"
        f" {'req SQL':>8} {'max SQL':>7} {'% plancher':>10}"
    )
    lines = [header, "-" * len(header)]
    for row in sorted(page_rows(rows), key=lambda r: -r.requests):
        seen = queries.get(row.name, {})
        share = floor.get(row.name)
        lines.append(
            f"{row.name[:48]:<48} {row.rps:7.1f} {row.p50:6.0f} {row.p95:6.0f} {row.p99:6.0f} {row.failures:5d}"
            f" {seen.get('mean', 0):8.1f} {seen.get('max', 0):7d} {'' if share is None else f'{share:.0%}':>10}"
        )
    if total is not None:
        lines.append("-" * len(header))
        worst = max((q.get("max", 0) for q in queries.values()), default=0)
        lines.append(
            f"{'TOTAL':<48} {total.rps:7.1f} {total.p50:6.0f} {total.p95:6.0f} {total.p99:6.0f} {total.failures:5d}"
            f" {'':>8} {worst:7d}"
        )
    nothing = [r for r in rows if r.method == "RIEN"]
    if nothing:
        lines.append(
            "Étapes sans rien à faire (données absentes) : " + ", ".join(f"{r.name} ×{r.requests}" for r in nothing)
        )
    return "\n".join(lines)


def status_summary(extra: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for per_status in extra.get("statuses", {}).values():
        for status, n in per_status.items():
            counts[status] = counts.get(status, 0) + n
    return dict(sorted(counts.items()))


def recovery_seconds(probe: list[list[float]], normal_ms: float) -> float | None:
    """Time from the stop of the load until the probe's answers are normal again and stay so."""
    for index, (sent, _status, ms) in enumerate(probe):
        if all(status == 200 and later_ms <= normal_ms for _s, status, later_ms in probe[index:]):
            return round(sent + ms / 1000, 2)
    return None


def report(out: Path) -> str:
    results = json.loads((out / "results.json").read_text())
    parts = [f"Banc d'essai Préau — {results['title']}"]
    for run in results["runs"]:
        parts.append(_run_report(out, run, results))
    return "\n\n".join(parts)


def _run_report(out: Path, run: dict, results: dict) -> str:
    lines = [f"=== {run['workers']} processus serveur, max {run['max_in_flight']} requêtes en cours par processus ==="]
    mix_rows, mix_total = read_stats(out / run["mix"])
    mix_extra = json.loads((out / f"{run['mix']}_extra.json").read_text())
    solo = run["solo"]
    floor_rps = solo.get("plancher", {}).get("rps")
    shares = {name: page["rps"] / floor_rps for name, page in solo.items()} if floor_rps else {}
    lines.append(f"-- Matinée d'école : {run['mix_users']} personnes en ligne, {run['mix_seconds']} s")
    lines.append(pages_table(mix_rows, mix_total, mix_extra, shares))
    if mix_extra.get("skipped_steps"):
        missing = "; ".join(f"{label} ({', '.join(names)})" for label, names in mix_extra["skipped_steps"].items())
        lines.append(f"Étapes laissées de côté, URL absentes : {missing}")
    lines.append(
        f"Temps CPU du serveur par requête : {run['mix_cpu_ms']:.1f} ms ;"
        f" connexions PostgreSQL ouvertes par requête : {run['db_sessions_per_request']:.2f}"
    )
    lines.append("")
    lines.append(f"-- Chaque page seule ({run['solo_users']} utilisateurs sans pause), comparée au plancher")
    floor_cpu = solo.get("plancher", {}).get("cpu_ms")
    lines.append(f"{'page':<48} {'req/s':>7} {'p50':>6} {'CPU ms':>7} {'% débit':>8} {'% CPU':>6}")
    for name, page in sorted(solo.items(), key=lambda item: -item[1]["rps"]):
        share = page["rps"] / floor_rps if floor_rps else 0
        by_cpu = floor_cpu / page["cpu_ms"] if floor_cpu and page["cpu_ms"] else 0
        flag = "" if share >= MIN_FLOOR_SHARE or name == "plancher" else "  < 50 % du plancher"
        lines.append(
            f"{name[:48]:<48} {page['rps']:7.1f} {page['p50']:6.0f} {page['cpu_ms']:7.1f}"
            f" {share:8.0%} {by_cpu:6.0%}{flag}"
        )
    lines.append("(% débit : req/s de la page / req/s du plancher ; % CPU : CPU du plancher / CPU de la page)")
    lines.append("")
    lines.append("-- Recherche du pic (scénario complet, sans pause)")
    lines.append(f"{'utilisateurs':>12} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'err':>5}")
    for users, step in run["steps"].items():
        lines.append(
            f"{users:>12} {step['rps']:7.1f} {step['p50']:6.0f} {step['p95']:6.0f} {step['p99']:6.0f}"
            f" {step['failures']:5d}"
        )
    peak = run["peak"]
    lines.append(
        f"Pic : {peak['rps']:.1f} req/s ; 80 % du pic atteint à {peak['users_at_80']} utilisateurs,"
        f" p95 {peak['p95_at_80']:.0f} ms (cible < {MAX_P95_MS} ms)"
    )
    if run.get("overload"):
        lines.append("")
        lines.append(_overload_report(out, run["overload"]))
    return "\n".join(lines)


def _overload_report(out: Path, overload: dict) -> str:
    rows, total = read_stats(out / overload["csv"])
    extra = json.loads((out / f"{overload['csv']}_extra.json").read_text())
    statuses = status_summary(extra)
    answered = extra["answered_within_1s"] / max(extra["answered"], 1)
    other_5xx = sum(n for status, n in statuses.items() if status.startswith("5") and status != "503")
    failed = statuses.get("0", 0)
    recovery = recovery_seconds(extra.get("recovery", []), overload["normal_ms"])
    lines = [
        f"-- Surcharge : {overload['target_rps']:.0f} req/s visées (2 × le pic), {overload['seconds']} s",
        f"Envoyées {extra['answered']}, servies {total.rps if total else 0:.1f} req/s ; statuts : {statuses}",
        f"Répondu (200/302/503) en moins d'1 s : {answered:.2%} (cible ≥ {MIN_ANSWERED_WITHIN_1S:.0%})",
        f"5xx autres que 503 : {other_5xx} ; sans réponse (coupure, délai) : {failed}",
        f"Retour à la normale après l'arrêt : {'—' if recovery is None else f'{recovery:.2f} s'}"
        f" (normal : 200 en moins de {overload['normal_ms']:.0f} ms ; cible : la seconde suivante)",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(Path(sys.argv[1] if len(sys.argv) > 1 else "var/bench/load")))
