"""The messagerie's bench: sending to 300 families, and an inbox of 10,000 messages.

Usage: `.venv/bin/python bench/messaging_bench.py [--families 300] [--mailbox 10000] [--runs 7]`

It works in the database of DATABASE_URL (a throwaway one: it migrates it and adds a school),
or, without DATABASE_URL, in a temporary SQLite file removed at the end. It prints:
  - the time of the director's send action to "all the school's families" (300), then of the
    same through HTTP (django.test.Client, the composer's POST), with their query counts;
  - the inbox page of a parent holding 10,000 messages: median time of several runs and the
    query count (the same as for a mailbox of 10, which the test suite checks).
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
TEMPORARY = None
if not os.environ.get("DATABASE_URL"):
    TEMPORARY = tempfile.TemporaryDirectory(prefix="preau-messaging-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{TEMPORARY.name}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preau.settings")
os.environ.setdefault("PREAU_REQUEST_LOG", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from preau.directory.factories import make_school  # noqa: E402
from preau.directory.models import Person  # noqa: E402
from preau.messaging import actions  # noqa: E402
from preau.messaging.models import Conversation, Delivery, Message  # noqa: E402


def timed(function):
    """(seconds, queries, result) of one call."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), result


def build_school(families: int):
    classes = max(1, families // 25)
    built = make_school(classes=classes, pupils=families // classes)
    return built


def fill_mailbox(owner: Person, author: Person, size: int) -> None:
    """`size` messages in `owner`'s inbox, a third of them unread, written in bulk."""
    sent = timezone.now() - datetime.timedelta(days=3)
    batch = 2000
    for start in range(0, size, batch):
        count = min(batch, size - start)
        conversations = Conversation.objects.bulk_create(
            Conversation(subject=f"Information n° {start + n}", started_by=author) for n in range(count)
        )
        messages = Message.objects.bulk_create(
            Message(
                conversation=c,
                author=author,
                subject=c.subject,
                body=f"<p>{c.subject} : texte du message.</p>",
                body_text=f"{c.subject} : texte du message.",
                search_document=f"{c.subject} {author.full_name} texte du message",
                sent_at=sent - datetime.timedelta(minutes=start + n),
                recipient_count=1,
            )
            for n, c in enumerate(conversations)
        )
        Delivery.objects.bulk_create(
            Delivery(
                message=m,
                person=owner,
                box=Delivery.Box.INBOX,
                sort_at=m.sent_at,
                read_at=None if n % 3 == 0 else m.sent_at,
            )
            for n, m in enumerate(messages)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=300)
    parser.add_argument("--mailbox", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.PREAU_MESSAGING_HOURLY_LIMITS = {**settings.PREAU_MESSAGING_HOURLY_LIMITS, "staff": (1000, 100_000)}

    print(f"Base : {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"Migrations : {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    built = build_school(options.families)
    director = built.director
    families = f"ecole-familles:{built.school.pk}"
    print(f"École de {sum(len(p) for p in built.parents.values())} familles : {time.perf_counter() - started:.1f} s")

    # A first message warms up what a running server has warm (imports, compiled queries).
    actions.send_message(director, subject="Essai", body="Essai", people=[built.teachers[0].pk])
    seconds, queries, message = timed(
        lambda: actions.send_message(
            director,
            subject="Kermesse samedi",
            body="<p>Chères familles, la kermesse a lieu samedi.</p>",
            lists=[families],
        )
    )
    print(f"Action send_message → {message.recipient_count} familles : {seconds * 1000:.0f} ms, {queries} requêtes SQL")

    client = Client()
    client.force_login(director)
    client.get("/messagerie/ecrire/")  # the session and the caches, as in a real visit
    posted = {
        "intent": "send",
        "subject": "Sortie scolaire",
        "body": "Bonjour à toutes les familles.",
        "lists": families,
    }
    seconds, queries, response = timed(lambda: client.post("/messagerie/ecrire/", posted))
    sent = Message.objects.filter(author=director).order_by("-pk").first()
    print(
        f"HTTP POST /messagerie/ecrire/ → {response.status_code} ({sent.recipient_count} familles) : "
        f"{seconds * 1000:.0f} ms, {queries} requêtes SQL"
    )

    parent = next(iter(built.parents.values()))[0]
    started = time.perf_counter()
    fill_mailbox(parent, built.teachers[0], options.mailbox)
    held = Delivery.objects.filter(person=parent).count()
    print(f"Boîte de {held} messages remplie : {time.perf_counter() - started:.1f} s")
    reader = Client()
    reader.force_login(parent)
    reader.get("/messagerie/")
    runs = [timed(lambda: reader.get("/messagerie/")) for _ in range(options.runs)]
    statuses = {run[2].status_code for run in runs}
    median = statistics.median(run[0] for run in runs)
    print(
        f"Page boîte de réception ({held} messages) : médiane {median * 1000:.0f} ms sur {options.runs} passages, "
        f"{runs[-1][1]} requêtes SQL, statut {sorted(statuses)}"
    )
    conversation = Message.objects.filter(author=director).first().conversation_id
    runs = [timed(lambda: reader.get(f"/messagerie/conversation/{conversation}/")) for _ in range(options.runs)]
    median = statistics.median(run[0] for run in runs)
    print(f"Page conversation (même boîte) : médiane {median * 1000:.0f} ms, {runs[-1][1]} requêtes SQL")


if __name__ == "__main__":
    try:
        main()
    finally:
        if TEMPORARY is not None:
            connection.close()
            TEMPORARY.cleanup()
