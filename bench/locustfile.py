"""The load scenario of a school morning, for Locust (run by bench/run.py; method in bench/README.md).

Parents (most of the traffic) sign in and read: the portal, the timeline, the inbox, a
conversation, their child's cahier de textes, a liaison note they sign, a blog. Teachers
read their classes and write to their class's parents; pupils sign in with their login card.
Every session ends after a few pages, so sign-ins keep coming as on a morning peak.

The pages come from `SCENARIO`: one section per service below. A step names the URL names it
needs; a step whose URL names do not resolve (the service is not there yet) is left out and
listed as such in the report. Steps find ids the way a person does: by following a link or
submitting a form of the page before, so they need no ids but the accounts' own.

Settings (environment): BENCH_USERS (accounts file of bench/prepare.py), BENCH_OUT (where the
extra statistics go), BENCH_WAIT ("between:1:3", "constant:0", "throughput:1"), BENCH_SOLO (the
label of the one step a `Solo` user repeats), BENCH_PROBE=1 (probe recovery after the run).
"""

import itertools
import json
import os
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from html import unescape
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import gevent
from locust import FastHttpUser, between, constant, constant_throughput, events

# Django only turns URL names into paths here: the scenario never touches the database.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preau.settings")
import django  # noqa: E402

django.setup()
from django.urls import NoReverseMatch, get_resolver, reverse  # noqa: E402

ACCOUNTS = json.loads(Path(os.environ.get("BENCH_USERS", "var/bench/load/users.json")).read_text())
OUT = Path(os.environ.get("BENCH_OUT", "var/bench/load/extra.json"))
PARENT, TEACHER, DIRECTOR, PUPIL = "parents", "teachers", "directors", "pupils"  # keys of ACCOUNTS
# Pages a session shows before the person leaves (and a new sign-in comes).
SESSION_PAGES = (4, 12)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHECKED_BOX = re.compile(r'<input type="checkbox" name="(\w+)" value="([^"]*)"[^>]*\bchecked\b')


# --- The steps of the scenario ----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    label: str
    run: object  # run(visitor) -> None
    weights: dict  # profile → weight
    needs: tuple[str, ...]
    solo: bool  # a read a `Solo` user may repeat alone (no write)


SCENARIO: list[Step] = []


def step(label: str, *, needs=(), solo: bool = True, **weights: int):
    """Register a step: `weights` by profile (parents=8, teachers=2…), `needs` its URL names."""

    def register(run):
        SCENARIO.append(Step(label, run, weights, tuple(needs), solo))
        return run

    return register


def url_exists(name: str) -> bool:
    """Whether a URL name ("messaging:inbox") is declared, whatever arguments it takes."""
    *namespaces, view = name.split(":")
    resolver = get_resolver()
    for namespace in namespaces:
        if namespace not in resolver.namespace_dict:
            return False
        resolver = resolver.namespace_dict[namespace][1]
    return view in resolver.reverse_dict


def path_regex(name: str) -> str:
    """A regex of the paths of a URL name whose arguments are integers (none to three)."""
    for count in range(4):
        try:
            sample = reverse(name, args=[987654321] * count)
        except NoReverseMatch:
            continue
        return re.escape(sample).replace("987654321", r"\d+")
    raise NoReverseMatch(name)


def links_to(text: str, name: str) -> list[str]:
    """The links of a page to a URL name (query strings included)."""
    return [unescape(link) for link in re.findall(r'href="(' + path_regex(name) + r'(?:\?[^"]*)?)"', text)]


# === Sign-in, portal, directory (apps accounts, portal, directory) ============================


@step("portail", parents=10, teachers=6, directors=4, pupils=10, needs=["portal:home"])
def portal(visitor):
    visitor.open("portail", reverse("portal:home"))


@step("portail : autre enfant", parents=3, needs=["portal:home"])
def portal_child(visitor):
    visitor.open("portail : autre enfant", reverse("portal:home"), enfant=visitor.child_id)


@step("mes classes", teachers=3, needs=["directory:my_classes"])
def my_classes(visitor):
    visitor.open("mes classes", reverse("directory:my_classes"))


@step("classe (liste)", teachers=2, directors=2, needs=["directory:class_detail"])
def class_page(visitor):
    school_class = visitor.school_class
    visitor.open("classe (liste)", reverse("directory:class_detail", args=[school_class["uai"], school_class["id"]]))


@step("console de l'école", directors=3, needs=["directory:school_console"])
def school_console(visitor):
    visitor.open("console de l'école", reverse("directory:school_console", args=[visitor.school_class["uai"]]))


