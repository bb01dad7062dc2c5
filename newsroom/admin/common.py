"""What the desks share: read-only record inlines and the messages of refused changes."""

from django.contrib import admin
from django.core.exceptions import ValidationError


class RecordInline(admin.TabularInline):
    """A record shown on its parent's page, never added to or changed there."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecordAdmin(admin.ModelAdmin):
    """A record's list and page: written by the services, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def error_message(error):
    """What to tell the user when a service refuses (``PermissionDenied`` or ``ValidationError``)."""
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    return str(error) or "您没有权限执行这个操作。"
