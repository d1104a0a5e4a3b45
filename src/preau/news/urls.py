from django.urls import path

from . import api, views

app_name = "news"

urlpatterns = [
    path("", views.news_list, name="list"),
    path("publier/", views.news_create, name="create"),
    path("mes-publications/", views.news_manage, name="manage"),
    path("<int:item_id>/", views.news_detail, name="detail"),
    path("<int:item_id>/modifier/", views.news_edit, name="edit"),
    path("<int:item_id>/retirer/", views.news_withdraw, name="withdraw"),
    path("<int:item_id>/remettre-en-ligne/", views.news_restore, name="restore"),
    path("communes/", views.communes, name="communes"),
    path("communes/<int:commune_id>/", views.commune, name="commune"),
    path("communes/<int:commune_id>/nouvelle-page/", views.commune_page_edit, name="commune_page_create"),
    path("communes/<int:commune_id>/pages-habituelles/", views.commune_default_pages, name="commune_default_pages"),
    path("communes/<int:commune_id>/<slug:slug>/", views.commune, name="commune_page"),
    path("communes/<int:commune_id>/<slug:slug>/modifier/", views.commune_page_edit, name="commune_page_edit"),
    path("communes/<int:commune_id>/<slug:slug>/supprimer/", views.commune_page_delete, name="commune_page_delete"),
    path("api/actualites/", api.news, name="api_news"),
]
