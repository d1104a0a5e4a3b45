"""The cahier de liaison of a synthetic académie's school year, for the load bench (`generate_academie`).

Rows are the ones the actions write: `publish_note` (the note with its labels and one
`NoteChild` per child, with their class), `sign_note` (one `Acknowledgement` by a guardian, the
answer with it when the note asks a question), the `Reading` of whoever opened it, a few
`reply_to_note` exchanges and `remind_families` reminders. Most families sign within a day or
two; a note of the last days is still waiting for some, as on a real morning.

Sizes: a note fans out to every child of the class (or of the school), whose family reads and
signs it: ~50 rows for a class note, ~280 for a school's. A real pace (a few notes a month in
every class) would be millions of rows for 1,000 schools, and all the services' histories
share a budget (see `preau.demo.history`). So the last `RECENT_DAYS` days hold a note in one
class in six and a school note in one school in twenty-five, with a few older notes, the
same in any month: ~75 rows a school, 75,000 for 1,000 schools.
"""

import datetime

from preau.demo.history import Calendar, batches, full_names

from .models import Acknowledgement, Note, NoteChild, Reading, Reminder, Reply

RECENT_DAYS = 28
CLASS_NOTES_PER_WEEK = 0.04
CLASS_NOTES_BEFORE = 0.04  # in all, over the weeks before
SCHOOL_NOTES_PER_WEEK = 0.01
SCHOOL_NOTES_BEFORE = 0.01
SIGN_RATE = 0.9  # of the children of a note to sign whose family signs it (in time)
READ_RATE = 0.5  # of the children of a note to read only whose family opens it
SIGN_WITHIN_HOURS = 60  # most sign the same evening; a few take two days
REPLY_RATE = 0.03  # of the children of a note open to replies whose family writes back
ANSWERED_RATE = 0.6  # of those replies the teacher answers
REMINDER_AFTER = datetime.timedelta(days=3)
REMINDER_RATE = 0.5  # of the notes still not signed by all three days on
YES_RATE = 0.8  # of the answers to a yes/no question that are "Oui"
SCHOOLS_PER_BATCH = 25

YES_NO = Note.FormKind.YES_NO
# (title, text, asks a signature, question for yes/no or "", allows replies).
CLASS_NOTES = [
    (
        "Sortie au musée",
        "<p>La classe visitera le musée de la ville. Départ à 9 h, retour pour 16 h. Prévoir un pique-nique "
        "et un vêtement de pluie.</p><p>La sortie est gratuite.</p>",
        True,
        "Mon enfant participera à la sortie",
        True,
    ),
    (
        "Piscine : reprise des séances",
        "<p>Les séances de piscine reprennent <strong>jeudi</strong>. Pensez au maillot, au bonnet et à une "
        "serviette, dans un sac marqué au nom de votre enfant.</p>",
        True,
        "",
        False,
    ),
    (
        "Photo de classe",
        "<p>Le photographe passera mardi matin. Les bons de commande seront distribués la semaine suivante.</p>",
        False,
        "",
        False,
    ),
    (
        "Rendez-vous individuels",
        "<p>Je vous propose de faire le point sur les progrès de votre enfant. Écrivez-moi les soirs qui vous "
        "conviennent.</p>",
        True,
        "",
        True,
    ),
    (
        "Cahier du jour à signer",
        "<p>Merci de regarder le cahier du jour avec votre enfant et de signer ce mot.</p>",
        True,
        "",
        False,
    ),
    (
        "Poux dans la classe",
        "<p>Des poux ont été signalés dans la classe : merci de vérifier la tête de votre enfant et de le traiter "
        "si besoin.</p>",
        False,
        "",
        False,
    ),
    (
        "Accompagnateurs pour la bibliothèque",
        "<p>Nous cherchons deux parents pour accompagner la classe à la médiathèque vendredi matin.</p>",
        True,
        "Je peux accompagner la classe",
        True,
    ),
]
SCHOOL_NOTES = [
    (
        "Élections des représentants de parents",
        "<p>Les élections auront lieu <strong>vendredi</strong> par correspondance ou au bureau de vote de "
        "l'école, de 8 h à 12 h.</p>",
        True,
        "",
        False,
    ),
    (
        "Exercice de mise en sûreté",
        "<p>Un exercice du plan de mise en sûreté aura lieu cette semaine. Les enfants ont été préparés en classe.</p>",
        True,
        "",
        True,
    ),
    (
        "Grève : service minimum d'accueil",
        "<p>En raison d'un mouvement de grève jeudi, la commune organise un service minimum d'accueil à l'école.</p>",
        False,
        "",
        False,
    ),
    (
        "Conseil d'école",
        "<p>Le conseil d'école se réunira mardi à 18 h. Le compte rendu sera affiché à l'entrée de l'école.</p>",
        False,
        "",
        False,
    ),
    (
        "Kermesse de l'école",
        "<p>La kermesse aura lieu le dernier samedi de juin. Les parents élus cherchent des volontaires pour "
        "tenir les stands.</p>",
        True,
        "Je peux tenir un stand",
        True,
    ),
]
FAMILY_REPLIES = [
    "Merci pour l'information.",
    "Mon enfant sera absent ce jour-là, nous avons un rendez-vous médical.",
    "Pouvez-vous me rappeler l'horaire de retour ?",
    "Je suis disponible mardi soir après 17 h.",
]
STAFF_ANSWERS = ["C'est noté, merci.", "Retour prévu à 16 h devant l'école.", "Très bien, à mardi."]


