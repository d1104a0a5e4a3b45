"""Read-only views for operators: who wrote when to how many, reports and suspensions.

The text of messages is not shown here: a legal request goes through the académie, which
exports it with its journal.
"""

from django.contrib import admin

from .models import Message, Report, Suspension


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["id", "author", "school", "sent_at", "recipient_count", "urgent"]
    list_filter = ["urgent"]
    search_fields = ["author__username", "author__last_name"]
    list_select_related = ["author", "school"]
    fields = ["author", "school", "conversation", "created_at", "sent_at", "recipient_count", "lists", "urgent"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "message", "reporter", "school"]
    list_select_related = ["message", "reporter", "school"]
    fields = ["created_at", "message", "reporter", "school", "reason"]


@admin.register(Suspension)
class SuspensionAdmin(ReadOnlyAdmin):
    list_display = ["person", "school", "created_at", "created_by", "lifted_at"]
    list_select_related = ["person", "school", "created_by"]
