from django.urls import path

from . import api, editing, exports, views

app_name = "homework"

urlpatterns = [
    path("", views.index, name="index"),
    path("a-faire/", views.todo, name="todo"),
    path("classe/<int:class_id>/", views.class_page, name="class"),
    path("classe/<int:class_id>/historique/", views.history, name="history"),
    path("classe/<int:class_id>/historique.csv", exports.export_csv, name="export_csv"),
    path("classe/<int:class_id>/historique.pdf", exports.export_pdf, name="export_pdf"),
    path("classe/<int:class_id>/copier-une-semaine/", editing.copy_week, name="copy_week"),
    path("classe/<int:class_id>/reglages/", editing.class_settings, name="settings"),
    path("classe/<int:class_id>/travail-fait/", editing.done_tracking, name="done_tracking"),
    path("seance/nouvelle/", editing.entry_create, name="entry_create"),
    path("seance/<int:pk>/", views.entry, name="entry"),
    path("seance/<int:pk>/modifier/", editing.entry_edit, name="entry_edit"),
    path("seance/<int:pk>/supprimer/", editing.entry_delete, name="entry_delete"),
    path("travail/nouveau/", editing.work_create, name="work_create"),
    path("travail/<int:pk>/", views.work, name="work"),
    path("travail/<int:pk>/modifier/", editing.work_edit, name="work_edit"),
    path("travail/<int:pk>/supprimer/", editing.work_delete, name="work_delete"),
    path("travail/<int:pk>/fait/", views.mark_done, name="mark_done"),
    path("travail/<int:pk>/qui-a-fait/", editing.work_done, name="work_done"),
    path("piece-jointe/<int:pk>/", views.attachment, name="attachment"),
    path("api/a-faire/", api.api_todo, name="api_todo"),
    path("api/classe/<int:class_id>/", api.api_class, name="api_class"),
]
