"""The demo's blogs: the CE1 class blog of Les Bourtoulets with posts, a pupil's and comments."""

import datetime

from preau.directory.models import Profile

from . import actions
from .models import Blog, Post


def populate(world) -> dict[str, int]:
    teacher, director = world.person(Profile.TEACHER), world.person(Profile.DIRECTOR)
    pupil, parent = world.person(Profile.PUPIL), world.person(Profile.PARENT)
    ce1 = next(c for c in world.classes_by_uai["0651067G"] if c.levels == "CE1")
    blog = actions.open_blog(teacher, Blog.Scope.CLASS, ce1)
    actions.update_blog_settings(
        teacher, blog, title="Le blog des CE1", description="La vie de la classe, racontée par les élèves.",
        audience=Blog.Audience.MEMBERS, pupils_may_post=True, pupils_may_comment=True, parents_may_comment=True,
    )  # fmt: skip
    posts = [
        ("Bienvenue sur notre blog !", "<p>Chaque semaine, les élèves raconteront ici ce que nous apprenons.</p>",
         ["vie de la classe"], 20),
        ("Le potager de l'école", "<p>Nous avons semé des radis et des fèves. Qui devinera quand ils sortiront ?</p>"
         "<ul><li>radis : 3 semaines</li><li>fèves : 2 mois</li></ul>", ["sciences"], 9),
        ("Rallye lecture", "<p>La classe a lu <em>Le loup qui voulait changer de couleur</em>. Bravo à tous !</p>",
         ["lecture"], 3),
    ]  # fmt: skip
    created = []
    for title, body, categories, days_ago in posts:
        post = actions.write_post(teacher, blog, title=title, body=body, categories=categories)
        Post.objects.filter(pk=post.pk).update(publish_at=world.now - datetime.timedelta(days=days_ago))
        created.append(post)
    actions.write_comment(parent, created[1], "Quelle belle idée, Léa nous en parle tous les soirs !")
    mine = actions.write_post(pupil, blog, title="Mon dessin de la ferme", body="J'ai dessiné une vache et un âne.")
    actions.decide_post(teacher, mine, "approve")
    actions.write_post(pupil, blog, title="La récréation", body="On a joué à l'épervier.")  # waits for validation
    actions.open_blog(director, Blog.Scope.SCHOOL, world.found["school:0651067G"])
    return {"blog_posts": len(created) + 2}