def generate(academie, rng, progress) -> dict[str, int]:
    calendar = Calendar.of(academie)
    progress.stage("Cahier de liaison", len(academie.schools), "écoles")
    totals = {"mots du cahier de liaison": 0, "mots reçus par enfant": 0, "signatures": 0}
    for batch in batches(academie.schools, SCHOOLS_PER_BATCH):
        writer = _Writer(academie, calendar, rng, batch)
        for school in batch:
            writer.school(school)
        rows = writer.save()
        totals["mots du cahier de liaison"] += len(writer.notes)
        totals["mots reçus par enfant"] += len(writer.children)
        totals["signatures"] += len(writer.acknowledgements)
        progress.advance(len(batch), rows=rows)
    return totals


class _Writer:
    """The notes of a batch of schools, built in memory, then written model by model."""

    def __init__(self, academie, calendar: Calendar, rng, schools) -> None:
        self.academie, self.calendar, self.rng = academie, calendar, rng
        self.notes, self.children, self.acknowledgements, self.readings = [], [], [], []
        self.replies, self.reminders = [], []
        people = {school.director_id for school in schools}
        for school in schools:
            for school_class in school.classes:
                people.update(school_class.teacher_ids)
                for pupil_id in school_class.pupil_ids:
                    people.update(academie.guardians.get(pupil_id, ()))
        self.names = full_names(people)

    def school(self, school) -> None:
        calendar, rng = self.calendar, self.rng
        source = f"École {school.name}"
        classes = [c for c in school.classes if c.pupil_ids]
        for day in calendar.spread(
            rng,
            recent_days=RECENT_DAYS,
            per_week=SCHOOL_NOTES_PER_WEEK,
            before=SCHOOL_NOTES_BEFORE,
        ):
            self._note(
                SCHOOL_NOTES,
                day,
                school,
                author=school.director_id,
                source=source,
                audience=f"Toute l'école {school.name}",
                classes=classes,
            )
        for school_class in classes:
            if not school_class.teacher_ids:
                continue
            for day in calendar.spread(
                rng,
                recent_days=RECENT_DAYS,
                per_week=CLASS_NOTES_PER_WEEK,
                before=CLASS_NOTES_BEFORE,
            ):
                self._note(
                    CLASS_NOTES,
                    day,
                    school,
                    author=school_class.teacher_ids[0],
                    source=source,
                    audience=f"Classe {school_class.name}",
                    classes=[school_class],
                )

    def _note(self, choices, day, school, *, author: int, source: str, audience: str, classes) -> None:
        calendar, rng = self.calendar, self.rng
        title, body, requires_ack, question, allows_reply = rng.choice(choices)
        published = calendar.at(day, rng, 8.0, 18.5)
        note = Note(
            origin=Note.Origin.SCHOOL,
            school_id=school.id,
            year=self.academie.year,
            author_id=author,
            author_label=self.names[author],
            source_label=source,
            audience_label=audience[:500],
            class_ids=sorted(c.id for c in classes),
            title=title,
            body=body,
            requires_ack=requires_ack,
            allows_reply=allows_reply,
            form_kind=YES_NO if question else "",
            question=question,
            published_at=published,
        )
        self.notes.append(note)
        signed_at = []
        for school_class in classes:
            for pupil_id in school_class.pupil_ids:
                child = NoteChild(note=note, pupil_id=pupil_id, school_class_id=school_class.id, year=note.year)
                self.children.append(child)
                at = self._family(note, child, self.academie.guardians.get(pupil_id, []))
                signed_at.append(at)
        if requires_ack:
            self._reminder(note, signed_at)

    def _family(self, note: Note, child: NoteChild, guardians: list[int]) -> datetime.datetime | None:
        """What the child's family did: opened, signed (and answered), replied. When it signed."""
        calendar, rng = self.calendar, self.rng
        if not guardians:
            return None
        guardian = rng.choice(guardians)
        rate = SIGN_RATE if note.requires_ack else READ_RATE
        if rng.random() >= rate:
            return None
        # Opened some hours after publication (most the same evening); a moment still to come
        # means not yet.
        opened = note.published_at + datetime.timedelta(hours=rng.random() ** 2 * SIGN_WITHIN_HOURS, minutes=2)
        if opened >= calendar.now:
            return None
        self.readings.append(Reading(recipient=child, person_id=guardian, at=opened))
        signed = None
        if note.requires_ack:
            signed = opened + datetime.timedelta(minutes=rng.randrange(1, 10))
            if signed >= calendar.now:
                return None
            self.acknowledgements.append(
                Acknowledgement(recipient=child, guardian_id=guardian, guardian_label=self.names[guardian], at=signed)
            )
            if note.form_kind:
                child.answer = "Oui" if rng.random() < YES_RATE else "Non"
                child.answered_by_id, child.answered_at = guardian, signed
        if note.allows_reply and rng.random() < REPLY_RATE:
            self._replies(note, child, guardian, signed or opened)
        return signed

    def _replies(self, note: Note, child: NoteChild, guardian: int, after: datetime.datetime) -> None:
        calendar, rng = self.calendar, self.rng
        written = calendar.later(after, rng, hours=1)
        self.replies.append(
            Reply(
                note=note,
                pupil_id=child.pupil_id,
                author_id=guardian,
                author_label=self.names[guardian],
                from_family=True,
                body=rng.choice(FAMILY_REPLIES),
                created_at=written,
            )
        )
        answered = calendar.later(written, rng, hours=20)
        if rng.random() < ANSWERED_RATE and answered > written:
            self.replies.append(
                Reply(
                    note=note,
                    pupil_id=child.pupil_id,
                    author_id=note.author_id,
                    author_label=note.author_label,
                    from_family=False,
                    body=rng.choice(STAFF_ANSWERS),
                    created_at=answered,
                )
            )

    def _reminder(self, note: Note, signed_at: list) -> None:
        """Three days on, the author reminds the families that have not signed, now and then."""
        at = note.published_at + REMINDER_AFTER
        if at >= self.calendar.now or self.rng.random() >= REMINDER_RATE:
            return
        pending = sum(1 for signed in signed_at if signed is None or signed > at)
        if pending:
            note.last_reminded_at = at
            self.reminders.append(
                Reminder(note=note, actor_id=note.author_id, actor_label=note.author_label, at=at, children=pending)
            )

    def save(self) -> int:
        insert = self.academie.insert
        # Parents first: each list points to objects the lists before it saved.
        return (
            insert(self.notes)
            + insert(self.children)
            + insert(self.acknowledgements)
            + insert(self.readings)
            + insert(self.replies)
            + insert(self.reminders)
        )
