from django.urls import path

from . import views

app_name = "feeder"
urlpatterns = [
    path("", views.imports, name="imports"),
    path("<int:run_id>/", views.run_detail, name="run"),
    path("<int:run_id>/rapport.json", views.run_report_json, name="run_report_json"),
]
