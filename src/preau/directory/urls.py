from django.urls import path  # noqa: F401  (the consoles' routes are added below)

app_name = "directory"
urlpatterns: list = []
