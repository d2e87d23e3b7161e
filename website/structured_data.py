"""JSON-LD (schema.org) for search engines: Article, ScholarlyArticle and Event."""

from django.urls import reverse

from .share_cards import SIZE as SHARE_CARD_SIZE


def _person(name, url=None):
    return {"@type": "Person", "name": name, **({"url": url} if url else {})}


def image_object(url, width, height, description):
    return {
        "@type": "ImageObject",
        "url": url,
        "width": width,
        "height": height,
        "description": description,
    }


def article_image(guide, absolute_url):
    """The guide's picture for search engines and social networks: its cover (the
    widest rendition every reader understands), else its generated share card."""
    cover = getattr(guide, "cover", None)
    rendition = cover.image.share_rendition() if cover else None
    if rendition:
        return image_object(
            absolute_url(cover.image.rendition_url(rendition)),
            rendition["width"],
            rendition["height"],
            cover.image.alt_text or guide.title,
        )
    return image_object(
        absolute_url(reverse("guides:guide-share-card", args=[guide.slug])),
        *SHARE_CARD_SIZE,
        f"{guide.title}: a guide to {guide.conference}",
    )


def article(guide, absolute_url):
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": guide.title,
        "description": guide.standfirst,
        "image": [article_image(guide, absolute_url)],
        "url": absolute_url(guide.get_absolute_url()),
        "datePublished": guide.published_at.isoformat() if guide.published_at else None,
        "dateModified": (guide.updated_at or guide.published_at).isoformat()
        if guide.published_at
        else None,
        "author": [_person(user.byline_name, user.website or None) for user in guide.bylines.all()],
        "about": {"@type": "Event", "name": str(guide.conference)},
        "keywords": [tag.name for tag in guide.tags.all()],
        "publisher": {"@type": "Organization", "name": "Conference guides"},
    }
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def scholarly_article(paper, absolute_url):
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": paper.title,
        "name": paper.title,
        "url": absolute_url(paper.get_absolute_url()),
        "datePublished": str(paper.year),
        "author": [
            _person(a.author.name, absolute_url(a.author.get_absolute_url()))
            for a in paper.authorships.all()
        ],
        "abstract": paper.tldr or paper.abstract,
        "keywords": [tag.name for tag in paper.tags.all()],
        "sameAs": paper.paper_url,
    }
    if paper.conference:
        data["isPartOf"] = {"@type": "Event", "name": str(paper.conference)}
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def event(webinar, absolute_url):
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": webinar.title,
        "description": webinar.description,
        "url": absolute_url(webinar.get_absolute_url()),
        "startDate": webinar.local_start.isoformat()
        if webinar.starts_at
        else webinar.starts_on.isoformat(),
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
        "location": {
            "@type": "VirtualLocation",
            "url": webinar.registration_url or absolute_url(webinar.get_absolute_url()),
        },
        "organizer": {"@type": "Organization", "name": "Conference guides"},
    }
    if webinar.ends_at:
        data["endDate"] = (webinar.local_start + webinar.duration).isoformat()
    return {key: value for key, value in data.items() if value not in (None, "", [])}