@step("plancher", needs=["bench_floor"])
def floor(visitor):
    visitor.open("plancher", reverse("bench_floor"))


# === Timeline (app notifications) =============================================================


@step("fil d'actualité", parents=8, teachers=4, pupils=2, needs=["notifications:timeline"])
def timeline(visitor):
    visitor.open("fil d'actualité", reverse("notifications:timeline"))


# === Messaging (app messaging) ================================================================


@step("messagerie : boîte", parents=6, teachers=5, directors=4, needs=["messaging:inbox"])
def inbox(visitor):
    visitor.open("messagerie : boîte", reverse("messaging:inbox"))


@step(
    "messagerie : conversation", parents=5, teachers=4, directors=2, needs=["messaging:inbox", "messaging:conversation"]
)
def conversation(visitor):
    page = visitor.open("messagerie : boîte (pour ouvrir)", reverse("messaging:inbox"))
    visitor.follow("messagerie : conversation", page, "messaging:conversation")


@step("messagerie : écrire aux parents de la classe", solo=False, teachers=1, needs=["messaging:compose"])
def message_class_parents(visitor):
    form = visitor.open("messagerie : écrire", reverse("messaging:compose"), classe=visitor.school_class["id"])
    visitor.submit(
        "messagerie : envoyer aux parents de la classe",
        form,
        reverse("messaging:compose"),
        subject="Sortie au musée jeudi",
        body="Bonjour, la classe part au musée jeudi matin : prévoir un pique-nique. Merci !",
    )


# === Cahier de textes (app homework) ==========================================================


@step("cahier de textes", parents=7, pupils=4, needs=["homework:index"])
def homework(visitor):
    query = {} if visitor.profile == PUPIL else {"enfant": visitor.child_id}
    # The notebook sends to the child's class page: the person sees that one.
    visitor.follow_redirect(
        "cahier de textes", visitor.open("cahier de textes (entrée)", reverse("homework:index"), **query)
    )


@step("cahier de textes : classe", teachers=2, needs=["homework:class"])
def homework_class(visitor):
    visitor.open("cahier de textes : classe", reverse("homework:class", args=[visitor.school_class["id"]]))


# === Cahier de liaison (app liaison) ==========================================================


@step("cahier de liaison", parents=5, needs=["liaison:notebook"])
def liaison_notebook(visitor):
    visitor.open("cahier de liaison", reverse("liaison:notebook"), enfant=visitor.child_id)


@step("cahier de liaison : signer un mot", solo=False, parents=2, needs=["liaison:notebook", "liaison:sign"])
def liaison_sign(visitor):
    notebook = visitor.open("cahier de liaison (pour signer)", reverse("liaison:notebook"), enfant=visitor.child_id)
    note = visitor.follow("cahier de liaison : mot", notebook, "liaison:note")
    visitor.submit_found("cahier de liaison : signer", note, "liaison:sign")


# === Blogs (app blog) =========================================================================


@step("blog", parents=3, pupils=3, teachers=1, needs=["blog:index", "blog:blog"])
def blog(visitor):
    index = visitor.open("blogs (pour ouvrir)", reverse("blog:index"))
    visitor.follow("blog", index, "blog:blog")


# === Actualités (app news) ====================================================================


@step("actualités", parents=2, teachers=1, directors=1, needs=["news:list"])
def news(visitor):
    visitor.open("actualités", reverse("news:list"))


# === Instant messages (app chat), agenda, cahier journal ======================================


@step("discussions", parents=1, teachers=1, pupils=1, needs=["chat:rooms"])
def chat_rooms(visitor):
    visitor.open("discussions", reverse("chat:rooms"))


@step("agenda", parents=2, teachers=1, directors=1, needs=["agenda:month"])
def agenda(visitor):
    visitor.open("agenda", reverse("agenda:month"))


@step("cahier journal", teachers=2, needs=["journal:day"])
def journal(visitor):
    visitor.open("cahier journal", reverse("journal:day"))


ACTIVE = [s for s in SCENARIO if all(url_exists(name) for name in s.needs)]
SKIPPED = [s for s in SCENARIO if s not in ACTIVE]


# --- Who visits: accounts, sessions, requests -------------------------------------------------


def wait_time_from(spec: str):
    """ "between:1:3", "constant:0" or "throughput:1" (steps a second per user)."""
    kind, *args = spec.split(":")
    return {"between": between, "constant": constant, "throughput": constant_throughput}[kind](*map(float, args))


def tasks_for(profile: str, steps: list[Step]) -> dict:
    """Locust tasks of a profile: each step it takes, with its weight."""
    return {(lambda user, s=s: user.run_step(s)): s.weights[profile] for s in steps if s.weights.get(profile)}


