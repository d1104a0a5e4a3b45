"""Instruments of the load benchmark (bench/): the floor page and the query counter.

Both are off unless the bench turns them on (`PREAU_BENCH_FLOOR`, `PREAU_BENCH_QUERY_HEADER`);
they never run in production.

- The floor: the least a signed-in page can do on this server (the whole middleware stack,
  the session, one row read by its primary key, a few bytes back). Every page's throughput is
  read as a share of the floor's, which separates what a page costs from what the server,
  Python and the machine cost.
- The query counter: each response says how many SQL queries it took (`X-Preau-Queries`),
  so the bench reports queries per page under the real server, not only in tests.
"""

from contextlib import ExitStack

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.db import connections
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

QUERY_HEADER = "X-Preau-Queries"


@never_cache
@require_GET
@login_not_required
def floor(request):
    """The session, the signed-in person's row by primary key, a tiny text answer.

    Reading `request.user` reads the session, then the person by primary key: the floor adds
    nothing to what every signed-in page already does.
    """
    if not settings.PREAU_BENCH_FLOOR:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return HttpResponse(f"plancher {request.user.first_name}", content_type="text/plain; charset=utf-8")


class QueryCounter:
    """An execute wrapper that counts the queries run through it."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class QueryCountMiddleware:
    """Puts the number of SQL queries of each response in `X-Preau-Queries` (bench only).

    First in the chain, so the session, the sign-in and the charte checks count too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = QueryCounter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        response[QUERY_HEADER] = str(counter.count)
        return response
