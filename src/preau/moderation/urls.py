from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:item_id>/", views.item_detail, name="item"),
    path("signaler/<str:kind>/<int:object_id>/", views.report, name="report"),
    path("filtre/", views.word_lists, name="word_lists"),
]
