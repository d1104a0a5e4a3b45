from django.urls import path

from . import api, views

app_name = "journal"

urlpatterns = [
    path("", views.day, name="day"),
    path("semaine/", views.week, name="week"),
    path("seances/nouvelle/", views.slot_create, name="slot_create"),
    path("seances/<int:slot_id>/modifier/", views.slot_edit, name="slot_edit"),
    path("seances/<int:slot_id>/bilan/", views.slot_review, name="slot_review"),
    path("seances/<int:slot_id>/supprimer/", views.slot_delete, name="slot_delete"),
    path("seances/<int:slot_id>/reporter/", views.slot_report, name="slot_report"),
    path("journees-types/", views.templates, name="templates"),
    path("journees-types/enregistrer/", views.template_save, name="template_save"),
    path("journees-types/appliquer/", views.template_apply, name="template_apply"),
    path("journees-types/<int:template_id>/supprimer/", views.template_delete, name="template_delete"),
    path("copier/", views.copy, name="copy"),
    path("partages/", views.shares, name="shares"),
    path("partages/<int:share_id>/", views.shared, name="shared"),
    path("partages/<int:share_id>/arreter/", views.share_revoke, name="share_revoke"),
    path("api/jour/", api.day, name="api_day"),
]
