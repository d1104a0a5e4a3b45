"""The demo's cahier journal: a week of Julien Abadie's CE1, written through the actions."""

import datetime

from django.utils import timezone

from preau.directory.models import Profile

from . import actions

T = datetime.time
# (start, end, subject, title, objectives, organisation, material, assessment)
MORNING = [
    (
        T(8, 30),
        T(8, 50),
        "vie_de_classe",
        "Rituels : date, météo, appel",
        "Se repérer dans la semaine ; compter les présents.",
        "collectif",
        "Calendrier de la classe",
        "",
    ),
    (
        T(8, 50),
        T(9, 50),
        "francais",
        "Lecture : « Le loup qui voulait changer de couleur »",
        "Lire à voix haute avec fluidité.\nRepérer les jours de la semaine dans le texte.",
        "groupes",
        "Album (6 exemplaires), fiches de lecture",
        "Lecture individuelle de 5 élèves",
    ),
    (
        T(10, 15),
        T(10, 45),
        "mathematiques",
        "Calcul mental : compléments à 10",
        "Mémoriser les compléments à 10.",
        "collectif",
        "Ardoises",
        "Procédé Lamartinière : 10 calculs",
    ),
    (
        T(10, 45),
        T(11, 45),
        "mathematiques",
        "Numération : les nombres jusqu'à 1 000",
        "Décomposer un nombre en centaines, dizaines, unités.",
        "ateliers",
        "Matériel base 10, fichier p. 42",
        "Fiche d'exercices corrigée ensemble",
    ),
]
AFTERNOONS = {
    0: [(T(13, 30), T(14, 30), "questionner_le_monde", "L'eau dans tous ses états",
         "Nommer les états de l'eau ; observer la fusion d'un glaçon.", "groupes",
         "Glaçons, thermomètres, gobelets", "Schéma légendé"),
        (T(14, 45), T(15, 45), "eps", "Jeux collectifs : la balle au capitaine",
         "Respecter les règles ; coopérer pour marquer.", "groupes", "Ballons, chasubles", "")],
    1: [(T(13, 30), T(14, 30), "francais", "Étude de la langue : le verbe",
         "Repérer le verbe dans une phrase et trouver son infinitif.", "individuel",
         "Cahier du jour, étiquettes-mots", "Exercice 3 du fichier"),
        (T(14, 45), T(15, 45), "arts_plastiques", "Le loup en couleurs",
         "Mélanger des couleurs primaires.", "ateliers", "Gouache, pinceaux, feuilles A3", "")],
    3: [(T(13, 30), T(14, 15), "langues_vivantes", "Anglais : the days of the week",
         "Dire et reconnaître les jours de la semaine.", "collectif", "Comptine, flashcards", ""),
        (T(14, 15), T(15, 45), "eps", "Piscine",
         "S'immerger, se déplacer sur 10 m.", "groupes", "Bonnets, autorisation des parents", "")],
    4: [(T(13, 30), T(14, 30), "education_musicale", "Chant : « Le loup est revenu »",
         "Chanter juste et ensemble.", "collectif", "Enregistrement, paroles", ""),
        (T(14, 45), T(15, 45), "emc", "Conseil de classe",
         "Exprimer un avis ; écouter celui des autres.", "collectif", "Boîte à messages", "")],
}  # fmt: skip
REVIEWS = [
    "Bonne participation ; 4 élèves encore hésitants en lecture à voix haute, à reprendre en APC.",
    "Les compléments à 10 sont acquis pour la plupart ; deux élèves à revoir en APC.",
    "Ateliers trop longs : prévoir une rotation de 15 minutes.",
]


def populate(world) -> dict[str, int]:
    teacher = world.person(Profile.TEACHER)
    ce1 = next(c for c in world.classes_by_uai["0651067G"] if c.levels == "CE1")
    today = timezone.localdate(world.now)
    monday = today - datetime.timedelta(days=today.weekday())
    slots = []
    for weekday in (0, 1, 3, 4):  # no school on Wednesday in the demo's school
        day = monday + datetime.timedelta(days=weekday)
        for start, end, subject, title, objectives, organisation, material, assessment in MORNING + AFTERNOONS[weekday]:
            slots.append(
                actions.plan_slot(
                    teacher,
                    school_class=ce1,
                    date=day,
                    starts_at=start,
                    ends_at=end,
                    subject=subject,
                    title=title,
                    objectives=objectives,
                    organisation=organisation,
                    material=material,
                    assessment=assessment,
                )
            )
    for slot, review in zip((s for s in slots if s.date < today), REVIEWS, strict=False):
        actions.write_review(teacher, slot, review=review)
    actions.save_day_as_template(teacher, school_class=ce1, date=monday, name="Lundi type")
    reading = next(s for s in slots if s.date == monday and s.subject == "francais")
    actions.report_slot_to_homework(teacher, reading)
    return {"journal_slots": len(slots)}
