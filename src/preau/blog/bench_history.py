"""Class and school blogs of a synthetic académie's school year, for the load bench (`generate_academie`).

Rows are the ones the actions write: `open_blog` (a class's blog by its teacher, the school's
by its director, with the default title) and `update_blog_settings` (members only; families
comment on some), `write_post` by an editor (published at once, its categories made on first
use) and `write_comment` by a family (published: the synthetic words pass any screen).

Sizes: a post is a row or three (its category, a comment), not a fan-out, but all the
services' histories share a budget (see `preau.demo.history`): a class in three has a blog,
a school in ten its own, each with a post a month over the last `RECENT_DAYS` days and one
before, a family's comment now and then; ~11 rows a school.
"""

from preau.demo.history import Calendar, batches

from .models import Blog, Category, Comment, Post

RECENT_DAYS = 28
BLOG_RATE = 0.3  # classes with a blog
SCHOOL_BLOG_RATE = 0.1  # schools with a blog of their own
PARENTS_COMMENT_RATE = 0.5  # blogs whose families may comment
POSTS_PER_WEEK = 0.25
POSTS_BEFORE = 1  # in all, over the weeks before
SCHOOL_POSTS_PER_WEEK = 0.1
SCHOOL_POSTS_BEFORE = 1
COMMENTS_PER_POST = (0, 1)
CATEGORY_RATE = 0.7  # posts filed in a category
SCHOOLS_PER_BATCH = 50

POSTS = [
    ("Bienvenue sur notre blog !", "<p>Chaque semaine, les élèves raconteront ici ce que nous apprenons.</p>"),
    (
        "Le potager de l'école",
        "<p>Nous avons semé des radis et des fèves. Qui devinera quand ils sortiront ?</p>"
        "<ul><li>radis : 3 semaines</li><li>fèves : 2 mois</li></ul>",
    ),
    ("Rallye lecture", "<p>La classe a lu <em>Le loup qui voulait changer de couleur</em>. Bravo à tous !</p>"),
    ("Sortie au musée", "<p>Nous avons découvert les animaux dans l'art et dessiné nos préférés.</p>"),
    ("Nos poésies d'automne", "<p>Voici les poèmes que nous avons écrits et illustrés cette semaine.</p>"),
    ("Défi mathématique", "<p>Saurez-vous résoudre l'énigme de la semaine ? Réponse vendredi !</p>"),
    ("La semaine du goût", "<p>Sucré, salé, acide, amer : nous avons goûté et classé les saveurs.</p>"),
    ("Cross de l'école", "<p>Tous les élèves ont couru ; merci aux parents venus les encourager.</p>"),
]
SCHOOL_POSTS = [
    ("Le spectacle de Noël", "<p>Les classes ont chanté pour les familles : merci à tous !</p>"),
    ("Menus de la cantine", "<p>Les menus du mois sont affichés à l'entrée et en ligne.</p>"),
    ("Retour sur le conseil d'école", "<p>Les points abordés : sécurité, projets de classe, kermesse.</p>"),
]
CATEGORIES = ["vie de la classe", "sorties", "lecture", "sciences", "arts"]
COMMENTS = [
    "Bravo à toute la classe !",
    "Quelle belle idée, les enfants nous en parlent tous les soirs.",
    "Merci pour ces nouvelles.",
    "Superbe travail !",
]


def generate(academie, rng, progress) -> dict[str, int]:
    calendar = Calendar.of(academie)
    progress.stage("Blogs", len(academie.schools), "écoles")
    totals = {"blogs": 0, "articles de blog": 0, "commentaires de blog": 0}
    if not calendar.days:  # blogs open at the rentrée
        return totals
    for batch in batches(academie.schools, SCHOOLS_PER_BATCH):
        rows = {model: [] for model in (Blog, Category, Post, Post.categories.through, Comment)}
        for school in batch:
            for school_class in school.classes:
                if school_class.teacher_ids and rng.random() < BLOG_RATE:
                    families = [g for pupil in school_class.pupil_ids for g in academie.guardians.get(pupil, ())]
                    blog = Blog(
                        scope=Blog.Scope.CLASS,
                        school_id=school.id,
                        school_class_id=school_class.id,
                        title=f"Le blog de la classe {school_class.name}",
                        created_by_id=school_class.teacher_ids[0],
                        parents_may_comment=rng.random() < PARENTS_COMMENT_RATE,
                    )
                    _posts(calendar, rng, blog, POSTS, (POSTS_PER_WEEK, POSTS_BEFORE), families, rows)
            if rng.random() < SCHOOL_BLOG_RATE:
                blog = Blog(
                    scope=Blog.Scope.SCHOOL,
                    school_id=school.id,
                    title=f"Le blog de l'école {school.name}",
                    created_by_id=school.director_id,
                )
                _posts(calendar, rng, blog, SCHOOL_POSTS, (SCHOOL_POSTS_PER_WEEK, SCHOOL_POSTS_BEFORE), [], rows)
        # Each model after those it points to.
        written = sum(academie.insert(objects) for objects in rows.values())
        totals["blogs"] += len(rows[Blog])
        totals["articles de blog"] += len(rows[Post])
        totals["commentaires de blog"] += len(rows[Comment])
        progress.advance(len(batch), rows=written)
    return totals


def _posts(calendar, rng, blog: Blog, choices, pace, families: list[int], rows: dict) -> None:
    """The blog's opening (the first day of the year) and its editor's posts since."""
    rows[Blog].append(blog)
    per_week, before = pace
    days = calendar.spread(rng, recent_days=RECENT_DAYS, per_week=per_week, before=before)
    blog.created_at = calendar.at(calendar.days[0], rng, 8.0, 9.0)
    by_name = {}
    for day in days:
        title, body = rng.choice(choices)
        published = max(calendar.at(day, rng, 12.0, 19.0), blog.created_at)
        post = Post(
            blog=blog,
            author_id=blog.created_by_id,
            title=title,
            body=body,
            state=Post.State.PUBLISHED,
            publish_at=published,
            created_at=published,
            updated_at=published,
        )
        rows[Post].append(post)
        if rng.random() < CATEGORY_RATE:
            name = rng.choice(CATEGORIES)
            if name not in by_name:
                by_name[name] = Category(blog=blog, name=name)
                rows[Category].append(by_name[name])
            rows[Post.categories.through].append(Post.categories.through(post=post, category=by_name[name]))
        if blog.parents_may_comment and families:
            for _ in range(rng.randint(*COMMENTS_PER_POST)):
                written = calendar.later(published, rng, hours=30)
                if written > published:
                    rows[Comment].append(
                        Comment(
                            post=post,
                            author_id=rng.choice(families),
                            body=rng.choice(COMMENTS),
                            state=Comment.State.PUBLISHED,
                            created_at=written,
                        )
                    )
