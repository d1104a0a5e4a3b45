"""The access period: once no convention covers a person's schools, Préau is read-only for them.

For the three months between the end of coverage and the deletion of the school's data, its
people may still sign in, read everything they could read and download their data, but not
create or change anything. The middleware refuses any non-read request (POST, PUT, PATCH,
DELETE) from a person whose every school (their own roles' and their children's) is inactive,
except signing out, the charte, their own account and password, and the namespaces listed in
PREAU_CONVENTIONS_OPEN_NAMESPACES (services' exports).

It costs no query: schools come with the roles and classes `access_of` already loaded.
Staff of a commune, a circonscription, a département or an académie are never concerned.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from preau.directory.queries import Access, access_of

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
ALWAYS_OPEN = {"accounts", "admin"}


def schools_of(access: Access) -> list:
    """Every school that gives the person their scope: roles held in schools and children's schools."""
    schools = [role.school for role in access.roles if role.school_id]
    schools += [c.school for c in access.taught_classes + access.own_classes]
    schools += [c.school for child in access.children for c in child.classes]
    return schools


def is_read_only(person) -> bool:
    """Whether all the person's schools are outside any convention (and they hold no other role)."""
    if not getattr(person, "is_authenticated", False) or person.is_superuser:
        return False
    access = access_of(person)
    if any(role.school_id is None for role in access.roles):
        return False
    schools = schools_of(access)
    return bool(schools) and not any(school.is_active for school in schools)


class AccessPeriodMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS:
            return None
        match = getattr(request, "resolver_match", None)
        namespaces = set(match.namespaces) if match else set()
        if namespaces & (ALWAYS_OPEN | set(settings.PREAU_CONVENTIONS_OPEN_NAMESPACES)):
            return None
        if not is_read_only(getattr(request, "user", None)):
            return None
        return render(
            request,
            "conventions/read_only.html",
            {"title": _("Accès en lecture seule")},
            status=403,
        )
