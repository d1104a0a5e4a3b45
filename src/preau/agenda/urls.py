from django.urls import path

from . import api, views

app_name = "agenda"

urlpatterns = [
    path("", views.month, name="month"),
    path("semaine/", views.week, name="week"),
    path("evenements/nouveau/", views.event_create, name="event_create"),
    path("evenements/<int:event_id>/", views.event_detail, name="event"),
    path("evenements/<int:event_id>/modifier/", views.event_edit, name="event_edit"),
    path("evenements/<int:event_id>/supprimer/", views.event_delete, name="event_delete"),
    path("abonnement/", views.subscription, name="subscription"),
    path("abonnement/revoquer/", views.subscription_revoke, name="subscription_revoke"),
    path("ical/<str:token>.ics", views.ical, name="ical"),
    path("api/elements/", api.items, name="api_items"),
]
