"""The overload limiter, driven directly as an ASGI application (no server).

The downstream application is a fake that holds each request until the test releases it,
so a test can fill the process's in-flight count exactly.
"""

import asyncio
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from csp.utils import build_policy
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from preau.core.overload import OverloadLimiter, OverloadPolicy, waiting_page

PATHS = {
    "exempt": ["/healthz", "/static/"],
    "heavy": ["*.csv", "/annuaire/journal/"],
    "essential": ["/cahier-de-textes/", "/connexion/"],
}


def policy(limit: int = 4, *, essential: float = 1.5, retry: tuple[int, int] = (2, 8)) -> OverloadPolicy:
    return OverloadPolicy(
        max_in_flight=limit,
        shares={"heavy": 0.5, "normal": 1.0, "essential": essential},
        paths=PATHS,
        retry_after=retry,
    )


class HeldApp:
    """A downstream app that answers 200 only when the test releases it."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.entered = 0

    async def __call__(self, scope, receive, send):
        self.entered += 1
        await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


async def request(app, path: str, *, method: str = "GET", accept: str = "text/html", kind: str = "http") -> Answer:
    scope = {"type": kind, "method": method, "path": path, "headers": [(b"accept", accept.encode())]}
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    headers = {name.decode(): value.decode() for name, value in start["headers"]}
    return Answer(start["status"], headers, body.decode())


async def hold(limiter: OverloadLimiter, held: HeldApp, *paths: str) -> list[asyncio.Task]:
    """Start one request per path and wait until each is inside the downstream app."""
    before = held.entered
    tasks = [asyncio.create_task(request(limiter, p)) for p in paths]
    while held.entered < before + len(paths):
        await asyncio.sleep(0)
    return tasks


def test_a_request_beyond_the_limit_gets_at_once_a_503_with_retry_after_and_a_french_page():
    async def scenario():
        held = HeldApp()
        limiter = OverloadLimiter(held, policy(2))
        waiting = await hold(limiter, held, "/", "/annuaire/mes-classes/")
        refused = await asyncio.wait_for(request(limiter, "/"), timeout=1)
        assert held.entered == 2, "the refused request never reached Django"
        held.release.set()
        assert [a.status for a in await asyncio.gather(*waiting)] == [200, 200]
        return refused, limiter

    refused, limiter = asyncio.run(scenario())
    assert refused.status == 503
    assert 2 <= int(refused.headers["retry-after"]) <= 8
    assert refused.headers["content-type"].startswith("text/html")
    assert refused.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in refused.headers["content-security-policy"]
    # Every page's policy, the nonce aside: a change to CONTENT_SECURITY_POLICY reaches it too.
    assert refused.headers["content-security-policy"] == build_policy()
    assert '<html lang="fr"' in refused.body
    assert "Beaucoup de monde en ce moment" in refused.body
    assert f"environ {refused.headers['retry-after']} secondes" in refused.body
    assert limiter.refused == {"normal": 1}
    assert limiter.in_flight == 0


def test_heavy_pages_are_shed_first_and_essential_ones_last():
    async def scenario():
        held = HeldApp()
        # Ceilings: heavy 2 in flight, normal 4, essential 6.
        limiter = OverloadLimiter(held, policy(4, essential=1.5))
        seen = []
        waiting = await hold(limiter, held, "/", "/")
        seen.append(("heavy", 2, (await request(limiter, "/annuaire/journal/")).status))
        waiting += await hold(limiter, held, "/annuaire/mes-classes/", "/")
        seen.append(("normal", 4, (await request(limiter, "/")).status))
        waiting += await hold(limiter, held, "/connexion/", "/cahier-de-textes/")
        seen.append(("essential", 6, (await request(limiter, "/cahier-de-textes/")).status))
        admitted = held.entered
        held.release.set()
        await asyncio.gather(*waiting)
        return seen, admitted, limiter

    seen, admitted, limiter = asyncio.run(scenario())
    assert seen == [("heavy", 2, 503), ("normal", 4, 503), ("essential", 6, 503)]
    assert admitted == 6, "a normal page passed at 2 in flight, essential ones at 4 and 5"
    assert limiter.refused == {"heavy": 1, "normal": 1, "essential": 1}


def test_a_heavy_page_passes_while_the_process_is_quiet():
    async def scenario():
        held = HeldApp()
        limiter = OverloadLimiter(held, policy(4))
        waiting = await hold(limiter, held, "/annuaire/journal/export.csv")
        held.release.set()
        return (await asyncio.gather(*waiting))[0]

    assert asyncio.run(scenario()).status == 200


def test_the_process_answers_normally_again_as_soon_as_requests_finish():
    async def scenario():
        held = HeldApp()
        limiter = OverloadLimiter(held, policy(1))
        waiting = await hold(limiter, held, "/")
        during = await request(limiter, "/")
        held.release.set()
        await asyncio.gather(*waiting)
        after = await request(limiter, "/")
        return during, after, limiter

    during, after, limiter = asyncio.run(scenario())
    assert (during.status, after.status) == (503, 200)
    assert limiter.in_flight == 0


def test_health_checks_and_static_files_are_never_shed():
    async def scenario():
        held = HeldApp()
        limiter = OverloadLimiter(held, policy(1, essential=1.0))
        waiting = await hold(limiter, held, "/")
        waiting += await hold(limiter, held, "/healthz", "/static/core/preau.css")
        assert limiter.in_flight == 1, "exempt requests are not counted"
        held.release.set()
        return await asyncio.gather(*waiting)

    assert [a.status for a in asyncio.run(scenario())] == [200, 200, 200]


def test_a_failing_page_frees_its_place():
    async def broken(scope, receive, send):
        raise RuntimeError("boom")

    async def scenario():
        limiter = OverloadLimiter(broken, policy(1))
        for _ in range(3):
            with pytest.raises(RuntimeError):
                await request(limiter, "/")
        return limiter

    assert asyncio.run(scenario()).in_flight == 0


def test_an_api_client_gets_json_and_a_refused_form_is_not_sent_again_by_itself():
    async def scenario():
        held = HeldApp()
        limiter = OverloadLimiter(held, policy(1))
        waiting = await hold(limiter, held, "/")
        api = await request(limiter, "/actualites/api/actualites/", accept="application/json")
        form = await request(limiter, "/messagerie/ecrire/", method="POST")
        held.release.set()
        await asyncio.gather(*waiting)
        return api, form

    api, form = asyncio.run(scenario())
    assert api.status == 503 and api.headers["content-type"] == "application/json"
    detail = json.loads(api.body)
    assert detail["retry_after"] == int(api.headers["retry-after"])
    assert "Réessayez dans" in detail["detail"]
    assert form.status == 503
    assert "n'a pas été enregistré" in form.body
    assert "preau-overload-status" not in form.body and "refresh" not in form.body


def test_retry_after_is_spread_between_its_bounds():
    async def scenario():
        held = HeldApp()
        limiter = OverloadLimiter(held, policy(1, retry=(2, 9)))
        waiting = await hold(limiter, held, "/")
        answers = [await request(limiter, "/") for _ in range(60)]
        held.release.set()
        await asyncio.gather(*waiting)
        return {int(a.headers["retry-after"]) for a in answers}

    seen = asyncio.run(scenario())
    assert seen <= set(range(2, 10)) and len(seen) >= 4


def test_websockets_lifespan_and_a_zero_limit_pass_through():
    async def scenario():
        held = HeldApp()
        held.release.set()
        off = OverloadLimiter(held, policy(0))
        answers = [await request(off, "/") for _ in range(5)]
        limiter = OverloadLimiter(held, policy(1))
        await request(limiter, "/", kind="websocket")
        return answers, limiter

    answers, limiter = asyncio.run(scenario())
    assert {a.status for a in answers} == {200}
    assert limiter.in_flight == 0 and not limiter.refused


@pytest.mark.parametrize(
    ("path", "priority"),
    [
        ("/healthz", "exempt"),
        ("/static/dsfr/dist/dsfr.min.css", "exempt"),
        ("/connexion/", "essential"),
        ("/connexion/carte/abc/", "essential"),
        ("/cahier-de-liaison/note/4/signer/", "essential"),
        ("/cahier-de-textes/export.csv", "heavy"),
        ("/annuaire/journal/", "heavy"),
        ("/accounts/classes/4/cartes/imprimer.pdf", "heavy"),
        ("/messagerie/recherche/", "heavy"),
        ("/", "normal"),
        ("/annuaire/mes-classes/", "normal"),
    ],
)
def test_the_settings_class_each_path(path, priority):
    assert OverloadPolicy.from_settings().priority_of(path) == priority


def test_the_settings_keep_a_reserve_for_essential_pages():
    settings_policy = OverloadPolicy.from_settings()
    heavy, normal, essential = (settings_policy.ceiling(p) for p in ("heavy", "normal", "essential"))
    assert 1 <= heavy < normal < essential


# --- The waiting page as a browser gets it -------------------------------------------------


class Outline(HTMLParser):
    """The parts of a page that accessibility and the CSP care about."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = None
        self.tags: list[tuple[str, dict]] = []
        self.text: dict[str, str] = {}
        self._open = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in {"title", "h1"}:
            self._open = tag

    def handle_data(self, data):
        if self._open:
            self.text[self._open] = self.text.get(self._open, "") + data

    def handle_endtag(self, tag):
        if tag == self._open:
            self._open = None


