"""The demo's cahier de textes: two weeks of Julien Abadie's CE1 and a little of the CM2, written
through the actions (so the families' timelines get the notices of the coming work)."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from preau.directory.models import Person, Profile, Teaching

from . import actions
from .models import Work

SCHOOL_DAYS = (0, 1, 3, 4)  # no school on Wednesday in the demo's school

# A week of CE1 séances by weekday: (subject, title, content).
CE1_WEEK = {
    0: [
        (
            "mathematiques",
            "Calcul : les compléments à 10",
            "<p>Jeu du furet et ardoises : trouver le complément à 10 le plus vite possible.</p>",
        ),
        (
            "questionner_le_monde",
            "Les états de l'eau",
            "<p>Observation de glaçons qui fondent ; on a classé solide, liquide, gaz.</p>",
        ),
    ],
    1: [
        (
            "francais",
            "Étude du son [on] : on, om",
            "<p>On a cherché des mots avec <strong>on</strong> et "
            "<strong>om</strong> (pont, bonbon, pompier) ; « m » devant m, b, p.</p>",
        ),
        (
            "mathematiques",
            "Numération : dizaines et unités",
            "<p>Groupements par 10 avec le matériel, écriture des nombres jusqu'à 100.</p>",
        ),
        (
            "langues_vivantes",
            "Anglais : the colours",
            "<p>Chanson <em>I can sing a rainbow</em> ; jeu du « Simon says touch something red ».</p>",
        ),
    ],
    3: [
        (
            "francais",
            "Grammaire : le verbe et son sujet",
            "<p>Qui fait l'action ? On a souligné les verbes en rouge et entouré les sujets en bleu.</p>",
        ),
        (
            "emc",
            "Les règles de vie de la classe",
            "<p>Débat : pourquoi des règles ? Affiche des règles signée par toute la classe.</p>",
        ),
        (
            "arts_plastiques",
            "À la manière de Kandinsky",
            "<p>Cercles concentriques aux pastels gras, couleurs chaudes et froides.</p>",
        ),
    ],
    4: [
        ("francais", "Dictée de mots", "<p>Dictée des 10 mots de la semaine, puis autocorrection avec la fiche.</p>"),
        (
            "mathematiques",
            "Problèmes : ajouter ou retirer ?",
            "<p>Résolution de petits problèmes avec schéma ; mise en commun des méthodes.</p>",
        ),
        ("eps", "Jeux de ballon", "<p>Passes à deux, puis jeu de la balle au capitaine.</p>"),
    ],
}
# Work given on a weekday, due a number of school days later: (subject, title, instructions, days).
CE1_WORK = {
    0: [
        (
            "francais",
            "Relire le chapitre 2 du Loup",
            "<p>Relire le chapitre 2 de « Le loup qui voulait changer de couleur » à voix haute à un adulte.</p>",
            1,
        )
    ],
    1: [
        (
            "francais",
            "Apprendre les mots de la dictée",
            "<p>Apprendre les 10 mots de la fiche pour la dictée "
            "de vendredi : pont, bonbon, pompier, monde, ombre, nombre, long, rond, jambon, concombre.</p>",
            3,
        ),
        (
            "mathematiques",
            "Compter de 10 en 10",
            "<p>Réciter la suite des nombres de 10 en 10 jusqu'à 100, puis à rebours.</p>",
            1,
        ),
    ],
    3: [
        (
            "questionner_le_monde",
            "Apporter une bouteille vide",
            "<p>Apporter une petite bouteille en plastique vide et propre pour l'expérience sur l'eau.</p>",
            2,
        )
    ],
    4: [
        (
            "education_musicale",
            "Chanter « Une souris verte »",
            "<p>Écouter la chanson (lien ci-dessous) et apprendre le premier couplet.</p>",
            1,
        )
    ],
}
# The week before: the same timetable, other lessons (title → title and content).
EARLIER = {
    "Calcul : les compléments à 10": (
        "Calcul : les doubles",
        "<p>Les doubles jusqu'à 10 + 10 avec les doigts puis sur l'ardoise.</p>",
    ),
    "Les états de l'eau": ("Les saisons", "<p>Les arbres de la cour en automne ; frise des quatre saisons.</p>"),
    "Étude du son [on] : on, om": (
        "Étude du son [an] : an, en",
        "<p>Maman, enfant, dent : on a trié les mots selon leur écriture.</p>",
    ),
    "Numération : dizaines et unités": (
        "Numération : comparer des nombres",
        "<p>Plus grand, plus petit : les signes &lt; et &gt;.</p>",
    ),
    "Anglais : the colours": (
        "Anglais : hello, goodbye",
        "<p>Se saluer et dire son prénom : <em>What's your name?</em></p>",
    ),
    "Grammaire : le verbe et son sujet": (
        "Grammaire : la phrase",
        "<p>Une majuscule au début, un point à la fin ; remettre des mots dans l'ordre.</p>",
    ),
    "Les règles de vie de la classe": ("Les émotions", "<p>La roue des émotions : dire ce que l'on ressent.</p>"),
    "À la manière de Kandinsky": ("Feuilles d'automne", "<p>Empreintes de feuilles à la peinture.</p>"),
    "Dictée de mots": ("Dictée de phrases", "<p>Trois phrases avec les mots de la semaine.</p>"),
    "Problèmes : ajouter ou retirer ?": (
        "Problèmes : la bonne question",
        "<p>Associer une question à chaque énoncé.</p>",
    ),
    "Jeux de ballon": ("Parcours de motricité", "<p>Sauter, ramper, garder l'équilibre sur le banc.</p>"),
    "Relire le chapitre 2 du Loup": (
        "Relire le chapitre 1 du Loup",
        "<p>Relire le chapitre 1 de « Le loup qui voulait changer de couleur » à voix haute à un adulte.</p>",
    ),
    "Apprendre les mots de la dictée": (
        "Apprendre les phrases de la dictée",
        "<p>Apprendre les trois phrases de la fiche pour vendredi.</p>",
    ),
    "Compter de 10 en 10": ("Réviser les doubles", "<p>Réciter les doubles de 1 à 10.</p>"),
    "Apporter une bouteille vide": (
        "Apporter une feuille d'arbre",
        "<p>Ramasser une belle feuille d'arbre pour les arts plastiques.</p>",
    ),
    "Chanter « Une souris verte »": (
        "Écouter « Le carnaval des animaux »",
        "<p>Écouter « L'éléphant » de Saint-Saëns (lien ci-dessous).</p>",
    ),
}
SONGS = {
    "Chanter « Une souris verte »": {"url": "https://fr.wikipedia.org/wiki/Une_souris_verte", "label": "La chanson"},
    "Écouter « Le carnaval des animaux »": {
        "url": "https://fr.wikipedia.org/wiki/Le_Carnaval_des_animaux",
        "label": "Le carnaval des animaux",
    },
}
CM2_ITEMS = [
    (
        "histoire_geographie",
        "La Révolution française : 1789",
        "<p>La prise de la Bastille, la Déclaration des droits de l'homme et du citoyen.</p>",
        (
            "Apprendre la leçon sur 1789",
            "<p>Savoir expliquer la date du 14 juillet 1789 et citer deux articles de la Déclaration.</p>",
        ),
    ),
    (
        "sciences",
        "Le système solaire",
        "<p>Les planètes, leur ordre et leur taille ; maquette à l'échelle dans la cour.</p>",
        ("Exposé sur une planète", "<p>Préparer par deux une fiche de 5 lignes sur la planète tirée au sort.</p>"),
    ),
    ("francais", "Le passé simple", "<p>Les verbes du 1<sup>er</sup> groupe au passé simple.</p>", None),
]


def _school_days(today: datetime.date, count: int) -> list[datetime.date]:
    """The last `count` school days up to today (included when it is one)."""
    days, day = [], today
    while len(days) < count:
        if day.weekday() in SCHOOL_DAYS:
            days.append(day)
        day -= datetime.timedelta(days=1)
    return sorted(days)


def _after(day: datetime.date, school_days: int) -> datetime.date:
    while school_days:
        day += datetime.timedelta(days=1)
        if day.weekday() in SCHOOL_DAYS:
            school_days -= 1
    return day


def _dictation_sheet() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle("Mots de la dictée")
    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawString(60, 780, "Mots de la dictée — son [on]")
    canvas.setFont("Helvetica", 16)
    for row, word in enumerate(("pont", "bonbon", "pompier", "monde", "ombre", "nombre", "long", "rond")):
        canvas.drawString(80, 730 - row * 30, word)
    canvas.save()
    return SimpleUploadedFile("mots-de-la-dictee.pdf", buffer.getvalue(), content_type="application/pdf")


def _ce1(teacher: Person, ce1, today: datetime.date, now: datetime.datetime) -> tuple[int, list[Work]]:
    entries, works = 0, []
    monday = today - datetime.timedelta(days=today.weekday())
    last_monday = monday - datetime.timedelta(days=7)
    for day in (d for d in _school_days(today, 8) if d >= last_monday):
        actions.create_entry(
            teacher,
            school_classes=[ce1],
            date=day,
            subject="vie_de_classe",
            title="Rituels du matin",
            body="<p>Date, météo, calendrier et appel.</p>",
            publish_at=now,
        )
        by_subject = {}
        for subject, title, body in CE1_WEEK[day.weekday()]:
            title, body = EARLIER[title] if day < monday else (title, body)
            (by_subject[subject],) = actions.create_entry(
                teacher, school_classes=[ce1], date=day, subject=subject, title=title, body=body, publish_at=now
            )
        entries += 1 + len(CE1_WEEK[day.weekday()])
        for subject, title, body, later in CE1_WORK[day.weekday()]:
            title, body = EARLIER[title] if day < monday else (title, body)
            extra = {}
            if title == "Apprendre les mots de la dictée":
                extra["files"] = [_dictation_sheet()]
            if title in SONGS:
                extra["links"] = [SONGS[title]]
            works += actions.create_work(
                teacher,
                school_classes=[ce1],
                assigned_on=day,
                due_date=_after(day, later),
                subject=subject,
                title=title,
                body=body,
                publish_at=now,
                entry=by_subject.get(subject),
                **extra,
            )
    next_day = _after(today, 1)
    # Tomorrow morning's publication, and a draft the teacher is still preparing.
    actions.create_work(
        teacher,
        school_classes=[ce1],
        assigned_on=next_day,
        due_date=_after(next_day, 2),
        subject="mathematiques",
        title="La monnaie : rendre la monnaie",
        body="<p>Jouer à la marchande avec les pièces découpées.</p>",
        publish_at=timezone.make_aware(datetime.datetime.combine(next_day, datetime.time(7, 30))),
    )
    actions.create_entry(
        teacher,
        school_classes=[ce1],
        date=next_day,
        subject="francais",
        title="Production d'écrit : décrire un animal",
        body="<p>À préparer : liste d'adjectifs.</p>",
        publish_at=None,
    )
    return entries + 1, works


def populate(world) -> dict[str, int]:
    teacher, pupil = world.person(Profile.TEACHER), world.person(Profile.PUPIL)
    classes = world.classes_by_uai["0651067G"]
    ce1 = next(c for c in classes if c.levels == "CE1")
    cm2 = next(c for c in classes if c.levels == "CM2")
    now = world.now
    today = timezone.localdate(now)
    entries, works = _ce1(teacher, ce1, today, now)
    actions.set_track_done(teacher, ce1, track_done=True)
    # Léa and some classmates said which of the last works they did.
    recent = [w for w in works if w.due_date <= today][-3:]
    classmates = Person.objects.filter(enrolments__school_class=ce1).exclude(pk=pupil.pk).order_by("pk")[:6]
    for rank, classmate in enumerate([pupil, *classmates]):
        for index, work in enumerate(recent):
            if (rank + index) % 3:
                actions.mark_done(classmate, work)

    cm2_teacher = Teaching.objects.filter(school_class=cm2).select_related("teacher").first()
    writer = cm2_teacher.teacher if cm2_teacher else world.person(Profile.DIRECTOR)
    for index, (subject, title, body, work) in enumerate(CM2_ITEMS):
        day = _school_days(today, 3)[index]
        (entry,) = actions.create_entry(
            writer, school_classes=[cm2], date=day, subject=subject, title=title, body=body, publish_at=now
        )
        entries += 1
        if work:
            works += actions.create_work(
                writer,
                school_classes=[cm2],
                assigned_on=day,
                due_date=_after(today, 2 + index),
                subject=subject,
                title=work[0],
                body=work[1],
                publish_at=now,
                entry=entry,
            )
    return {"homework_entries": entries, "homework_works": len(works) + 1}
