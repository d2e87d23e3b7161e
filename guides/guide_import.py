"""Guides to and from the database, for the Markdown format of `guides.guide_markdown`.

An import creates a draft guide and reuses the papers, authors and topics that exist
(matched by title or name, ignoring case) instead of duplicating them. It runs in one
transaction: a file with any error writes nothing.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from images.models import Image
from papers.models import Author, Authorship, Conference, Paper, Tag
from papers.slugs import unique_slug

from .guide_markdown import (
    FigureDocument,
    FormatError,
    GuideDocument,
    PickDocument,
    SectionDocument,
    parse,
)
from .models import Figure, Guide, Pick, Reference, Section, Status


@dataclass
class ImportReport:
    guide: Guide = None
    created: list = field(default_factory=list)
    reused: list = field(default_factory=list)

    def lines(self):
        yield f"Created the draft guide “{self.guide}” ({self.guide.slug})."
        yield from (f"  created {item}" for item in self.created)
        yield from (f"  reused {item}" for item in self.reused)


def document_from_guide(guide):
    picks = guide.picks.select_related("paper", "section").prefetch_related(
        "paper__authorships__author", "related_papers"
    )
    return GuideDocument(
        title=guide.title,
        conference=guide.conference.slug,
        slug=guide.slug,
        standfirst=guide.standfirst,
        source=guide.source_url,
        bylines=[user.username for user in guide.bylines.order_by("username")],
        tags=[tag.name for tag in guide.tags.order_by("name")],
        intro=guide.intro.strip(),
        outro=guide.outro.strip(),
        sections=[SectionDocument(s.title, s.slug, s.intro.strip()) for s in guide.sections.all()],
        picks=[
            PickDocument(
                rank=pick.rank,
                title=pick.paper.title,
                line=0,
                authors=[a.author.name for a in pick.paper.authorships.all()],
                et_al=pick.paper.authors_et_al,
                tldr=pick.paper.tldr.strip(),
                why=pick.why.strip(),
                key_insights=pick.key_insights.strip(),
                related=[paper.title for paper in pick.related_papers.order_by("title")],
                section=pick.section.slug if pick.section else "",
            )
            for pick in picks
        ],
        references=[(ref.number, ref.text) for ref in guide.references.all()],
        figures=[
            FigureDocument(
                number=figure.number,
                place=figure.place,
                line=0,
                pick=figure.pick.rank if figure.pick_id else 0,
                caption=" ".join(figure.caption.split()),
                image=figure.image.key if figure.image_id else "",
                credit=figure.credit_text,
                link=figure.credit_url,
                source=figure.credit_paper.title if figure.credit_paper_id else "",
            )
            for figure in guide.figures.select_related("pick", "image", "credit_paper")
        ],
    )


def import_text(text, user=None):
    """Parse and import; raises FormatError (nothing written) when anything is wrong."""
    return import_document(parse(text), user)


@transaction.atomic
def import_document(doc, user=None):
    report = ImportReport()
    conference = Conference.objects.filter(slug=doc.conference).first()
    if conference is None:
        raise FormatError(1, f"no conference with the slug '{doc.conference}'")
    slug = doc.slug or slugify(doc.title)[:200]
    if Guide.objects.filter(slug=slug).exists():
        raise FormatError(1, f"a guide with the slug '{slug}' exists already; change 'slug'")
    users = get_user_model().objects.filter(username__in=doc.bylines)
    unknown = set(doc.bylines) - {u.username for u in users}
    if unknown:
        raise FormatError(1, f"no user for the bylines {sorted(unknown)}")

    guide = _create(
        1,
        Guide,
        conference=conference,
        title=doc.title,
        slug=slug,
        standfirst=doc.standfirst,
        intro=doc.intro,
        outro=doc.outro,
        source_url=doc.source,
        status=Status.DRAFT,
        created_by=user,
    )
    report.guide = guide
    guide.bylines.set(users)
    guide.tags.set([_tag(name, report) for name in doc.tags])
    sections = {
        s.slug: _create(1, Section, guide=guide, title=s.title, slug=s.slug, order=i, intro=s.intro)
        for i, s in enumerate(doc.sections, start=1)
    }
    for item in doc.picks:
        paper = _paper(item, conference, report)
        if Pick.objects.filter(guide=guide, paper=paper).exists():
            raise FormatError(item.line, f"“{paper}” is picked twice")
        pick = _create(
            item.line,
            Pick,
            guide=guide,
            paper=paper,
            rank=item.rank,
            section=sections.get(item.section),
            why=item.why,
            key_insights=item.key_insights,
        )
        related = [PickDocument(0, title, item.line) for title in item.related]
        pick.related_papers.set([_paper(r, conference, report) for r in related])
    for number, text in doc.references:
        if Reference.objects.filter(guide=guide, number=number).exists():
            raise FormatError(1, f"reference [{number}] is given twice")
        _create(1, Reference, guide=guide, number=number, text=text)
    picks = {pick.rank: pick for pick in guide.picks.all()}
    for item in doc.figures:
        _figure(item, guide, picks, conference, report)
    return report


def _figure(item, guide, picks, conference, report):
    image = None
    if item.image:
        image = Image.objects.filter(key=item.image).first()
        if image is None:
            raise FormatError(item.line, f"no image with the key '{item.image}' in the library")
    source = (
        _paper(PickDocument(0, item.source, item.line), conference, report) if item.source else None
    )
    _create(
        item.line,
        Figure,
        guide=guide,
        number=item.number,
        place=item.place,
        pick=picks.get(item.pick),
        image=image,
        caption=item.caption,
        credit_text=item.credit,
        credit_url=item.link,
        credit_paper=source,
    )


def _tag(name, report):
    tag = Tag.objects.filter(name__iexact=name).first()
    if tag is None:
        tag = _create(1, Tag, name=name, slug=slugify(name))
        report.created.append(f"topic “{name}”")
    return tag


def _create(line, model, **fields):
    """A row checked as the admin would check it; its problems become a FormatError."""
    obj = model(**fields)
    if hasattr(obj, "slug") and not obj.slug:
        obj.slug = unique_slug(obj, getattr(obj, "title", "") or getattr(obj, "name", ""))
    try:
        obj.full_clean()
    except ValidationError as error:
        problems = "; ".join(
            f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items()
        )
        raise FormatError(line, f"{model._meta.verbose_name} not valid ({problems})") from error
    obj.save()
    return obj


def _paper(item, conference, report):
    """The paper with this title (preferring the guide's conference), or a new one."""
    title = item.title.strip()
    papers = Paper.objects.filter(title__iexact=title)
    paper = papers.filter(conference=conference).first() or papers.first()
    if paper is not None:
        report.reused.append(f"paper “{paper}”")
        return paper
    if len({name.lower() for name in item.authors}) < len(item.authors):
        raise FormatError(item.line, "an author is listed twice")
    paper = _create(
        item.line,
        Paper,
        title=title,
        conference=conference,
        year=conference.year,
        authors_et_al=item.et_al,
        tldr=item.tldr,
    )
    report.created.append(f"paper “{paper}”")
    for position, name in enumerate(item.authors, start=1):
        author = Author.objects.filter(name__iexact=name).first()
        if author is None:
            author = _create(item.line, Author, name=name)
            report.created.append(f"author “{name}”")
        Authorship.objects.create(paper=paper, author=author, position=position)
    return paper
