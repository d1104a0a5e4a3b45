from django.contrib import admin

from .models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "academie", "source", "status", "dry_run", "started_by"]
    list_filter = ["status", "source", "academie"]
    readonly_fields = [field.name for field in ImportRun._meta.fields]
