from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The journal is read-only, even for operators."""

    list_display = ["at", "actor_label", "action", "subject_label", "target_label", "ip"]
    list_filter = ["action"]
    search_fields = ["actor_label", "subject_label", "target_label", "request_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
