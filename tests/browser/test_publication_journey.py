"""The publication journey of a class blog (issue 6): a pupil writes, the teacher validates, a
parent comments, another parent reports the comment, the director unpublishes it and its author
sees why. axe-core checks each page on the way."""

import re

import pytest
from playwright.sync_api import expect

from preau.blog import actions
from preau.blog.models import Blog
from preau.directory.factories import make_school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_pupils_post_from_writing_to_moderation(page, sign_in, check_accessibility):
    built = make_school(classes=1, pupils=2)
    school_class, teacher = built.classes[0], built.teachers[0]
    pupil, other_pupil = built.pupils[school_class.pk]
    author_parent, reporting_parent = built.parents[pupil.pk][0], built.parents[other_pupil.pk][0]
    blog = actions.open_blog(teacher, Blog.Scope.CLASS, school_class)
    actions.update_blog_settings(
        teacher, blog, title="Le blog des CE1", description="", audience="membres",
        pupils_may_post=True, pupils_may_comment=False, parents_may_comment=True,
    )  # fmt: skip

    # The pupil writes; the post waits for the teacher.
    sign_in(pupil)
    page.goto(f"/blogs/{blog.pk}/")
    page.get_by_role("link", name="Écrire un article").click()
    check_accessibility(page)
    page.get_by_label("Titre").fill("Notre visite à la ferme")
    page.locator(".preau-richtext__editor").fill("Nous avons donné à manger aux chèvres.")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("ton enseignant le lira")).to_be_visible()
    check_accessibility(page)

    # The teacher validates it.
    sign_in(teacher)
    page.goto(f"/blogs/{blog.pk}/")
    page.get_by_role("link", name="Notre visite à la ferme").click()
    page.get_by_role("button", name="Valider et publier").click()
    expect(page.get_by_text("C'est fait")).to_be_visible()

    # A parent comments.
    sign_in(author_parent)
    page.goto(f"/blogs/{blog.pk}/")
    page.get_by_role("link", name="Notre visite à la ferme").first.click()
    page.get_by_label("Votre commentaire").fill("Les chèvres, quelle idée bizarre…")
    page.get_by_role("button", name="Commenter").click()
    expect(page.get_by_text("Votre commentaire est publié")).to_be_visible()
    check_accessibility(page)

    # Another parent reports it.
    sign_in(reporting_parent)
    page.goto(f"/blogs/{blog.pk}/")
    page.get_by_role("link", name="Notre visite à la ferme").first.click()
    page.locator("#commentaires").get_by_role("link", name="Signaler").click()
    check_accessibility(page)
    page.get_by_label("Raison").select_option("inapproprie")
    page.get_by_role("button", name="Signaler").click()
    expect(page.get_by_text("votre signalement est transmis")).to_be_visible()

    # The director, publication director, unpublishes it with a reason.
    sign_in(built.director)
    page.goto("/moderation/?vue=signalements")
    check_accessibility(page)
    page.get_by_role("link", name=re.compile("Commentaire sur")).click()
    check_accessibility(page)
    page.get_by_label("Motif, transmis à l'auteur").fill("Restons bienveillants avec les enfants.")
    page.get_by_role("button", name="Retiré").click()
    expect(page.get_by_text("Votre décision est enregistrée")).to_be_visible()

    # Its author sees why; the other parent no longer sees it.
    sign_in(author_parent)
    page.goto(f"/blogs/{blog.pk}/")
    page.get_by_role("link", name="Notre visite à la ferme").first.click()
    expect(page.get_by_text("Restons bienveillants avec les enfants.")).to_be_visible()
    sign_in(reporting_parent)
    page.reload()
    expect(page.get_by_text("quelle idée bizarre")).to_have_count(0)
