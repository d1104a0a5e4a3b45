from django.contrib import admin

from .models import CharteVersion


@admin.register(CharteVersion)
class CharteVersionAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "academie", "published_at"]
    list_filter = ["academie"]
