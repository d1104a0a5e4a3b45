from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("mes-ecoles/", views.my_schools, name="my_schools"),
    path("mes-classes/", views.my_classes, name="my_classes"),
    path("ecole/<str:uai>/", views.school_console, name="school_console"),
    path("ecole/<str:uai>/classes/<int:class_id>/", views.class_detail, name="class_detail"),
    path("ecole/<str:uai>/rentree/", views.school_rollover, name="school_rollover"),
    path("academie/", views.academie_console, name="academie_console"),
    path("academie/<int:academie_id>/ecoles/ajouter/", views.school_create, name="school_create"),
    path("academie/ecoles/<int:school_id>/modifier/", views.school_edit, name="school_edit"),
    path("academie/<int:academie_id>/communes/ajouter/", views.commune_create, name="commune_create"),
    path("academie/communes/<int:commune_id>/modifier/", views.commune_edit, name="commune_edit"),
    path(
        "academie/<int:academie_id>/circonscriptions/ajouter/",
        views.circonscription_create,
        name="circonscription_create",
    ),
    path(
        "academie/<int:academie_id>/administrateurs/ajouter/",
        views.administrator_add,
        name="administrator_add",
    ),
    path("journal/", views.audit_log, name="audit_log"),
    path("journal/export.csv", views.audit_log_export, name="audit_log_export"),
]
