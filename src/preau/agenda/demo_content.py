"""The demo's agenda: the school's year and a CE1 outing, written through the actions."""

import datetime

from django.utils import timezone

from preau.directory.models import Profile, school_year_of

from . import actions
from .models import Event
from .school_holidays import holidays_between

T = datetime.time
Category = Event.Category


def _next_weekday(day: datetime.date, weekday: int, *, zone: str = "") -> datetime.date:
    """The first `weekday` from `day` on, out of the school holidays of `zone` (if given)."""
    day += datetime.timedelta(days=(weekday - day.weekday()) % 7)
    while zone and holidays_between([zone], day, day + datetime.timedelta(days=4)):
        day += datetime.timedelta(days=7)
    return day


def populate(world) -> dict[str, int]:
    school = world.found["school:0651067G"]
    director, teacher = world.person(Profile.DIRECTOR), world.person(Profile.TEACHER)
    parent = world.person(Profile.PARENT)
    ce1 = next(c for c in world.classes_by_uai["0651067G"] if c.levels == "CE1")
    today = timezone.localdate(world.now)
    year = school_year_of(today)
    rentree = _next_weekday(datetime.date(year, 9, 2), 1)  # the first Tuesday after the rentrée
    fete = _next_weekday(datetime.date(year + 1, 6, 20), 4)  # a Friday at the end of June
    zone = school.circonscription.departement.academie.holiday_zone
    outing = _next_weekday(today + datetime.timedelta(days=10), 1, zone=zone)
    council = _next_weekday(today + datetime.timedelta(days=20), 3, zone=zone)
    discovery = _next_weekday(today + datetime.timedelta(days=35), 0, zone=zone)
    school_key, class_key = f"ecole:{school.pk}", f"classe:{ce1.pk}"
    events = [
        (director, school_key, "Réunion de rentrée", Category.MEETING, rentree, T(17, 30), T(19, 0),
         "Préau de l'école", "<p>Présentation de l'équipe, du projet d'école et de l'ENT Préau.</p>"),
        (director, school_key, "Conseil d'école", Category.MEETING, council, T(18, 0), T(20, 0),
         "Salle polyvalente", "<p>Ordre du jour : projet d'école, sorties de fin d'année, sécurité.</p>"),
        (director, school_key, "Fête de l'école", Category.PARTY, fete, T(17, 0), T(21, 0), "Cour de l'école",
         "<p>Spectacle des classes à 17 h, kermesse et repas partagé. Les parents volontaires sont les "
         "bienvenus pour tenir les stands.</p>"),
        (teacher, class_key, "Sortie à la Maison de la nature", Category.OUTING, outing, T(9, 0), T(16, 30),
         "Maison de la nature et de l'environnement, Lannemezan",
         "<p>Atelier « les petites bêtes de la mare ». Prévoir un pique-nique, des bottes et un vêtement de "
         "pluie.</p>"),
        (parent, "perso", "Dentiste pour Léa et Hugo", Category.HEALTH, council, T(17, 0), T(17, 45),
         "Cabinet dentaire, rue du Bois", ""),
    ]  # fmt: skip
    for author, target, title, category, day, start, end, place, description in events:
        actions.add_event(
            author,
            target_key=target,
            title=title,
            category=category,
            starts_on=day,
            all_day=False,
            start_time=start,
            end_time=end,
            place=place,
            description=description,
        )
    actions.add_event(
        teacher,
        target_key=class_key,
        title="Classe découverte : semaine sans cartable",
        category=Category.OTHER,
        starts_on=discovery,
        ends_on=discovery + datetime.timedelta(days=4),
        description="<p>Une semaine de projets autour de l'eau, avec des intervenants de la commune.</p>",
    )
    return {"agenda_events": len(events) + 1}
