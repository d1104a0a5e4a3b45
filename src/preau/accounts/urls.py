from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import class_views, views
from .forms import EmailPasswordResetForm, EmailSetPasswordForm

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("deconnexion/partout/", views.logout_everywhere_view, name="logout_everywhere"),
    path("charte/", views.charte_view, name="charte"),
    path("charte/accepter/", views.accept_charte_view, name="accept_charte"),
    path("compte/", views.my_account_view, name="my_account"),
    path("compte/mot-de-passe/", views.choose_password_view, name="choose_password"),
    # First sign-in of parents, and pupils' cards.
    path("activation/", views.activate_view, name="activate"),
    path("connexion/carte/<str:token>/", views.card_login_view, name="card_login"),
    path("connexion/classe/", views.class_tablet_login_view, name="class_tablet_login"),
    path("connexion/classe/fermer/", views.class_tablet_close_view, name="class_tablet_close"),
    # Forgotten password, by e-mail (adults).
    path(
        "mot-de-passe-oublie/",
        auth_views.PasswordResetView.as_view(
            form_class=EmailPasswordResetForm,
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe-oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_reset_done.html",
        ),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe-oublie/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html",
        ),
        name="password_reset_complete",
    ),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=EmailSetPasswordForm,
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    # The school staff: cards, class tablet, activation letters, resets.
    path("classes/<int:class_id>/cartes/", class_views.class_login_cards_view, name="class_login_cards"),
    path(
        "classes/<int:class_id>/cartes/imprimer.pdf",
        class_views.class_login_cards_pdf_view,
        name="class_login_cards_pdf",
    ),
    path(
        "classes/<int:class_id>/cartes/<int:pupil_id>/carte.pdf",
        class_views.pupil_login_card_pdf_view,
        name="pupil_login_card_pdf",
    ),
    path("cartes/<int:card_id>/desactiver/", class_views.revoke_login_card_view, name="revoke_login_card"),
    path("classes/<int:class_id>/tablette/", class_views.class_tablet_enable_view, name="class_tablet_enable"),
    path("classes/<int:class_id>/activation/", class_views.class_activation_view, name="class_activation"),
    path(
        "classes/<int:class_id>/lettres-activation.pdf",
        class_views.class_activation_letters_pdf_view,
        name="class_activation_letters_pdf",
    ),
    path("parents/<int:person_id>/nouvelle-lettre/", class_views.reset_parent_access_view, name="reset_parent_access"),
    path("eleves/<int:pupil_id>/reinitialiser/", class_views.reset_pupil_password_view, name="reset_pupil_password"),
]
