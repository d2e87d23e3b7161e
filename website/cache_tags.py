"""Cache tags: what a public page shows, and what a change makes stale.

While a page renders, every catalogue or editorial object it loads tags it with
"<kind>-<id>" ("paper-12", "guide-3"); a list also carries the tag of each kind it
lists ("paper"), since a new or changed item can join or leave it. Pages that declare
what they list (`lists()`) carry only those; any other page carries every kind, to be
safe. Every page carries SITE: changes that reach everywhere (a refit, an import, a
scheduled publication) use it.

A change names its tags (`changed_tags`): the object's own, those of the objects it
belongs to, and its kind. Stored renderings (a guide's article, a paper's card) are
forgotten by their own signals; forgetting one names its guide or paper too
(website.stored_html). Tags are stamped in the editor's transaction
(website.page_cache.invalidate).
"""

from contextvars import ContextVar

from django.conf import settings
from django.db.models.signals import post_init

from guides.models import Figure, Guide, Pick, Reference, Section, TaggedGuide, Webinar
from images.models import ConferenceImage, Image, PaperImage
from papers.models import Author, Authorship, Conference, Paper, Series, Tag, TaggedPaper
from readers.models import Comment

SITE = "site"
# Every change of a user (a byline's name) stamps it too: what stores bylines without
# naming each user (website.feeds) is rendered from it.
USERS = "user"
KINDS = {
    Series: "series",
    Conference: "conference",
    Paper: "paper",
    Author: "author",
    Tag: "topic",
    Guide: "guide",
    Pick: "pick",
    Webinar: "webinar",
}
EVERY_LIST = frozenset(KINDS.values())
# A page naming more objects than this carries their kind instead (a proxy keeps
# tags in one header line, Varnish 8 KB by default); a change of that kind then
# makes it stale, as for a list.
MAX_TAGS = 300
# More changed objects than this at once (a conference renamed: its 4,000 paper
# cards) make every page stale rather than send thousands of tags.
MAX_CHANGED = 200

_shown = ContextVar("cache_tags_shown", default=None)
_lists = ContextVar("cache_tags_lists", default=None)


class collecting:
    """Collects the tags of what is rendered inside it (one request); `tags()` after."""

    def __enter__(self):
        self._tokens = (_shown.set(set()), _lists.set(None))
        return self

    def __exit__(self, *exc):
        self.shown, self.listed = _shown.get(), _lists.get()
        _shown.reset(self._tokens[0])
        _lists.reset(self._tokens[1])

    def tags(self):
        listed = EVERY_LIST if self.listed is None else self.listed
        return compact({SITE, *listed, *self.shown})


class not_collecting:
    """What is loaded inside it tags nothing: a stored rendering (a guide's article, a
    paper's card) being made again, which the page's own tags ("guide-3", "paper-12")
    already cover, since forgetting it stamps them. Else a page would carry other tags
    the first time than the next."""

    def __enter__(self):
        self._token = _shown.set(None)

    def __exit__(self, *exc):
        _shown.reset(self._token)


def lists(*kinds):
    """The page being rendered lists only these kinds ("paper", "guide"...); none for a
    page of one object (its parts are tagged as they load)."""
    if _shown.get() is not None:
        unknown = set(kinds) - EVERY_LIST
        assert not unknown, f"not kinds of objects: {unknown}"
        _lists.set(frozenset(kinds))


def show(tags):
    """Tag the page being rendered with `tags`, as if it had loaded their objects: a
    stored section that did (website.stored_sections)."""
    shown = _shown.get()
    if shown is not None:
        shown.update(tags)


def _loaded(sender, instance, **kwargs):
    shown = _shown.get()
    if shown is not None and instance.pk is not None:
        shown.add(f"{KINDS.get(sender, 'user')}-{instance.pk}")


for model in (*KINDS, settings.AUTH_USER_MODEL):
    post_init.connect(_loaded, sender=model, dispatch_uid=f"cache-tags-{model}")


def compact(tags):
    """At most MAX_TAGS tags: the kinds with most objects named by their kind."""
    tags = set(tags)
    while len(tags) > MAX_TAGS:
        counts = {}
        for tag in tags:
            kind, _, pk = tag.rpartition("-")
            if pk.isdigit():
                counts[kind] = counts.get(kind, 0) + 1
        kind = max(counts, key=counts.get)
        tags = {t for t in tags if t.rpartition("-")[0] != kind} | {kind}
    return sorted(tags)


def of(kind, *ids):
    """The tags of objects of `kind`, or SITE when they are too many to name."""
    ids = {pk for pk in ids if pk is not None}
    if len(ids) > MAX_CHANGED:
        return {SITE}
    return {f"{kind}-{pk}" for pk in ids}


def changed_tags(sender, instance, created=False):
    """The tags a save or delete of `instance` (of model `sender`) makes stale."""
    if sender is Guide:
        # A guide going public or private adds or removes it on its papers' pages.
        papers = Pick.objects.filter(guide=instance.pk).values_list("paper_id", flat=True)
        return {f"guide-{instance.pk}", "guide", "pick", *of("paper", *papers)}
    if sender is Pick:
        pick = instance
        return {
            *(f"pick-{pick.pk}", f"guide-{pick.guide_id}", f"paper-{pick.paper_id}"),
            *("pick", "guide"),
        }
    if sender in KINDS:
        return {f"{KINDS[sender]}-{instance.pk}", KINDS[sender]}
    if sender is Authorship:
        return {f"paper-{instance.paper_id}", f"author-{instance.author_id}", "paper", "author"}
    if sender is TaggedPaper:
        return {f"paper-{instance.content_object_id}", f"topic-{instance.tag_id}", "paper", "topic"}
    if sender is TaggedGuide:
        return {f"guide-{instance.content_object_id}", f"topic-{instance.tag_id}", "guide", "topic"}
    if sender is Figure and instance.pick_id:
        return {f"guide-{instance.guide_id}", f"pick-{instance.pick_id}", "guide"}
    if sender is Comment:  # its guide's page; lists show the guide's count
        return {f"guide-{instance.guide_id}", "guide"}
    if sender in (Section, Reference, Figure):
        return {f"guide-{instance.guide_id}", "guide"}
    if sender is PaperImage:
        return {f"paper-{instance.paper_id}", "paper"}
    if sender is ConferenceImage:
        return {f"conference-{instance.conference_id}", "conference"}
    if sender is Image:
        # A new image shows nowhere until a figure or picture uses it (their own
        # tags); a changed one wherever a guide, paper or conference does.
        return set() if created else {SITE}
    return {f"user-{instance.pk}", USERS}  # a byline: its guides' articles are forgotten


def m2m_changed_tags(instance):
    """The tags a change of a guide's bylines or a pick's related papers makes stale,
    from either side."""
    if isinstance(instance, Guide):
        return {f"guide-{instance.pk}", "guide"}
    if isinstance(instance, Pick):
        return {f"pick-{instance.pk}", f"guide-{instance.guide_id}", "pick"}
    return {SITE}  # from the user's or the paper's side: rare
