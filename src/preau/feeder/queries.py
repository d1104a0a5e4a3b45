"""Reads of the feeder, scoped to who asks."""

from django.db.models import QuerySet

from preau.directory.models import Academie, Person
from preau.directory.queries import access_of

from .models import ImportRun


def academies_importable_by(person: Person) -> QuerySet[Academie]:
    if person.is_superuser:
        return Academie.objects.all()
    return Academie.objects.filter(pk__in=access_of(person).academie_ids)


def import_runs_visible_to(person: Person) -> QuerySet[ImportRun]:
    return ImportRun.objects.filter(academie__in=academies_importable_by(person)).select_related(
        "academie", "started_by"
    )
