from django.urls import path

from . import api, views

app_name = "blog"

urlpatterns = [
    path("", views.index, name="index"),
    path("ouvrir/", views.open_blog, name="open"),
    path("<int:blog_id>/", views.blog_detail, name="blog"),
    path("<int:blog_id>/nouvel-article/", views.post_create, name="post_create"),
    path("<int:blog_id>/reglages/", views.blog_settings, name="settings"),
    path("<int:blog_id>/ouvrir-au-public/", views.approve_public, name="approve_public"),
    path("articles/<int:post_id>/", views.post_detail, name="post"),
    path("articles/<int:post_id>/modifier/", views.post_edit, name="post_edit"),
    path("articles/<int:post_id>/decision/", views.post_decide, name="post_decide"),
    path("commentaires/<int:comment_id>/decision/", views.comment_decide, name="comment_decide"),
    path("fichiers/<int:file_id>/", views.post_file, name="file"),
    path("droit-a-l-image/<int:class_id>/", views.image_consents, name="image_consents"),
    path("public/<int:blog_id>/", views.public_blog, name="public_blog"),
    path("public/articles/<int:post_id>/", views.public_post, name="public_post"),
    path("api/<int:blog_id>/articles/", api.posts, name="api_posts"),
]
