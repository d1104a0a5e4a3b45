"""The operators' admin (is_staff). Users of every profile work in Préau's own consoles."""

from django.contrib import admin

from . import models


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["username", "last_name", "first_name", "academie", "source", "is_active", "activated_at"]
    list_filter = ["source", "is_active", "is_staff", "academie"]
    search_fields = ["username", "last_name", "first_name", "email", "external_id"]
    readonly_fields = ["password", "last_login", "date_joined", "session_version"]
    exclude = ["groups", "user_permissions"]


@admin.register(models.School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["uai", "name", "kind", "sector", "commune", "circonscription", "is_active"]
    list_filter = ["kind", "sector", "is_active"]
    search_fields = ["uai", "name", "city"]
    list_select_related = ["commune", "circonscription"]


@admin.register(models.Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "departement", "regroupement"]
    search_fields = ["name", "siret"]


@admin.register(models.SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "year", "levels"]
    list_filter = ["year"]
    search_fields = ["name", "school__name", "school__uai"]
    list_select_related = ["school"]


@admin.register(models.Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["person", "profile", "school", "commune", "circonscription", "departement", "academie", "source"]
    list_filter = ["profile", "source"]
    raw_id_fields = ["person", "school", "commune", "circonscription", "departement", "academie"]


admin.site.register(
    [
        models.RegionAcademique,
        models.Academie,
        models.Departement,
        models.Circonscription,
        models.Regroupement,
        models.Group,
    ]
)
