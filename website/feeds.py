"""RSS and Atom feeds of public guides: all of them, per conference, per topic."""

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from accounts.models import User
from guides.models import Guide
from papers.models import Conference, Tag

FEED_LENGTH = 30
# What an entry shows: guides' long text and users' accounts are not loaded.
ITEM_FIELDS = (
    "title",
    "slug",
    "standfirst",
    "published_at",
    "updated_at",
    "conference__year",
    "conference__series__short_name",
)
BYLINE_FIELDS = ("display_name", "first_name", "last_name", "username")


class GuideFeed(Feed):
    title = "Conference guides"
    description = "New guides to machine-learning conferences."

    def link(self, obj=None):
        return reverse("guides:guide-list")

    def guides(self, obj):
        return Guide.objects.public()

    def items(self, obj=None):
        return (
            self.guides(obj)
            .select_related("conference__series")
            .only(*ITEM_FIELDS)
            .prefetch_related(Prefetch("bylines", queryset=User.objects.only(*BYLINE_FIELDS)))
            .order_by("-published_at")[:FEED_LENGTH]
        )

    def item_title(self, guide):
        return guide.title

    def item_description(self, guide):
        return guide.standfirst

    def item_pubdate(self, guide):
        return guide.published_at

    def item_updateddate(self, guide):
        return guide.updated_at or guide.published_at

    def item_author_name(self, guide):
        return ", ".join(user.byline_name for user in guide.bylines.all()) or None

    def item_categories(self, guide):
        return [str(guide.conference)]

    def item_guid(self, guide):
        return f"guide-{guide.pk}"

    item_guid_is_permalink = False


class AtomGuideFeed(GuideFeed):
    feed_type = Atom1Feed
    subtitle = GuideFeed.description


class ConferenceGuideFeed(GuideFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Conference.objects.select_related("series"), slug=slug)

    def title(self, conference):
        return f"Guides to {conference}"

    def description(self, conference):
        return f"New guides to {conference}."

    def link(self, conference):
        return conference.get_absolute_url()

    def guides(self, conference):
        return Guide.objects.public().filter(conference=conference)


class AtomConferenceGuideFeed(ConferenceGuideFeed):
    feed_type = Atom1Feed

    def subtitle(self, conference):
        return self.description(conference)


class TagGuideFeed(GuideFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return f"Guides on {tag.name}"

    def description(self, tag):
        return f"New guides on {tag.name}."

    def link(self, tag):
        return tag.get_absolute_url()

    def guides(self, tag):
        return Guide.objects.public().filter(tags=tag)


class AtomTagGuideFeed(TagGuideFeed):
    feed_type = Atom1Feed

    def subtitle(self, tag):
        return self.description(tag)
