"""The demo's notifications: what the services announce, delivered as soon as the demo commits.

The services' demo content announces through its actions inside load_demo's transaction; the
fan-outs are queued when it commits. `after_commit()` then runs them in the same process, so
that the demo parent's home shows entries even before a worker starts.
Beside that, the demo director starts the school's quiet hours at 18:30 and the demo parent chooses
the daily digest for news, through the actions.
"""

import datetime

from preau.core.notices import kind
from preau.directory.models import Profile

from . import actions
from .models import EmailMode
from .preferences import Choice
from .quiet import DEFAULT_MORNING, DEFAULT_QUIET_DAYS
from .subscribers import deliver_pending


def populate(world) -> dict[str, int]:
    actions.set_quiet_hours(
        world.person(Profile.DIRECTOR),
        world.found["school:0651067G"],
        enabled=True,
        morning=DEFAULT_MORNING,
        evening=datetime.time(18, 30),
        quiet_days=DEFAULT_QUIET_DAYS,
        school_holidays=True,
        public_holidays=True,
    )
    changed = 0
    if kind("news.published") is not None:
        actions.save_preferences(
            world.person(Profile.PARENT), {"news.published": Choice(email=EmailMode.DIGEST, push=False)}
        )
        changed = 1
    return {"quiet_hours": 1, "notification_preferences": changed}


def after_commit(world) -> None:
    deliver_pending()
