"""Blogs of classes, schools and groups: posts, comments, images and the pupils' image rights.

The school's director is the publication director of every blog of the school (conventions,
art. 6); a blog opens to the public web only with their approval.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.directory.models import Group, School, SchoolClass


class Blog(models.Model):
    class Scope(models.TextChoices):
        CLASS = "classe", _("blog de classe")
        SCHOOL = "ecole", _("blog d'école")
        GROUP = "groupe", _("blog de groupe")

    class Audience(models.TextChoices):
        MEMBERS = "membres", _("la classe, le groupe ou l'école (élèves, familles, enseignants)")
        PUBLIC = "public", _("le web public (sans connexion)")

    scope = models.CharField(_("type"), max_length=8, choices=Scope.choices)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_class = models.OneToOneField(SchoolClass, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    group = models.OneToOneField(Group, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    title = models.CharField(_("titre"), max_length=150)
    description = models.CharField(_("présentation"), max_length=300, blank=True)
    audience = models.CharField(_("public"), max_length=8, choices=Audience.choices, default=Audience.MEMBERS)
    # The public web needs the director's approval; a change of mind withdraws it at once.
    public_approved_at = models.DateTimeField(null=True, blank=True)
    public_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pupils_may_post = models.BooleanField(
        _("les élèves écrivent des articles (validés par l'enseignant)"), default=False
    )
    pupils_may_comment = models.BooleanField(_("les élèves commentent"), default=False)
    parents_may_comment = models.BooleanField(_("les parents commentent"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blog")
        constraints = [
            models.CheckConstraint(
                name="blog_structure_per_scope",
                condition=Q(scope="classe", school_class__isnull=False, group__isnull=True)
                | Q(scope="ecole", school_class__isnull=True, group__isnull=True)
                | Q(scope="groupe", group__isnull=False, school_class__isnull=True),
            ),
            models.UniqueConstraint(fields=["school"], condition=Q(scope="ecole"), name="blog_one_per_school"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.audience == self.Audience.PUBLIC and self.public_approved_at is not None


class Category(models.Model):
    blog = models.ForeignKey(Blog, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("nom"), max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["blog", "name"], name="blog_category_unique")]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    class State(models.TextChoices):
        PENDING = "attente", _("en attente de validation")
        PUBLISHED = "publie", _("publié")
        REFUSED = "refuse", _("refusé")
        UNPUBLISHED = "retire", _("retiré")

    blog = models.ForeignKey(Blog, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))  # clean HTML (core.richtext)
    categories = models.ManyToManyField(Category, blank=True, related_name="posts")
    state = models.CharField(max_length=8, choices=State.choices)
    publish_at = models.DateTimeField(_("publication le"), default=timezone.now, db_index=True)
    tagged_pupils = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    image_rights_confirmed = models.BooleanField(default=False)
    moderation_reason = models.CharField(max_length=2000, blank=True)  # why it was refused or withdrawn
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["blog", "state", "publish_at"])]

    def __str__(self) -> str:
        return self.title

    def is_visible_now(self) -> bool:
        return self.state == self.State.PUBLISHED and self.publish_at <= timezone.now()


class PostFile(models.Model):
    """An image or a document of a post, served only to who may read the post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="files", null=True)
    blog = models.ForeignKey(Blog, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="blog/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Comment(models.Model):
    State = Post.State

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("commentaire"), max_length=2000)  # plain text, escaped when shown
    state = models.CharField(max_length=8, choices=Post.State.choices)
    moderation_reason = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class ImageConsent(models.Model):
    """Whether the families allow a pupil's images to be published, per school year."""

    pupil = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    allowed = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pupil", "year"], name="blog_one_consent_per_year")]

    def __str__(self) -> str:
        return f"{self.pupil} {self.year}: {self.allowed}"
