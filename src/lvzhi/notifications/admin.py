"""Notifications, the delivery log and reminders in Django's admin, for system administrators:
to see why a message did not arrive. Read-only: messages are written by services only."""

from django.contrib import admin

from .models import Delivery, Notification, Reminder


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "status", "attempts", "last_error", "last_attempt_at", "sent_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
    search_fields = ["title", "recipient__username", "recipient__display_name", "dedupe_key"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["notification", "channel", "status", "attempts", "last_attempt_at", "sent_at"]
    list_filter = ["channel", "status"]
    list_select_related = ["notification"]
    search_fields = ["notification__title", "last_error"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "due_date", "status", "next_remind_on", "last_sent_for"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    filter_horizontal = ["recipients"]
