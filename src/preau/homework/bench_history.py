"""The cahier de textes of a synthetic académie's school year, for the load bench (`generate_academie`).

Rows are the ones `actions.create_entry` / `create_work` write for a published item (author the
class's teacher, `published_at` = `publish_at`, the year and school copied from the class), a
draft or two for tomorrow, and the "fait" marks of the classes that track them (`ClassSetting`).

Sizes: a class writes every school day, but ~5,800 classes × ~140 school days × 2–3 séances
would be millions of rows for 1,000 schools, and all the services' histories share a budget
(see `preau.demo.history`). The families' pages read the last days (the séances of the last
seven days, the works still due), so the last `RECENT_SCHOOL_DAYS` school days are written in
full (2–3 séances each, a third with a work in cycles 2 and 3; before holidays, the works are
due after them) and the weeks before keep `DAYS_BEFORE` day: ~15 rows a class, ~90 a school,
90,000 for 1,000 schools, the same in any month.
"""

import datetime

from django.utils import timezone

from preau.demo.history import Calendar, batches

from .models import ClassSetting, DoneMark, Entry, Work
from .subjects import subjects_for_levels

RECENT_SCHOOL_DAYS = 4  # written in full (a week of school): what "à faire" and the latest séances show
ENTRIES_PER_DAY = (2, 3)
DAYS_BEFORE = 1  # school days written in full among the weeks before
# A séance comes with a work to do this often (cycles 2 and 3; a little in maternelle).
WORK_RATE = 0.35
WORK_RATE_MATERNELLE = 0.05
DUE_IN_SCHOOL_DAYS = (1, 1, 1, 2, 3, 4)
DRAFT_RATE = 0.2  # classes with tomorrow's séance still a draft
TRACK_DONE_RATE = 0.1  # classes whose pupils tick "fait"
DONE_WITHIN_DAYS = 7  # the marks kept: works due in the last days and to come
DONE_RATE = 0.6
SCHOOLS_PER_BATCH = 25

