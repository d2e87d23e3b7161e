from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "email", "is_staff", "is_active"]
    search_fields = ["username", "display_name", "first_name", "last_name", "email"]
    prepopulated_fields = {"slug": ["username"]}
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Byline", {"fields": ["display_name", "slug", "bio", "website"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        ("Byline", {"fields": ["display_name", "slug"]}),
    ]