_next_account = defaultdict(itertools.count)


class Visitor(FastHttpUser):
    """One person at a time: signs in, visits a few pages, leaves, and another session begins."""

    abstract = True
    profile = PARENT
    session_pages = SESSION_PAGES
    wait_time = wait_time_from(os.environ.get("BENCH_WAIT", "between:1:3"))
    network_timeout = connection_timeout = float(os.environ.get("BENCH_TIMEOUT", "30"))

    def on_start(self) -> None:
        accounts = ACCOUNTS[self.profile]
        self.account = accounts[next(_next_account[self.profile]) % len(accounts)]
        self.pages_left = 0

    def run_step(self, chosen: Step) -> None:
        if self.pages_left <= 0:
            self.client.cookiejar.clear()
            if not self.sign_in():
                return
            self.pages_left = random.randint(*self.session_pages)
        self.pages_left -= 1
        chosen.run(self)

    # What the steps know of the person.
    @property
    def child_id(self) -> int:
        return random.choice(self.account["children"])["id"]

    @property
    def school_class(self) -> dict:
        return random.choice(self.account["classes"])

    # Requests. Redirects are not followed: a 302 is an answer, and its target another page.
    def open(self, label: str, path: str, **query):
        url = f"{path}?{urlencode(query)}" if query else path
        return self.client.get(url, name=label, allow_redirects=False)

    def follow_redirect(self, label: str, answer):
        """Open where a redirect points (within Préau), as the browser does."""
        if (
            answer is None
            or answer.status_code not in (301, 302)
            or not answer.headers.get("Location", "").startswith("/")
        ):
            return answer
        return self.client.get(answer.headers["Location"], name=label, allow_redirects=False)

    def follow(self, label: str, page, url_name: str):
        """Open one of the links of `page` to `url_name`, as a person clicks one."""
        links = links_to(page.text, url_name) if _ok(page) else []
        if not links:
            return _nothing_to_do(label, "aucun lien")
        return self.client.get(random.choice(links), name=label, allow_redirects=False)

    def submit(self, label: str, page, action: str, **fields):
        """Post to `action` the CSRF token of `page`, the boxes it has checked, and `fields`."""
        token = CSRF_INPUT.search(page.text) if _ok(page) else None
        if token is None:
            return _nothing_to_do(label, "aucun formulaire")
        checked = [(n, v) for n, v in CHECKED_BOX.findall(page.text) if n not in fields]
        data = [("csrfmiddlewaretoken", token.group(1)), *checked, *fields.items()]
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"{self.host}{action}"}
        return self.client.post(action, data=urlencode(data), headers=headers, name=label, allow_redirects=False)

    def submit_found(self, label: str, page, url_name: str, **fields):
        """Post the form of `page` whose action is a URL of `url_name` (a "sign" button), hidden fields included."""
        text = page.text if _ok(page) else ""
        form = re.search(r'<form[^>]*action="(' + path_regex(url_name) + r')"(.*?)</form>', text, re.S)
        if form is None:
            return _nothing_to_do(label, "rien à faire")
        hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(2))
        return self.submit(label, page, unescape(form.group(1)), **{**dict(hidden), **fields})


def _ok(page) -> bool:
    return page is not None and page.status_code == 200


def _nothing_to_do(label: str, why: str) -> None:
    """Note, at no cost, that a step found nothing to do (the report shows it apart)."""
    events.request.fire(
        request_type="RIEN",
        name=f"{label} ({why})",
        response_time=0,
        response_length=0,
        response=None,
        context={},
        exception=None,
    )


class PasswordVisitor(Visitor):
    abstract = True

    def sign_in(self) -> bool:
        form = self.open("connexion : formulaire", reverse("accounts:login"))
        done = self.submit(
            "connexion (mot de passe)",
            form,
            reverse("accounts:login"),
            username=self.account["username"],
            password=ACCOUNTS["password"],
        )
        return done is not None and done.status_code == 302


class CardVisitor(Visitor):
    """A pupil scans their login card on the class tablet: no password hashing."""

    abstract = True

    def sign_in(self) -> bool:
        path = reverse("accounts:card_login", args=[self.account["token"]])
        done = self.submit("connexion (carte)", self.open("connexion (carte) : page", path), path)
        return done is not None and done.status_code == 302


# Shares of the people online on a school morning.
class Parent(PasswordVisitor):
    weight, profile, tasks = 70, PARENT, tasks_for(PARENT, ACTIVE)


class Pupil(CardVisitor):
    weight, profile, tasks = 15, PUPIL, tasks_for(PUPIL, ACTIVE)


