import os
import subprocess
import sys

PRODUCTION = {
    "SECRET_KEY": "x" * 64 + "-production-key-of-a-region-academique",
    "ALLOWED_HOSTS": "ent.example.fr",
    "DEBUG": "0",
    "HTTPS": "1",
    "DATABASE_URL": "sqlite:////tmp/preau-deploy-check.sqlite3",
}


def run_check(extra: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DATABASE_URL"}
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "preau.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_the_production_variables():
    result = run_check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_without_https():
    result = run_check({**PRODUCTION, "HTTPS": "0"})
    assert result.returncode != 0
