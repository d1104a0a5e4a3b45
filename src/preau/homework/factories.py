"""Factories of the cahier de textes, for tests and benchmarks."""

import datetime

import factory
from django.utils import timezone

from preau.directory.factories import SchoolClassFactory

from .models import Attachment, ClassSetting, DoneMark, Entry, Work


class EntryFactory(factory.django.DjangoModelFactory):
    """A published séance."""

    class Meta:
        model = Entry

    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.SelfAttribute("school_class.school")
    year = factory.SelfAttribute("school_class.year")
    date = factory.LazyFunction(timezone.localdate)
    subject = "francais"
    title = factory.Sequence(lambda n: f"Séance {n}")
    body = "<p>Lecture du chapitre.</p>"
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1))
    published_at = factory.SelfAttribute("publish_at")


class WorkFactory(factory.django.DjangoModelFactory):
    """A published work, due the day after tomorrow."""

    class Meta:
        model = Work

    school_class = factory.SubFactory(SchoolClassFactory)
    school = factory.SelfAttribute("school_class.school")
    year = factory.SelfAttribute("school_class.year")
    assigned_on = factory.LazyFunction(timezone.localdate)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=2))
    subject = "mathematiques"
    title = factory.Sequence(lambda n: f"Exercices {n}")
    body = "<p>Faire les exercices 1 et 2.</p>"
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1))
    published_at = factory.SelfAttribute("publish_at")


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    work = factory.SubFactory(WorkFactory)
    file = factory.django.FileField(filename="fiche.txt", data=b"Fiche d'exercices\n")
    name = "fiche.txt"
    size = 18
    content_type = "text/plain"


class DoneMarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DoneMark

    work = factory.SubFactory(WorkFactory)


class ClassSettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassSetting

    school_class = factory.SubFactory(SchoolClassFactory)
    track_done = True
