"""Conventions: the partnership between an académie and each commune, year by year.

A commune (one per commune, even inside a regroupement) signs, for one school year, a
convention that lists its enrolled schools by UAI (annex 1) and pays a fixed fee per school set
by the académie for that year (`FeeSchedule`), after the académie issues a *titre de
perception*. The convention ends on a set date in early September (art. 10 of the 2025 seeds)
or by termination (`Termination`, art. 11). `Coverage` says, per school, whether a signed
convention covers it, and when its data is deleted once coverage ends (three months later).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Academie, Commune, Departement, School, school_year_label

MAX_FEE = Decimal("9999.99")


class FeeSchedule(models.Model):
    """The fee per enrolled school that an académie sets for one school year (art. 4)."""

    academie = models.ForeignKey(Academie, verbose_name=_("académie"), on_delete=models.PROTECT, related_name="+")
    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    amount_per_school = models.DecimalField(
        _("participation par école (€ TTC)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_FEE)],
    )
    # The date every convention of the year ends (art. 10), chosen by the académie.
    end_date = models.DateField(_("fin des conventions"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participation annuelle")
        verbose_name_plural = _("participations annuelles")
        ordering = ["academie", "-school_year"]
        constraints = [models.UniqueConstraint(fields=["academie", "school_year"], name="fee_unique_per_year")]

    def __str__(self) -> str:
        return f"{self.academie} {school_year_label(self.school_year)} : {self.amount_per_school} €"

    @property
    def year_label(self) -> str:
        return school_year_label(self.school_year)


class TemplateVersion(models.Model):
    """One version of an académie's convention text; each edit makes a new version.

    `articles` is plain text: a line "## Titre" opens an article, "### Titre" a sub-article,
    "- " a list item; other lines are paragraphs. `{{ name }}` placeholders are filled in for
    each convention (see `template_text.PLACEHOLDERS`). A convention keeps the version its PDF
    was made from, so an edit never changes a document already sent.
    """

    academie = models.ForeignKey(Academie, verbose_name=_("académie"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("titre du document"), max_length=250)
    party_name = models.CharField(_("partie académique"), max_length=200)
    party_address = models.CharField(_("adresse"), max_length=300, blank=True)
    signatory_name = models.CharField(_("signataire"), max_length=150)
    signatory_title = models.CharField(_("qualité du signataire"), max_length=300)
    place = models.CharField(_("lieu de signature"), max_length=100)
    court = models.CharField(_("juridiction compétente"), max_length=200)
    preamble = models.TextField(_("préambule"))
    articles = models.TextField(_("articles"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("modèle de convention")
        verbose_name_plural = _("modèles de convention")
        ordering = ["academie", "-version"]
        constraints = [models.UniqueConstraint(fields=["academie", "version"], name="template_unique_version")]

    def __str__(self) -> str:
        return f"{self.academie} — v{self.version}"


class Convention(models.Model):
    class State(models.TextChoices):
        DRAFT = "brouillon", _("brouillon")
        SENT = "envoyee", _("envoyée pour signature")
        SIGNED = "signee", _("signée")
        TERMINATED = "resiliee", _("résiliée")
        EXPIRED = "expiree", _("expirée")

    class Titre(models.TextChoices):
        TO_ISSUE = "a_emettre", _("à émettre")
        ISSUED = "emis", _("émis")
        PAID = "paye", _("payé")

    class SignatureMode(models.TextChoices):
        ELECTRONIC = "electronique", _("signature électronique")
        PAPER = "papier", _("signature sur papier, copie numérisée")

    academie = models.ForeignKey(Academie, verbose_name=_("académie"), on_delete=models.PROTECT, related_name="+")
    # The commune's département, kept here so that a DSDEN's scope costs no join.
    departement = models.ForeignKey(
        Departement, verbose_name=_("département"), on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+")
    school_year = models.PositiveSmallIntegerField(_("année scolaire"))
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.DRAFT)

    # The parties and their signatories, as printed on the convention.
    academie_party = models.CharField(_("partie académique"), max_length=200)
    academie_address = models.CharField(_("adresse de l'académie"), max_length=300, blank=True)
    academie_signatory_name = models.CharField(_("signataire pour l'académie"), max_length=150)
    academie_signatory_title = models.CharField(_("qualité"), max_length=300)
    collectivite_name = models.CharField(_("collectivité"), max_length=200)
    commune_signatory_name = models.CharField(_("signataire pour la collectivité"), max_length=150)
    commune_signatory_title = models.CharField(_("qualité"), max_length=150)
    place = models.CharField(_("lieu de signature"), max_length=100)
    court = models.CharField(_("juridiction compétente"), max_length=200)
    template = models.ForeignKey(
        TemplateVersion, verbose_name=_("modèle"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # Money (art. 4 and 9): the fee is the académie's for the year, frozen once sent.
    fee_per_school = models.DecimalField(_("participation par école"), max_digits=6, decimal_places=2)
    school_count = models.PositiveIntegerField(_("écoles inscrites"), default=0)
    amount_due = models.DecimalField(_("montant"), max_digits=10, decimal_places=2, default=Decimal("0"))
    titre_state = models.CharField(
        _("titre de perception"), max_length=10, choices=Titre.choices, default=Titre.TO_ISSUE
    )
    titre_reference = models.CharField(_("référence du titre"), max_length=60, blank=True)
    titre_issued_on = models.DateField(_("titre émis le"), null=True, blank=True)
    titre_paid_on = models.DateField(_("payé le"), null=True, blank=True)

    # Dates (art. 10): from signature to the académie's end date; `closed_on` is the last day
    # covered once it has ended (the end date, or the termination's effective date).
    end_date = models.DateField(_("fin de la convention"))
    signed_on = models.DateField(_("signée le"), null=True, blank=True)
    signature_mode = models.CharField(_("mode de signature"), max_length=12, choices=SignatureMode.choices, blank=True)
    closed_on = models.DateField(_("terminée le"), null=True, blank=True)

    # Documents: the PDF Préau generated, and the signed copy someone uploaded.
    pdf = models.FileField(_("convention générée"), upload_to="conventions/generees/%Y/", blank=True)
    pdf_generated_at = models.DateTimeField(_("générée le"), null=True, blank=True)
    signed_copy = models.FileField(_("exemplaire signé"), upload_to="conventions/signees/%Y/", blank=True)
    signed_copy_name = models.CharField(max_length=200, blank=True)
    signed_copy_uploaded_at = models.DateTimeField(null=True, blank=True)
    signed_copy_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    renewed_from = models.ForeignKey(
        "self",
        verbose_name=_("renouvelle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewals",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")
        ordering = ["-school_year", "commune__name"]
        constraints = [
            # One convention per commune and year; a terminated one may be followed by another.
            models.UniqueConstraint(
                fields=["commune", "school_year"],
                condition=~Q(state="resiliee"),
                name="convention_one_per_commune_year",
            ),
        ]
        indexes = [
            models.Index(fields=["academie", "school_year", "state"]),
            models.Index(fields=["departement", "school_year"]),
            models.Index(fields=["state", "end_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.collectivite_name} — {self.year_label}"

    @property
    def year_label(self) -> str:
        return school_year_label(self.school_year)

    @property
    def is_binding(self) -> bool:
        """Signed once: its fee is due (sums received are not refunded, art. 11)."""
        return self.state in BINDING_STATES


BINDING_STATES = (Convention.State.SIGNED, Convention.State.EXPIRED, Convention.State.TERMINATED)


class ConventionSchool(models.Model):
    """A school enrolled by the convention (annex 1), with its UAI and name as printed."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="enrolled")
    school = models.ForeignKey(School, verbose_name=_("école"), on_delete=models.PROTECT, related_name="+")
    uai = models.CharField(_("UAI"), max_length=8)
    name = models.CharField(_("nom"), max_length=200)

    class Meta:
        verbose_name = _("école inscrite")
        verbose_name_plural = _("écoles inscrites (annexe 1)")
        ordering = ["uai"]
        constraints = [models.UniqueConstraint(fields=["convention", "school"], name="convention_school_unique")]

    def __str__(self) -> str:
        return f"{self.uai} — {self.name}"