# Séances by subject: (title, what was done). The maternelle's domains have their own.
SEANCES = {
    "francais": [
        ("Lecture : le début du roman", "<p>Lecture à voix haute du premier chapitre ; les personnages.</p>"),
        ("Étude de la langue : le nom et l'adjectif", "<p>Tri de groupes nominaux ; accords au tableau.</p>"),
        ("Dictée préparée", "<p>Dictée de cinq phrases, puis autocorrection avec la fiche.</p>"),
        ("Production d'écrit : raconter sa sortie", "<p>Premier jet au brouillon, relu à deux.</p>"),
        ("Conjugaison : le présent des verbes en -er", "<p>Jeu des étiquettes sujet–verbe ; leçon collée.</p>"),
        ("Poésie : « Le cancre » de Prévert", "<p>Découverte du poème, illustration dans le cahier.</p>"),
        ("Vocabulaire : les familles de mots", "<p>Recherche dans le dictionnaire : terre, terrain, enterrer.</p>"),
    ],
    "mathematiques": [
        ("Calcul mental : les compléments", "<p>Ardoises : compléments à 10, puis à 100.</p>"),
        ("Numération : comparer des nombres", "<p>Les signes &lt; et &gt; ; ranger des nombres.</p>"),
        ("Problèmes : chercher la bonne opération", "<p>Schémas en barres, mise en commun des méthodes.</p>"),
        ("Géométrie : tracer des angles droits", "<p>Utilisation de l'équerre ; figures sur quadrillage.</p>"),
        ("Mesures : les longueurs", "<p>Mesurer avec le double-décimètre ; conversions m, cm, mm.</p>"),
        ("Les tables de multiplication", "<p>Jeu du furet, puis exercices du fichier p. 34.</p>"),
    ],
    "questionner_le_monde": [
        ("Les états de l'eau", "<p>Observation de glaçons qui fondent : solide, liquide.</p>"),
        ("Le vivant : les besoins des plantes", "<p>Semis de haricots dans la classe, protocole d'observation.</p>"),
        ("Se repérer dans le temps : la frise", "<p>Frise de la journée, puis de la semaine.</p>"),
    ],
    "sciences": [
        ("Le système solaire", "<p>Les planètes, leur ordre et leur taille ; maquette dans la cour.</p>"),
        ("Circuits électriques", "<p>Allumer une ampoule avec une pile : circuits ouverts et fermés.</p>"),
        ("La digestion", "<p>Schéma du trajet des aliments, légendé en groupe.</p>"),
    ],
    "histoire_geographie": [
        ("La préhistoire : les premiers outils", "<p>Observation de bifaces, frise chronologique.</p>"),
        ("Se loger dans notre commune", "<p>Lecture de plan ; types de logements autour de l'école.</p>"),
        ("Charlemagne et l'école", "<p>Étude d'un document ; la légende et l'histoire.</p>"),
    ],
    "emc": [
        ("Les règles de vie de la classe", "<p>Débat : pourquoi des règles ? Affiche signée par la classe.</p>"),
        ("Les émotions", "<p>La roue des émotions : dire ce que l'on ressent.</p>"),
    ],
    "langues_vivantes": [
        ("Anglais : the colours", "<p>Chanson et jeu du « Simon says touch something red ».</p>"),
        ("Anglais : my family", "<p>Présenter sa famille : <em>This is my brother</em>.</p>"),
    ],
    "arts_plastiques": [
        ("À la manière de Kandinsky", "<p>Cercles concentriques aux pastels gras, couleurs chaudes et froides.</p>"),
        ("Feuilles d'automne", "<p>Empreintes de feuilles à la peinture.</p>"),
    ],
    "education_musicale": [
        ("Chant de la chorale", "<p>Apprentissage du refrain ; travail du souffle.</p>"),
        ("Écoute : « Le carnaval des animaux »", "<p>Reconnaître les instruments de « L'éléphant ».</p>"),
    ],
    "eps": [
        ("Jeux de ballon", "<p>Passes à deux, puis jeu de la balle au capitaine.</p>"),
        ("Course longue", "<p>Courir 8 minutes à allure régulière.</p>"),
    ],
    "langage": [
        ("Le coin écoute : un album", "<p>Lecture de l'album du mois ; les enfants racontent la suite.</p>"),
        ("Comptines de la semaine", "<p>Trois comptines apprises avec les gestes.</p>"),
    ],
    "activite_physique": [("Parcours de motricité", "<p>Sauter, ramper, garder l'équilibre sur le banc.</p>")],
    "activites_artistiques": [("Peinture à la manière de Miró", "<p>Formes et couleurs vives sur grand format.</p>")],
    "premiers_outils_maths": [("Compter jusqu'à 5", "<p>Jeux de dés et de cartes : dire combien.</p>")],
    "explorer_le_monde": [("Les saisons", "<p>Promenade dans la cour : les arbres en automne.</p>")],
    "vie_de_classe": [("Rituels du matin", "<p>Date, météo, calendrier et appel.</p>")],
}
# Works to do by subject: (title, instructions); the other subjects ask for nothing at home.
WORKS = {
    "francais": [
        ("Relire le chapitre à voix haute", "<p>Relire le chapitre du jour à voix haute à un adulte.</p>"),
        ("Apprendre les mots de la dictée", "<p>Apprendre les 10 mots de la fiche pour la dictée.</p>"),
        ("Apprendre la poésie", "<p>Apprendre les deux premières strophes de la poésie.</p>"),
    ],
    "mathematiques": [
        ("Réviser la table de 4", "<p>Réciter la table de 4 dans l'ordre et dans le désordre.</p>"),
        ("Exercices du fichier", "<p>Faire les exercices 3 et 4 de la page 36.</p>"),
    ],
    "questionner_le_monde": [("Apporter une bouteille vide", "<p>Une petite bouteille en plastique propre.</p>")],
    "sciences": [("Apprendre la leçon", "<p>Savoir légender le schéma de la leçon.</p>")],
    "histoire_geographie": [("Apprendre la leçon", "<p>Savoir expliquer les dates de la frise.</p>")],
    "langues_vivantes": [("Écouter la chanson", "<p>Écouter la chanson et chanter le refrain.</p>")],
    "explorer_le_monde": [("Apporter une feuille d'arbre", "<p>Ramasser une belle feuille pour la classe.</p>")],
    "langage": [("Apporter un livre", "<p>Apporter son livre préféré pour le présenter.</p>")],
}
# How often a subject comes up in a day of the class.
WEIGHTS = {"francais": 5, "mathematiques": 4, "langage": 4, "vie_de_classe": 1}
DRAFT = ("Production d'écrit : décrire un animal", "<p>À préparer : liste d'adjectifs.</p>")


