"""The person's home page: their services, schools, classes and children."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from preau.core.services import services_for
from preau.directory.models import Profile
from preau.directory.queries import access_of
from preau.notifications.queries import latest_entries_of


def home(request):
    access = access_of(request.user)
    # A pupil (and only a pupil) gets the big-pictogram home.
    is_pupil_only = access.profiles == {Profile.PUPIL}
    child_id = request.GET.get("enfant")
    children = access.children
    selected_child = next((c for c in children if str(c.person.id) == child_id), children[0] if children else None)
    return render(
        request,
        "portal/home.html",
        {
            "title": _("Accueil"),
            "access": access,
            "services": services_for(request.user),
            "is_pupil_only": is_pupil_only,
            "profile_labels": [Profile(p).label for p in sorted(access.profiles)],
            "roles": access.roles,
            "children": children,
            "selected_child": selected_child,
            # The latest of the person's timeline (notifications app): one query.
            "latest_notifications": latest_entries_of(request.user),
        },
    )