class Teacher(PasswordVisitor):
    weight, profile, tasks = 12, TEACHER, tasks_for(TEACHER, ACTIVE)


class Director(PasswordVisitor):
    weight, profile, tasks = 3, DIRECTOR, tasks_for(DIRECTOR, ACTIVE)


def _solo_class():
    """A user that repeats one step (BENCH_SOLO) as the profile that takes it most, in one session."""
    chosen = next((s for s in ACTIVE if s.solo and s.label == os.environ.get("BENCH_SOLO")), None)
    if chosen is None:
        return None
    profile = max(chosen.weights, key=chosen.weights.get) if chosen.weights else TEACHER
    return type(
        "Solo",
        (CardVisitor if profile == PUPIL else PasswordVisitor,),
        {
            "profile": profile,
            "weight": 1,
            "session_pages": (10**9, 10**9),
            "tasks": {lambda user: user.run_step(chosen): 1},
        },
    )


Solo = _solo_class()


# --- What Locust does not count: queries per page, statuses, time to answer, recovery ----------

EXTRA = {
    "queries": defaultdict(list),
    "statuses": defaultdict(Counter),
    "answered": 0,
    "answered_within_1s": 0,
    "all_requests": 0,
    "skipped_steps": {s.label: [n for n in s.needs if not url_exists(n)] for s in SKIPPED},
    "solo_steps": [s.label for s in ACTIVE if s.solo],
}
PROBE = {}
ALL_REQUESTS = [0]  # never reset: the server's CPU time is shared by every request


@events.reset_stats.add_listener
def _reset():
    """Locust forgets the ramp-up (--reset-stats): so do these counts."""
    EXTRA["queries"].clear()
    EXTRA["statuses"].clear()
    EXTRA["answered"] = EXTRA["answered_within_1s"] = 0


@events.request.add_listener
def _count(request_type, name, response_time, response, **_kwargs):
    if request_type == "RIEN":
        return
    ALL_REQUESTS[0] += 1
    status = getattr(response, "status_code", 0) or 0
    EXTRA["statuses"][name][str(status)] += 1
    EXTRA["answered"] += 1
    # Answered: a page, a redirect, or the fast refusal of an overloaded server.
    if status in (200, 302, 503) and response_time <= 1000:
        EXTRA["answered_within_1s"] += 1
    queries = response.headers.get("X-Preau-Queries") if status else None
    if queries is not None:
        EXTRA["queries"][name].append(int(queries))


@events.test_start.add_listener
def _sign_probe_in(environment, **_kwargs):
    if os.environ.get("BENCH_PROBE") == "1":
        PROBE["opener"] = _signed_in_opener(environment.host, ACCOUNTS["probe"]["username"])


@events.test_stop.add_listener
def _probe_and_save(environment, **_kwargs):
    if "opener" in PROBE:
        EXTRA["recovery"] = _probe(PROBE["opener"], environment.host)
    summary = {
        **EXTRA,
        "all_requests": ALL_REQUESTS[0],
        "queries": {
            name: {"mean": sum(v) / len(v), "max": max(v), "n": len(v)} for name, v in EXTRA["queries"].items()
        },
        "statuses": {name: dict(counts) for name, counts in EXTRA["statuses"].items()},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(summary, ensure_ascii=False, indent=1))


def _signed_in_opener(host: str, username: str):
    """A plain HTTP client with its own cookies, signed in (the probe is no Locust user)."""
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    form = opener.open(f"{host}{reverse('accounts:login')}", timeout=10).read().decode()
    fields = {"csrfmiddlewaretoken": CSRF_INPUT.search(form).group(1), "username": username}
    fields["password"] = ACCOUNTS["password"]
    request = Request(f"{host}{reverse('accounts:login')}", data=urlencode(fields).encode(), headers={"Referer": host})  # noqa: S310 (the bench host)
    opener.open(request, timeout=10).read()
    return opener


def _probe(opener, host: str, seconds: float = 3.0) -> list[list[float]]:
    """Once the load stops: the floor page every 50 ms; [sent after the stop (s), status, time (ms)]."""
    stopped = time.monotonic()
    seen = []
    while time.monotonic() - stopped < seconds:
        sent = time.monotonic()
        try:
            status = opener.open(f"{host}{reverse('bench_floor')}", timeout=10).status
        except HTTPError as refused:
            status = refused.code
        except OSError:
            status = 0
        seen.append([round(sent - stopped, 3), status, round((time.monotonic() - sent) * 1000, 1)])
        gevent.sleep(0.05)
    return seen
