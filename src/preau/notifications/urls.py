from django.urls import path

from . import api, views

app_name = "notifications"

urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("<int:entry_id>/ouvrir/", views.open_entry, name="open"),
    path("tout-lu/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("push/abonnement/", views.push_subscribe, name="push_subscribe"),
    path("push/desabonnement/", views.push_unsubscribe, name="push_unsubscribe"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("heures-calmes/", views.quiet_hours_index, name="quiet_hours_index"),
    path("heures-calmes/<int:school_id>/", views.quiet_hours, name="quiet_hours"),
    path("api/entrees/", api.entries, name="api_entries"),
    path("api/entrees/<int:entry_id>/", api.entry, name="api_entry"),
]
