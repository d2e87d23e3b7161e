"""RSS and Atom feeds of public guides: all of them, per conference, per topic.

Each feed is rendered once per address and stored (website.stored_sections): Django's
feed machinery takes 10 ms for 30 entries. It is rendered again once anything an entry
shows has changed, or a scheduled guide has become public.
"""

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from accounts.models import User
from guides.models import Guide
from papers.models import Conference, Tag

from . import cache_tags
from .stored_sections import address_key, stored_section

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
# What entries show: guides, their conference and series, the topic of a topic's feed,
# and bylines (a renamed user stamps USERS).
FEED_SHOWN_FROM = [cache_tags.SITE, "guide", "conference", "series", "topic", cache_tags.USERS]


class GuideFeed(Feed):
    title = "Conference guides"
    description = "New guides to machine-learning conferences."

    def __call__(self, request, *args, **kwargs):
        """The feed stored for this address (its host and scheme are in its links)."""
        render = super().__call__  # a 404 for an unknown conference or topic stores nothing
        body = stored_section(
            address_key("feed", request),
            lambda: render(request, *args, **kwargs).content.decode(),
            FEED_SHOWN_FROM,
        )
        return HttpResponse(body, content_type=self.feed_type.content_type)

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
