"""The demo's chat: the CE1 room of E.P.PU Bourtoulets, opened by its teacher, with a morning's
exchange with the pupils, and the school's staff room. Written through the actions, at the
last school morning before the demo is loaded, as it would have happened."""

import datetime

from django.utils import timezone

from preau.directory.models import Person, Profile

from . import actions, schedule

DEMO_UAI = "0651067G"
# (who, minutes after the room opened, text); "pupil:N" is the N-th other pupil of the class.
CLASS_MORNING = [
    (
        "teacher",
        30,
        "Bonjour les CE1 ! Cette semaine nous préparons l'exposé sur les oiseaux du jardin."
        " Qui a observé un oiseau ce week-end ?",
    ),
    ("lea", 34, "Moi j'ai vu une mésange bleue sur le balcon !"),
    ("pupil:0", 36, "Moi un rouge-gorge dans la cour de ma mamie."),
    ("teacher", 40, "Bravo ! Notez-le dans votre cahier d'observation, nous en parlerons à 10 h."),
    ("pupil:1", 42, "On peut apporter des photos ?"),
    ("teacher", 44, "Oui : demandez à vos parents de les déposer dans les documents de la classe."),
]


def _last_school_morning(room, now: datetime.datetime) -> datetime.datetime | None:
    """The opening of the room on the last school day whose morning is over by `now`."""
    today = timezone.localdate(now)
    for back in range(120):
        day = today - datetime.timedelta(days=back)
        window = schedule.room_window(room, day, pupil=True)
        if window is None:
            continue
        opening = timezone.make_aware(datetime.datetime.combine(day, window[0]))
        if opening + datetime.timedelta(hours=1) <= now:
            return opening
    return None


def populate(world) -> dict[str, int]:
    school = world.found[f"school:{DEMO_UAI}"]
    teacher = world.person(Profile.TEACHER)
    director = world.person(Profile.DIRECTOR)
    lea = world.person(Profile.PUPIL)
    ce1 = next(c for c in world.classes_by_uai[DEMO_UAI] if c.levels == "CE1")
    room = actions.open_class_room(teacher, ce1)
    staff_room = actions.open_staff_room(director, school)
    morning = _last_school_morning(room, world.now)
    if morning is None:
        return {"chat_rooms": 2}
    others = list(Person.objects.filter(enrolments__school_class=ce1).exclude(pk=lea.pk).order_by("id")[:2])
    people = {"teacher": teacher, "lea": lea, **{f"pupil:{index}": pupil for index, pupil in enumerate(others)}}
    for who, minutes, text in CLASS_MORNING:
        actions.post_message(people[who], room, text, at=morning + datetime.timedelta(minutes=minutes))
    actions.post_message(
        director,
        staff_room,
        "Conseil des maîtres jeudi à 17 h en salle 2 : pensez à apporter les livrets du deuxième trimestre.",
        at=morning + datetime.timedelta(minutes=50),
    )
    return {"chat_rooms": 2, "chat_messages": len(CLASS_MORNING) + 1}
