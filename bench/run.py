"""`make bench`: the load scenario against the real server, on PostgreSQL (method: bench/README.md).

1. A fresh database `preau_bench` on 127.0.0.1:5432, migrated, with `generate_academie`.
2. Bench accounts (bench/prepare.py).
3. uvicorn on 127.0.0.1 (N processes, no access log), with the floor page and the query header.
4. Locust, headless, in its own process (bench/locustfile.py):
   - the school morning at a fixed number of people with think time: the per-page table;
   - steps without think time to find the peak throughput and the p95 at 80 % of it;
   - each page alone, and the floor, to read each page's throughput as a share of the floor's;
   - an overload at twice the peak: answered within 1 s, 5xx, recovery after the stop.
5. The report (bench/report.py); everything stopped.

Environment: BENCH_SCHOOLS (100), BENCH_WORKERS ("1", or "1 2"), BENCH_USERS (60),
BENCH_DURATION (60 s), BENCH_STEPS ("2 4 8 16 32"), BENCH_STEP_SECONDS (15), BENCH_SOLO_SECONDS (10),
BENCH_OVERLOAD_SECONDS (30), BENCH_REUSE=1 (keep the database if it is there), BENCH_PORT (a free one).
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from report import page_rows, read_stats, report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
OUT = ROOT / "var" / "bench" / "load"
DB_NAME = "preau_bench"
DB_EXISTS = "SELECT 1 FROM pg_database WHERE datname = 'preau_bench'"
DB_SESSIONS = "SELECT sessions FROM pg_stat_database WHERE datname = 'preau_bench'"
PG = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"]


def setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


SCHOOLS = int(setting("BENCH_SCHOOLS", "100"))
WORKERS = [int(w) for w in setting("BENCH_WORKERS", "1").split()]
MIX_USERS = int(setting("BENCH_USERS", "60"))
MIX_SECONDS = int(setting("BENCH_DURATION", "60"))
STEPS = [int(u) for u in setting("BENCH_STEPS", "2 4 8 16 32").split()]
STEP_SECONDS = int(setting("BENCH_STEP_SECONDS", "15"))
SOLO_SECONDS = int(setting("BENCH_SOLO_SECONDS", "10"))
OVERLOAD_SECONDS = int(setting("BENCH_OVERLOAD_SECONDS", "30"))


def free_port() -> int:
    """A port nobody listens on now (other servers may run on this machine)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = int(setting("BENCH_PORT", "0")) or free_port()
HOST = f"http://127.0.0.1:{PORT}"
SERVER_ENV = {
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "PREAU_VAR_DIR": str(OUT / "var"),
    "DEBUG": "0",
    "PREAU_REQUEST_LOG": "0",
    "LOG_LEVEL": "WARNING",
    "ALLOWED_HOSTS": "127.0.0.1",
    "PREAU_BENCH_FLOOR": "1",
    "PREAU_BENCH_QUERY_HEADER": "1",
}
ENV = {**os.environ, **SERVER_ENV}


def say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", flush=True)


def run(*command, **kwargs) -> subprocess.CompletedProcess:
    # Our own commands (.venv, PostgreSQL's clients), with our own arguments.
    return subprocess.run(  # noqa: S603
        [str(c) for c in command], env=kwargs.pop("env", ENV), check=True, cwd=ROOT, **kwargs
    )


def psql(sql: str, database: str = DB_NAME) -> str:
    return run("psql", *PG, "-d", database, "-tAc", sql, capture_output=True, text=True).stdout.strip()


