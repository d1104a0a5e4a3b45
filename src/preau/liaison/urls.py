from django.urls import path

from . import api, views

app_name = "liaison"

urlpatterns = [
    path("", views.notebook, name="notebook"),
    path("mots/", views.sent, name="sent"),
    path("mots/nouveau/", views.create, name="create"),
    path("mots/<int:note_id>/", views.note, name="note"),
    path("mots/<int:note_id>/signer/", views.sign, name="sign"),
    path("mots/<int:note_id>/repondre/", views.answer, name="answer"),
    path("mots/<int:note_id>/message/", views.reply, name="reply"),
    path("mots/<int:note_id>/suivi/", views.tracking, name="tracking"),
    path("mots/<int:note_id>/relancer/", views.remind, name="remind"),
    path("mots/<int:note_id>/suivi/<int:pupil_id>/", views.child, name="child"),
    path("api/cahier/", api.notebook, name="api_notebook"),
    path("api/mots/<int:note_id>/signatures/", api.signatures, name="api_signatures"),
]