class Termination(models.Model):
    """The termination procedure of art. 11: formal notice, conciliation, letter, delay."""

    class Side(models.TextChoices):
        ACADEMIE = "academie", _("l'académie")
        COLLECTIVITE = "collectivite", _("la collectivité")

    class State(models.TextChoices):
        CONCILIATION = "conciliation", _("mise en demeure, conciliation en cours")
        NOTIFIED = "notifiee", _("résiliation notifiée, délai de quinze jours")
        EFFECTIVE = "effective", _("résiliation effective")
        ABANDONED = "abandonnee", _("abandonnée après conciliation")

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="terminations")
    initiated_by = models.CharField(_("à l'initiative de"), max_length=12, choices=Side.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(_("état"), max_length=12, choices=State.choices, default=State.CONCILIATION)
    grievances = models.TextField(_("griefs exposés dans la mise en demeure"))
    notice_date = models.DateField(_("envoi de la mise en demeure"))
    conciliation_deadline = models.DateField(_("fin du délai de conciliation"))
    letter_date = models.DateField(_("envoi de la lettre de résiliation"), null=True, blank=True)
    reasons = models.TextField(_("motifs de la résiliation"), blank=True)
    effective_date = models.DateField(_("résiliation effective le"), null=True, blank=True)
    dispute_from = models.DateField(_("recours possible à partir du"), null=True, blank=True)
    outcome_note = models.TextField(_("issue de la conciliation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("résiliation")
        verbose_name_plural = _("résiliations")
        ordering = ["-notice_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention"],
                condition=Q(state__in=["conciliation", "notifiee"]),
                name="termination_one_open_per_convention",
            )
        ]

    def __str__(self) -> str:
        return f"{self.convention} — {self.get_state_display()}"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.CONCILIATION, self.State.NOTIFIED)


class Coverage(models.Model):
    """Whether a signed convention covers a school, and what follows once it no longer does.

    A school gets a row the first time a convention covering it is signed; schools no
    convention ever covered have none and are left as the directory made them.
    """

    class State(models.TextChoices):
        COVERED = "couverte", _("couverte par une convention")
        ACCESS = "acces", _("hors convention : accès en lecture jusqu'à la suppression")
        PURGED = "supprimee", _("hors convention : données supprimées")

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(_("état"), max_length=10, choices=State.choices)
    convention = models.ForeignKey(Convention, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ended_on = models.DateField(_("dernier jour couvert"), null=True, blank=True)
    delete_on = models.DateField(_("suppression des données le"), null=True, blank=True)
    purged_at = models.DateTimeField(_("données supprimées le"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("couverture d'une école")
        verbose_name_plural = _("couvertures des écoles")
        indexes = [models.Index(fields=["state", "delete_on"])]

    def __str__(self) -> str:
        return f"{self.school_id} — {self.get_state_display()}"


class Reminder(models.Model):
    """A reminder already sent, so that the daily run sends each one once."""

    key = models.CharField(max_length=120, unique=True)
    sent_on = models.DateField()

    class Meta:
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")

    def __str__(self) -> str:
        return self.key
