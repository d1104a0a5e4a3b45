from django.urls import path

from . import api, settings_views, views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("dossier/<slug:folder>/", views.inbox, name="folder"),
    path("recherche/", views.search, name="search"),
    path("corbeille/vider/", views.empty_trash, name="empty_trash"),
    path("conversation/<int:pk>/", views.conversation, name="conversation"),
    path("message/<int:pk>/classer/", views.file_message, name="file"),
    path("message/<int:pk>/signaler/", views.report, name="report"),
    path("message/<int:pk>/lectures/", views.receipts, name="receipts"),
    path("piece-jointe/<int:pk>/", views.attachment, name="attachment"),
    path("piece-jointe/<int:pk>/retirer/", views.remove_attachment, name="remove_attachment"),
    path("ecrire/", views.compose, name="compose"),
    path("ecrire/brouillon/", views.autosave, name="autosave"),
    path("ecrire/destinataires/", views.recipient_search, name="recipient_search"),
    path("reglages/", settings_views.settings_home, name="settings"),
    path("reglages/horaires/effacer/", settings_views.clear_hours, name="clear_hours"),
    path("reglages/classe/<int:pk>/", settings_views.class_rule, name="class_rule"),
    path("regles/ecole/<int:pk>/", settings_views.school_rules, name="school_rules"),
    path("regles/academie/<int:pk>/", settings_views.academie_rules, name="academie_rules"),
    path("suspensions/", settings_views.suspensions, name="suspensions"),
    path("suspensions/nouvelle/<int:person_id>/", settings_views.suspend, name="suspend"),
    path("suspensions/<int:pk>/lever/", settings_views.lift, name="lift"),
    path("api/boite/", api.folder, name="api_folder"),
    path("api/conversations/<int:pk>/", api.conversation, name="api_conversation"),
]
