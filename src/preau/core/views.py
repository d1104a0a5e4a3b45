"""Operations endpoints."""

import time

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
        state = "ok"
    except Exception as error:  # a health check reports failures, it never raises
        detail, state = f"{type(error).__name__}: {error}", "error"
    return {"state": state, "ms": round((time.perf_counter() - started) * 1000, 1), "detail": detail}


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache() -> str:
    cache.set("preau:healthz", "1", 10)
    if cache.get("preau:healthz") != "1":
        raise RuntimeError("cache did not keep a value")
    return type(cache).__name__


def _tasks() -> str:
    from django_tasks import default_task_backend

    backend = type(default_task_backend).__name__
    if backend == "DatabaseBackend":
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(status="READY").count()
        return f"{backend}, {waiting} en attente"
    return backend


@never_cache
@require_GET
@login_not_required
def healthz(request):
    """For load balancers: 200 when the database answers, 503 otherwise, with each part's state."""
    checks = {"database": _timed(_database), "cache": _timed(_cache), "tasks": _timed(_tasks)}
    healthy = checks["database"]["state"] == "ok"
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
