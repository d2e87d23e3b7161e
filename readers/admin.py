"""Moderating comments and looking after subscribers in the admin.

The comment list opens on the queue (held comments, oldest first); approve, reject or
mark as spam in bulk. "Reply as editor" adds an approved reply marked as the staff's.
Subscribers can be exported or deleted on request (readers.personal_data).
"""

import json

from django.contrib import admin, messages
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html

from . import personal_data
from .models import Comment, CommentStatus, Delivery, Subscriber, Subscription
from .moderation import moderate


class PersonalDataActions:
    """Export or delete everything kept of the selected rows' addresses (subscriptions,
    emails sent, comments), on a reader's request."""

    @admin.action(description="Export the personal data of these addresses (JSON)")
    def export_personal_data(self, request, queryset):
        addresses = sorted(set(queryset.values_list("email", flat=True)))
        data = [personal_data.export(address) for address in addresses]
        response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response

    @admin.action(description="Delete everything kept of these addresses", permissions=["delete"])
    def delete_personal_data(self, request, queryset):
        addresses = sorted(set(queryset.values_list("email", flat=True)))
        subscribers = comments = 0
        for address in addresses:
            deleted = personal_data.delete(address)
            subscribers, comments = subscribers + deleted[0], comments + deleted[1]
        self.message_user(
            request,
            f"Deleted {subscribers} subscriber(s) and {comments} comment(s) "
            f"of {len(addresses)} address(es).",
            messages.SUCCESS,
        )


class StatusFilter(admin.SimpleListFilter):
    """Held comments first: the queue is what an editor opens the list for."""

    title = "status"
    parameter_name = "status__exact"

    def lookups(self, request, model_admin):
        return [*CommentStatus.choices, ("all", "All")]

    def queryset(self, request, queryset):
        value = self.value() or CommentStatus.HELD
        return queryset if value == "all" else queryset.filter(status=value)

    def choices(self, changelist):
        current = self.value() or CommentStatus.HELD
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


@admin.register(Comment)
class CommentAdmin(PersonalDataActions, admin.ModelAdmin):
    list_display = ["excerpt", "name", "guide", "status", "created_at", "reply_link"]
    list_filter = [StatusFilter, "guide"]
    list_select_related = ["guide", "parent"]
    search_fields = ["body", "name", "email"]
    actions = ["approve", "reject", "mark_spam", "export_personal_data", "delete_personal_data"]
    date_hierarchy = "created_at"
    readonly_fields = ["guide", "parent", "name", "email", "created_at", "moderated_at"]
    fields = ["guide", "parent", "name", "email", "body", "status", "created_at", "moderated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("created_at")

    @admin.display(description="comment")
    def excerpt(self, comment):
        return comment.body[:80]

    @admin.display(description="")
    def reply_link(self, comment):
        if comment.parent_id or comment.status != CommentStatus.APPROVED:
            return ""
        url = (
            reverse("admin:readers_comment_add") + f"?parent={comment.pk}&guide={comment.guide_id}"
        )
        return format_html('<a href="{}">Reply as editor</a>', url)

    def get_fields(self, request, obj=None):
        return ["guide", "parent", "body"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Comment.objects.shown().filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:  # an editor's reply: approved, in the editor's name
            user = request.user
            obj.by_staff = user
            obj.name = user.get_full_name() or user.get_username()
            obj.email = user.email or f"{user.get_username()}@staff.invalid"
            obj.status = CommentStatus.APPROVED
            if obj.parent_id and obj.parent.guide_id != obj.guide_id:
                obj.guide = obj.parent.guide
        super().save_model(request, obj, form, change)

    def _moderate(self, request, queryset, status):
        count = moderate(queryset, status)
        self.message_user(
            request,
            f"{count} comment(s) now {CommentStatus(status).label.lower()}.",
            messages.SUCCESS,
        )

    @admin.action(description="Approve the selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, CommentStatus.APPROVED)

    @admin.action(description="Reject the selected comments", permissions=["change"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, CommentStatus.REJECTED)

    @admin.action(description="Mark the selected comments as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, CommentStatus.SPAM)


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    autocomplete_fields = ["series", "topic"]


@admin.register(Subscriber)
class SubscriberAdmin(PersonalDataActions, admin.ModelAdmin):
    list_display = ["email", "confirmed_at", "time_zone", "created_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    readonly_fields = ["created_at", "confirmed_at"]
    inlines = [SubscriptionInline]
    actions = ["export_personal_data", "delete_personal_data"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["kind", "subscriber", "guide", "webinar", "queued_at", "sent_at", "attempts"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["subscriber", "guide", "webinar"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