def generate(academie, rng, progress) -> dict[str, int]:
    calendar = Calendar.of(academie)
    days = _written_days(calendar, rng)
    classes = sum(len(school.classes) for school in academie.schools)
    progress.stage("Cahier de textes", classes, "classes")
    totals = {"séances du cahier de textes": 0, "travaux à faire": 0, "travaux faits": 0}
    if not days:  # before the rentrée
        return totals
    for batch in batches(academie.schools, SCHOOLS_PER_BATCH):
        entries, works, class_settings, marks = [], [], [], []
        for school in batch:
            for school_class in school.classes:
                if not school_class.teacher_ids:
                    continue
                common = {"school_class_id": school_class.id, "school_id": school.id, "year": academie.year}
                written = _class(calendar, rng, school_class, days, common, entries, works)
                if rng.random() < TRACK_DONE_RATE:
                    setting = ClassSetting(school_class_id=school_class.id, track_done=True)
                    setting.updated_at = calendar.at(calendar.days[0], rng)
                    class_settings.append(setting)
                    marks += _done_marks(calendar, rng, school_class, written)
        # Works point to their séance, saved just before; marks to their work.
        rows = sum(academie.insert(objects) for objects in (entries, works, class_settings, marks))
        totals["séances du cahier de textes"] += len(entries)
        totals["travaux à faire"] += len(works)
        totals["travaux faits"] += len(marks)
        progress.advance(sum(len(school.classes) for school in batch), rows=rows)
    return totals


def _written_days(calendar: Calendar, rng) -> list[datetime.date]:
    """The last school days, and a few days before them (the same for every class)."""
    recent, older = calendar.days[-RECENT_SCHOOL_DAYS:], calendar.days[:-RECENT_SCHOOL_DAYS]
    return sorted(rng.sample(older, min(DAYS_BEFORE, len(older)))) + recent


def _class(calendar, rng, school_class, days, common, entries, works) -> list[Work]:
    """A class's séances and works (appended to the lists); returns its works."""
    author = school_class.teacher_ids[0]
    subjects = [code for code, _label in subjects_for_levels(school_class.levels) if code in SEANCES]
    weights = [WEIGHTS.get(code, 1) for code in subjects]
    maternelle = not ({"CP", "CE1", "CE2", "CM1", "CM2"} & set(school_class.levels.split()))
    work_rate = WORK_RATE_MATERNELLE if maternelle else WORK_RATE
    made = []
    for day in days:
        # The teacher fills the book after class; today's is written "now" at the latest.
        published = calendar.at(day, rng, 16.5, 20.0)
        count = rng.randint(*ENTRIES_PER_DAY)
        for subject in dict.fromkeys(rng.choices(subjects, weights=weights, k=count)):
            title, body = rng.choice(SEANCES[subject])
            entry = Entry(date=day, subject=subject, title=title, body=body, author_id=author, **common)
            _published(entry, published)
            entries.append(entry)
            if subject in WORKS and rng.random() < work_rate:
                title, body = rng.choice(WORKS[subject])
                due = calendar.after_school_days(day, rng.choice(DUE_IN_SCHOOL_DAYS))
                work = Work(
                    entry=entry,
                    assigned_on=day,
                    due_date=due,
                    subject=subject,
                    title=title,
                    body=body,
                    author_id=author,
                    **common,
                )
                _published(work, published)
                works.append(work)
                made.append(work)
    if rng.random() < DRAFT_RATE:
        # Tomorrow's séance, still a draft: the teacher sees it, the families do not.
        title, body = DRAFT
        draft = Entry(
            date=calendar.after_school_days(calendar.today, 1),
            subject="francais" if "francais" in subjects else subjects[0],
            title=title,
            body=body,
            author_id=author,
            **common,
        )
        draft.created_at = draft.updated_at = calendar.at(calendar.days[-1], rng, 16.5, 20.0)
        entries.append(draft)
    return made


def _published(item, moment: datetime.datetime) -> None:
    """Published at once, as the actions do for `publish_at` now: `published_at` the same."""
    item.publish_at = item.published_at = item.created_at = item.updated_at = moment


def _done_marks(calendar: Calendar, rng, school_class, works: list[Work]) -> list[DoneMark]:
    """Pupils tick the works due lately or soon, between the evening given and the due day."""
    since = calendar.today - datetime.timedelta(days=DONE_WITHIN_DAYS)
    marks = []
    for work in works:
        if work.due_date < since:
            continue
        due_morning = timezone.make_aware(datetime.datetime.combine(work.due_date, datetime.time(8, 0)))
        latest = min(due_morning, calendar.now)
        if latest <= work.publish_at:
            continue
        span = (latest - work.publish_at).total_seconds()
        for pupil_id in school_class.pupil_ids:
            if rng.random() < DONE_RATE:
                marked = work.publish_at + datetime.timedelta(seconds=rng.random() * span)
                marks.append(DoneMark(work=work, pupil_id=pupil_id, marked_at=marked))
    return marks
