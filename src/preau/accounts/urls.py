from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("deconnexion/partout/", views.logout_everywhere_view, name="logout_everywhere"),
    path("charte/", views.charte_view, name="charte"),
    path("charte/accepter/", views.accept_charte_view, name="accept_charte"),
    path("compte/", views.my_account_view, name="my_account"),
    path("compte/mot-de-passe/", views.choose_password_view, name="choose_password"),
]
