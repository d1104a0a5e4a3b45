"""Who may do what with notifications.

A timeline, its preferences and its devices are one's own: nobody reads or changes another's,
not even a director or an operator. A school's quiet hours are set by its director. Each
predicate reads the person's `Access` (loaded once per request) and costs no query.
"""

from preau.directory.models import Person, School
from preau.directory.policy import is_director_of

from .models import Entry, PushSubscription


def has_timeline(person: Person) -> bool:
    """Everyone signed in has a timeline, preferences and may allow push on their devices."""
    return bool(person and person.is_authenticated)


def can_read_entry(person: Person, entry: Entry) -> bool:
    return has_timeline(person) and entry.person_id == person.pk


def owns_subscription(person: Person, subscription: PushSubscription) -> bool:
    return has_timeline(person) and subscription.person_id == person.pk


def can_set_quiet_hours(person: Person, school: School) -> bool:
    """Only the school's director decides when its families and staff are left in peace."""
    return has_timeline(person) and is_director_of(person, school)