@login_not_required
def waiting_page_view(request):
    safe = request.method in {"GET", "HEAD"}
    return HttpResponse(waiting_page(retry_by_itself=safe).replace("__PREAU_RETRY_AFTER__", "5"), status=503)


urlpatterns = [path("attente/", waiting_page_view)]


@pytest.mark.urls(__name__)
def test_the_waiting_page_is_french_titled_and_has_its_script_as_a_static_file(client):
    response = client.get("/attente/")
    outline = Outline()
    outline.feed(response.content.decode())
    assert outline.lang == "fr"
    assert outline.text["title"].strip() == "Beaucoup de monde en ce moment — Préau"
    assert outline.text["h1"].strip() == "Beaucoup de monde en ce moment"
    assert [t for t, _attrs in outline.tags].count("h1") == 1
    assert {"header", "main", "footer"} <= {t for t, _attrs in outline.tags}
    scripts = [attrs for tag, attrs in outline.tags if tag == "script"]
    assert scripts == [{"src": "/static/core/overloaded.js", "defer": None}]
    assert not [attrs for _tag, attrs in outline.tags if "style" in attrs]
    status = next(attrs for _tag, attrs in outline.tags if attrs.get("id") == "preau-overload-status")
    assert status["role"] == "status" and status["data-retry-after"] == "5"
    assert re.search(r'<noscript><meta http-equiv="refresh" content="5"></noscript>', response.content.decode())


def test_the_waiting_page_script_is_served_as_a_static_file(client):
    response = client.get("/static/core/overloaded.js")
    assert response.status_code == 200
    assert b"sessionStorage" in b"".join(response.streaming_content)
