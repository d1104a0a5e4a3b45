from django.urls import path

from . import api, dashboard_views, termination_views, terms_views, views

app_name = "conventions"
urlpatterns = [
    path("", views.index, name="index"),
    path("tableau-de-bord/", dashboard_views.dashboard, name="dashboard"),
    path("tableau-de-bord/conventions.csv", dashboard_views.dashboard_csv, name="dashboard_csv"),
    path("participations/", terms_views.fees, name="fees"),
    path("modele/", terms_views.template, name="template"),
    path("modele/apercu.pdf", terms_views.template_preview, name="template_preview"),
    path("ecoles/", views.coverage, name="coverage"),
    path("nouvelle/", views.create, name="create"),
    path("<int:convention_id>/", views.detail, name="detail"),
    path("<int:convention_id>/modifier/", views.edit, name="edit"),
    path("<int:convention_id>/supprimer/", views.delete, name="delete"),
    path("<int:convention_id>/generer/", views.generate, name="generate"),
    path("<int:convention_id>/envoyer/", views.send, name="send"),
    path("<int:convention_id>/renouveler/", views.renew, name="renew"),
    path("<int:convention_id>/titre/", views.titre, name="titre"),
    path("<int:convention_id>/signee/", views.upload_signed, name="upload_signed"),
    path("<int:convention_id>/convention.pdf", views.convention_pdf, name="pdf"),
    path("<int:convention_id>/exemplaire-signe.pdf", views.signed_copy, name="signed_copy"),
    path("<int:convention_id>/resiliation/", termination_views.start, name="terminate"),
    path("resiliations/<int:termination_id>/", termination_views.detail, name="termination"),
    path("api/conventions/", api.conventions_list, name="api_list"),
    path("api/conventions/<int:convention_id>/", api.convention_detail, name="api_detail"),
]
