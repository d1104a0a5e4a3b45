"""The demo's actualités and the pages of Lannemezan, written through the actions."""

import datetime

from preau.directory.models import Profile

from . import actions
from .models import CommunePage, NewsItem

Audience = NewsItem.Audience


def populate(world) -> dict[str, int]:
    school = world.found["school:0651067G"]
    lannemezan = world.found["commune:Lannemezan"]
    academie = world.found["academie:16"]
    director, teacher = world.person(Profile.DIRECTOR), world.person(Profile.TEACHER)
    referent, admin = world.person(Profile.CITY_REFERENT), world.person(Profile.ACADEMIE_ADMIN)
    ce1 = next(c for c in world.classes_by_uai["0651067G"] if c.levels == "CE1")
    now = world.now
    items = [
        (director, f"ecole:{school.pk}", Audience.EVERYONE, "Photos de classe le jeudi 4 décembre",
         "<p>Le photographe passera <strong>jeudi 4 décembre</strong> dans toutes les classes. Les bons de "
         "commande seront distribués dans les cartables la semaine suivante.</p>", 3),
        (director, f"ecole:{school.pk}", Audience.FAMILIES, "Marché de Noël de l'école",
         "<p>Le marché de Noël aura lieu le <strong>vendredi 12 décembre</strong> de 16 h 30 à 19 h dans la cour. "
         "Les bénéfices financeront la classe de découverte des CM.</p>", 1),
        (teacher, f"classe:{ce1.pk}", Audience.EVERYONE, "Les CE1 à la médiathèque",
         "<p>Chaque mardi, la classe emprunte des livres à la médiathèque : pensez à rapporter le livre de la "
         "semaine précédente.</p>", 2),
        (referent, f"commune:{lannemezan.pk}", Audience.FAMILIES, "Inscriptions au centre de loisirs des vacances",
         "<p>Les inscriptions pour les vacances de Noël sont ouvertes jusqu'au <strong>5 décembre</strong> à "
         "l'accueil de la mairie ou par courriel.</p>", 4),
        (admin, f"academie:{academie.pk}", Audience.STAFF, "Animations pédagogiques du second trimestre",
         "<p>Le calendrier des animations pédagogiques est en ligne ; les inscriptions se font auprès de votre "
         "circonscription.</p>", 5),
    ]  # fmt: skip
    for author, target, audience, title, body, days_ago in items:
        actions.publish_news(
            author,
            target_key=target,
            audience=audience,
            title=title,
            body=body,
            publish_at=now - datetime.timedelta(days=days_ago),
            expires_at=now + datetime.timedelta(days=30),
        )
    actions.create_default_pages(referent, lannemezan)
    pages = {
        "Menus de la cantine": "<p><strong>Lundi</strong> : carottes râpées, hachis parmentier, yaourt.</p>"
        "<p><strong>Mardi</strong> : potage, poisson pané et haricots verts, fruit de saison.</p>"
        "<p><strong>Jeudi</strong> : repas végétarien — lentilles, riz, fromage blanc.</p>"
        "<p><strong>Vendredi</strong> : salade verte, poulet rôti et frites, compote.</p>",
        "Accueil périscolaire": "<p>Accueil du matin de 7 h 30 à 8 h 50 et du soir de 16 h 30 à 18 h 30 dans "
        "chaque école. Étude surveillée les lundis et jeudis.</p>",
    }
    for page in CommunePage.objects.filter(commune=lannemezan, title__in=pages):
        actions.save_commune_page(
            referent, lannemezan, page=page, title=page.title, body=pages[page.title], order=page.order
        )
    return {"news": len(items), "commune_pages": CommunePage.objects.filter(commune=lannemezan).count()}
