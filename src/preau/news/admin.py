from django.contrib import admin

from .models import CommunePage, NewsItem


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["title", "scope", "source_label", "publish_at", "withdrawn_at"]
    list_filter = ["scope", "audience"]
    search_fields = ["title", "source_label"]
    raw_id_fields = ["school", "school_class", "commune", "circonscription", "academie", "author", "withdrawn_by"]
    readonly_fields = ["announced_at", "created_at", "updated_at"]


@admin.register(CommunePage)
class CommunePageAdmin(admin.ModelAdmin):
    list_display = ["title", "commune", "is_published", "updated_at"]
    raw_id_fields = ["commune", "updated_by"]