def prepare_database() -> dict:
    exists = psql(DB_EXISTS, "postgres") == "1"
    if exists and os.environ.get("BENCH_REUSE") == "1":
        say(f"base {DB_NAME} réutilisée")
        run(BIN / "preau", "migrate", "--no-input", "-v", "0")  # the code may have moved on
        return {"generate_seconds": None}
    run("dropdb", *PG, "--if-exists", DB_NAME)
    run("createdb", *PG, DB_NAME)
    run(BIN / "preau", "migrate", "--no-input", "-v", "0")
    say(f"generate_academie --schools {SCHOOLS}")
    started = time.monotonic()
    run(BIN / "preau", "generate_academie", "--schools", SCHOOLS, "--seed", "1")
    seconds = time.monotonic() - started
    run("psql", *PG, "-d", DB_NAME, "-qc", "VACUUM ANALYZE")
    return {"generate_seconds": round(seconds, 1)}


class Server:
    """uvicorn on 127.0.0.1, started and stopped by the bench (its own process group)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.process = None

    def __enter__(self) -> "Server":
        command = [
            BIN / "uvicorn",
            "preau.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            PORT,
            "--workers",
            self.workers,
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(  # noqa: S603 (our own server)
            [str(c) for c in command], env=ENV, cwd=ROOT, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(f"{HOST}/healthz", timeout=2) as answer:  # noqa: S310 (our own server)
                    if answer.status == 200:
                        say(f"uvicorn prêt ({self.workers} processus, pid {self.process.pid})")
                        return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        raise SystemExit("uvicorn n'a pas répondu sur /healthz en 60 s")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server's processes (its process group)."""
        total = 0.0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.process.pid:  # the process group
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def __exit__(self, *_exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def locust(name: str, *, users: int, seconds: int, wait: str, classes: list[str], **env) -> Path:
    """One headless Locust run; its CSV files and extra counts under OUT/name*."""
    prefix = OUT / name
    with open(f"{prefix}.log", "w") as log:
        _locust(prefix, log, users=users, seconds=seconds, wait=wait, classes=classes, **env)
    return prefix


def _locust(prefix: Path, log, *, users: int, seconds: int, wait: str, classes: list[str], **env) -> None:
    run(
        BIN / "locust",
        "-f",
        ROOT / "bench" / "locustfile.py",
        "--headless",
        "--host",
        HOST,
        "-u",
        users,
        "-r",
        max(users, 1),
        "-t",
        f"{seconds}s",
        "--csv",
        prefix,
        "--only-summary",
        "--reset-stats",
        "--stop-timeout",
        "0",
        "-L",
        "WARNING",
        "--exit-code-on-error",
        "0",
        *classes,
        env={
            **ENV,
            "BENCH_USERS": str(OUT / "users.json"),
            "BENCH_OUT": f"{prefix}_extra.json",
            "BENCH_WAIT": wait,
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


MIX = ["Parent", "Pupil", "Teacher", "Director"]


def _all_requests(prefix: Path) -> int:
    """Every request the server got in a run (the ramp-up included, unlike the reset stats)."""
    return json.loads(Path(f"{prefix}_extra.json").read_text())["all_requests"]


def bench_workers(workers: int) -> dict:
    tag = f"w{workers}"
    with Server(workers) as server:
        max_in_flight = int(
            run(
                BIN / "python",
                "-c",
                "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'preau.settings'); django.setup();"
                " from django.conf import settings; print(settings.PREAU_OVERLOAD_MAX_IN_FLIGHT)",
                capture_output=True,
                text=True,
            ).stdout
        )
        say(f"matinée : {MIX_USERS} personnes, {MIX_SECONDS} s")
        sessions_before, cpu_before = int(psql(DB_SESSIONS)), server.cpu_seconds()
        mix = locust(f"{tag}_mix", users=MIX_USERS, seconds=MIX_SECONDS, wait="between:1:3", classes=MIX)
        sessions, cpu = int(psql(DB_SESSIONS)) - sessions_before, server.cpu_seconds() - cpu_before
        _rows, mix_total = read_stats(mix)
        requests = _all_requests(mix)
        steps = {}
        for users in STEPS:
            say(f"palier : {users} utilisateurs sans pause, {STEP_SECONDS} s")
            _rows, total = read_stats(
                locust(f"{tag}_step{users}", users=users, seconds=STEP_SECONDS, wait="constant:0", classes=MIX)
            )
            steps[users] = {k: getattr(total, k) for k in ("rps", "p50", "p95", "p99", "failures")}
        peak_users = max(steps, key=lambda u: steps[u]["rps"])
        peak_rps = steps[peak_users]["rps"]
        at_80 = min(u for u in steps if steps[u]["rps"] >= 0.8 * peak_rps)
        solo_users = max(2, peak_users)
        mix_extra = json.loads(Path(f"{mix}_extra.json").read_text())
        solo = {}
        for label in ["plancher", *[s for s in mix_extra["solo_steps"] if s != "plancher"]]:
            say(f"seul : {label}")
            cpu_before = server.cpu_seconds()
            try:
                prefix = locust(
                    f"{tag}_solo_{len(solo)}",
                    users=solo_users,
                    seconds=SOLO_SECONDS,
                    wait="constant:0",
                    classes=["Solo"],
                    BENCH_SOLO=label,
                )
            except subprocess.CalledProcessError:
                say(f"échec de Locust pour « {label} » (voir son .log) : page laissée de côté")
                continue
            cpu = server.cpu_seconds() - cpu_before
            rows = {r.name: r for r in page_rows(read_stats(prefix)[0])}
            if label in rows:
                solo[label] = {
                    "rps": rows[label].rps,
                    "p50": rows[label].p50,
                    "cpu_ms": 1000 * cpu / max(_all_requests(prefix), 1),
                }
        target = 2 * peak_rps
        say(f"surcharge : {target:.0f} req/s visées pendant {OVERLOAD_SECONDS} s")
        overload_csv = locust(
            f"{tag}_overload",
            users=int(target),
            seconds=OVERLOAD_SECONDS,
            wait="throughput:1",
            classes=MIX,
            BENCH_PROBE="1",
            BENCH_TIMEOUT="10",
        )
    return {
        "workers": workers,
        "max_in_flight": max_in_flight,
        "mix": mix.name,
        "mix_users": MIX_USERS,
        "mix_seconds": MIX_SECONDS,
        "db_sessions_per_request": sessions / max(requests, 1),
        "mix_cpu_ms": 1000 * cpu / max(requests, 1),
        "steps": steps,
        "peak": {"users": peak_users, "rps": peak_rps, "users_at_80": at_80, "p95_at_80": steps[at_80]["p95"]},
        "solo_users": solo_users,
        "solo": solo,
        "overload": {
            "csv": overload_csv.name,
            "target_rps": target,
            "seconds": OVERLOAD_SECONDS,
            # Normal: a floor page answered as fast as the mix's p95 at 80 % of the peak (at least 150 ms).
            "normal_ms": max(150.0, steps[at_80]["p95"]),
        },
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in OUT.glob("w*_*"):
        stale.unlink()
    database = prepare_database()
    run(BIN / "python", ROOT / "bench" / "prepare.py", OUT / "users.json")
    people = psql("SELECT count(*) FROM directory_person")
    runs = [bench_workers(workers) for workers in WORKERS]
    versions = run(
        BIN / "python",
        "-c",
        "import django, locust, platform, uvicorn; print(f'Python {platform.python_version()},"
        " Django {django.get_version()}, uvicorn {uvicorn.__version__}, Locust {locust.__version__}')",
        capture_output=True,
        text=True,
    ).stdout.strip()
    pg_version = psql("SHOW server_version", "postgres")
    title = (
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cœurs, {SCHOOLS} écoles ({people} personnes),"
        f" {versions}, PostgreSQL {pg_version}"
    )
    if database["generate_seconds"] is not None:
        title += f" ; generate_academie : {database['generate_seconds']} s"
    (OUT / "results.json").write_text(json.dumps({"title": title, "runs": runs}, ensure_ascii=False, indent=1))
    print(report(OUT))


if __name__ == "__main__":
    main()
