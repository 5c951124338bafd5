from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "display_name",
        "role",
        "electoral_unit",
        "handling_unit",
        "committee",
        "is_active",
    )
    list_filter = ("role", "is_active", "must_set_password")
    search_fields = ("username", "display_name")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("角色与范围"),
            {
                "fields": (
                    "display_name",
                    "role",
                    "electoral_unit",
                    "handling_unit",
                    "committee",
                    "phone",
                    "must_set_password",
                    "inactive_cause",
                )
            },
        ),
    )
