"""A synthetic corpus at the scale of a real publication, for demos and benchmarks.

Reproducible: the same `seed` and sizes give the same rows. Papers spread over several
conference series and years, growing year on year as the field did; authors follow a
rich-get-richer process, so a few are prolific and most have one paper; topics are
skewed the same way. Guides (with sections, picks, Markdown with footnotes and
references) and webinars are added on top. Everything is written with bulk inserts,
so it sends no model signals: the search index is rebuilt once at the end.
"""

import json
import random
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from papers.models import Author, Authorship, Conference, Paper, Series, Tag, TaggedPaper
from papers.signals import papers_bulk_changed
from papers.slugs import SlugAllocator

from .models import Guide, Pick, Reference, Section, Status, TaggedGuide, Webinar
from .signals import guides_bulk_changed

MARKER_USER = "demo-editor-1"
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
SERIES = [
    ("neurips", "NeurIPS", "Conference on Neural Information Processing Systems", 1.0),
    ("icml", "ICML", "International Conference on Machine Learning", 0.6),
    ("iclr", "ICLR", "International Conference on Learning Representations", 0.55),
    ("cvpr", "CVPR", "Conference on Computer Vision and Pattern Recognition", 0.75),
    ("acl", "ACL", "Annual Meeting of the Association for Computational Linguistics", 0.35),
    ("emnlp", "EMNLP", "Conference on Empirical Methods in Natural Language Processing", 0.35),
]
YEARS = range(2016, 2026)
VOCABULARY = json.loads((Path(__file__).parent / "demo_vocabulary.json").read_text())
TOPICS, WORDS = VOCABULARY["topics"], VOCABULARY["words"]


@dataclass
class Sizes:
    papers: int = 50_000
    guides: int = 500
    seed: int = 1


class AlreadyGenerated(Exception):
    pass


class DemoCorpus:
    def __init__(self, sizes, progress=print):
        self.sizes, self.progress = sizes, progress
        self.rng = random.Random(sizes.seed)

    def generate(self):
        if get_user_model().objects.filter(username=MARKER_USER).exists():
            raise AlreadyGenerated("The demo corpus is already in this database.")
        with transaction.atomic():
            users = self.users()
            conferences = self.conferences()
            tags = self.tags()
            papers = self.papers(conferences, tags)
            self.guides(conferences, papers, users, tags)
        # Bulk inserts send no signals: the search index and the site's caches hear it here.
        self.progress("Indexing…")
        papers_bulk_changed.send(sender=Paper, ids=None)
        guides_bulk_changed.send(sender=Guide, ids=None)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics for the new tables' sizes

    def phrase(self, pattern):
        """`pattern` with each {list} replaced by a random word of that vocabulary list."""
        return pattern.format_map(
            {name: self.rng.choice(words) for name, words in VOCABULARY.items()}
        )

    def publication_time(self, conference, now):
        """Around the conference: from a month before its December to the next autumn."""
        around = datetime(conference.year, 11, 1, 9, tzinfo=UTC)
        return min(now - timedelta(hours=1), around + timedelta(days=self.rng.randint(0, 330)))

    def sentence(self, words=14):
        text = " ".join(self.rng.choice(WORDS) for _ in range(words))
        return text[0].upper() + text[1:] + "."

    def users(self):
        User = get_user_model()
        users = [
            User(
                username=f"demo-editor-{n}",
                slug=f"demo-editor-{n}",
                first_name="Demo",
                last_name=f"Editor {n}",
            )
            for n in range(1, 6)
        ]
        for user in users:
            user.set_unusable_password()
        return User.objects.bulk_create(users)

    def conferences(self):
        """{conference: share of papers}, reusing the series and editions that exist."""
        shares = {}
        for slug, short_name, name, weight in SERIES:
            series, _ = Series.objects.get_or_create(
                slug=slug, defaults={"short_name": short_name, "name": name}
            )
            for year in YEARS:
                conference, _ = Conference.objects.get_or_create(
                    series=series, year=year, defaults={"slug": f"{slug}-{year}"}
                )
                shares[conference] = weight * 1.25 ** (year - YEARS[0])  # a growing field
        total = sum(shares.values())
        return {conference: share / total for conference, share in shares.items()}

    def tags(self):
        existing = {tag.name.casefold(): tag for tag in Tag.objects.all()}
        slugs = SlugAllocator(Tag)
        new = [
            Tag(name=name, slug=slugs(name)) for name in TOPICS if name.casefold() not in existing
        ]
        Tag.objects.bulk_create(new)
        return list(Tag.objects.filter(name__in=TOPICS).order_by("name"))

    def papers(self, conferences, tags):
        rng, slugs = self.rng, SlugAllocator(Paper)
        rows = []
        for conference, share in conferences.items():
            for _ in range(round(self.sizes.papers * share)):
                title = self.phrase("{adjectives} {methods} for {tasks}")
                rows.append(
                    Paper(
                        title=title,
                        slug=slugs(title),
                        conference=conference,
                        year=conference.year,
                        tldr=self.sentence(12),
                        abstract=" ".join(self.sentence(rng.randint(12, 24)) for _ in range(4)),
                        paper_url=f"https://openreview.net/forum?id=demo{len(rows)}",
                        code_url=f"https://github.com/demo/{len(rows)}"
                        if rng.random() < 0.4
                        else "",
                    )
                )
        self.progress(f"Writing {len(rows):,} papers…")
        papers = Paper.objects.bulk_create(rows, batch_size=2000)
        self.authors(papers)
        weights = [1 / (n + 1) for n in range(len(tags))]  # a few topics are everywhere
        TaggedPaper.objects.bulk_create(
            (
                TaggedPaper(content_object_id=paper.pk, tag_id=tag.pk)
                for paper in papers
                for tag in set(rng.choices(tags, weights, k=rng.randint(1, 3)))
            ),
            batch_size=5000,
        )
        return papers

    def authors(self, papers):
        """Rich get richer: each slot goes to a new author half of the time, otherwise to
        an author drawn in proportion to the papers they already have."""
        rng, slugs = self.rng, SlugAllocator(Author)
        authors, slots, authorships = [], [], []
        for paper in papers:
            chosen = []
            for _ in range(rng.randint(1, 8)):
                if slots and rng.random() < 0.5:
                    index = rng.choice(slots)
                    if index in chosen:
                        continue
                else:
                    name = self.phrase("{first_names} {last_names}")
                    index = len(authors)
                    authors.append(Author(name=name, slug=slugs(name)))
                chosen.append(index)
            slots.extend(chosen)
            authorships.append((paper.pk, chosen))
        self.progress(f"Writing {len(authors):,} authors…")
        created = Author.objects.bulk_create(authors, batch_size=5000)
        Authorship.objects.bulk_create(
            (
                Authorship(paper_id=paper_id, author_id=created[index].pk, position=position)
                for paper_id, chosen in authorships
                for position, index in enumerate(chosen, start=1)
            ),
            batch_size=5000,
        )

    def guides(self, conferences, papers, users, tags):
        rng, slugs = self.rng, SlugAllocator(Guide)
        by_conference = {}
        for paper in papers:
            by_conference.setdefault(paper.conference_id, []).append(paper)
        editions = [c for c in conferences if len(by_conference.get(c.pk, [])) >= 40]
        now = datetime.now(UTC)
        guides = []
        for n in range(self.sizes.guides):
            conference = rng.choice(editions)
            title = (
                f"{conference} — {rng.choice(['10 papers', 'Highlights', 'Essentials'])} #{n + 1}"
            )
            published = rng.random() < 0.9  # one in ten stays a draft: never public
            guides.append(
                Guide(
                    conference=conference,
                    title=title,
                    slug=slugs(title),
                    standfirst=self.sentence(20),
                    intro=f"{self.sentence(30)}[^1]\n\n{self.sentence(25)}",
                    outro=self.sentence(20),
                    status=Status.PUBLISHED if published else Status.DRAFT,
                    published_at=self.publication_time(conference, now) if published else None,
                    created_by=rng.choice(users),
                )
            )
        self.progress(f"Writing {len(guides)} guides…")
        guides = Guide.objects.bulk_create(guides)
        Guide.bylines.through.objects.bulk_create(
            Guide.bylines.through(guide_id=guide.pk, user_id=rng.choice(users).pk)
            for guide in guides
        )
        TaggedGuide.objects.bulk_create(
            TaggedGuide(content_object_id=guide.pk, tag_id=tag.pk)
            for guide in guides
            for tag in rng.sample(tags, 2)
        )
        sections, picks, references, related, webinars = [], [], [], [], []
        webinar_slugs = SlugAllocator(Webinar)
        for guide in guides:
            pool = by_conference[guide.conference_id]
            count = rng.choice([10, 10, 10, 15, 20, 30])
            chosen = rng.sample(pool, count)
            guide_sections = [
                Section(
                    guide=guide, title=tag.name, slug=tag.slug, order=order, intro=self.sentence(20)
                )
                for order, tag in enumerate(rng.sample(tags, rng.randint(2, 4)), start=1)
            ]
            sections += guide_sections
            for rank, paper in enumerate(chosen, start=1):
                picks.append(
                    Pick(
                        guide=guide,
                        section=guide_sections[(rank - 1) * len(guide_sections) // count],
                        paper=paper,
                        rank=rank,
                        why=f"{self.sentence(25)} **{self.sentence(6)}**[^{rank % 3 + 1}]",
                        key_insights=f"{self.sentence(30)}\n\n"
                        f"- {self.sentence(10)}\n- {self.sentence(10)}",
                    )
                )
                related.append(rng.choice(pool).pk)
            references += [
                Reference(
                    guide=guide,
                    number=number,
                    text=f"{self.sentence(8)} ({guide.conference.year})",
                    paper=rng.choice(pool),
                )
                for number in range(1, 4)
            ]
            if rng.random() < 0.2:
                day = ((guide.published_at or now) + timedelta(days=rng.randint(-10, 30))).date()
                title = f"Webinar: {guide.title}"
                webinars.append(
                    Webinar(
                        guide=guide,
                        conference=guide.conference,
                        title=title,
                        slug=webinar_slugs(title),
                        starts_on=day,
                        starts_at=datetime(*day.timetuple()[:3], 16, tzinfo=AMSTERDAM),
                        time_zone=AMSTERDAM.key,
                        duration=timedelta(hours=1),
                        description=self.sentence(20),
                    )
                )
        Section.objects.bulk_create(sections, batch_size=2000)
        for pick in picks:
            pick.section_id = pick.section.pk
        self.progress(f"Writing {len(picks):,} picks…")
        picks = Pick.objects.bulk_create(picks, batch_size=2000)
        Pick.related_papers.through.objects.bulk_create(
            (
                Pick.related_papers.through(pick_id=pick.pk, paper_id=paper_id)
                for pick, paper_id in zip(picks, related, strict=True)
                if paper_id != pick.paper_id
            ),
            batch_size=5000,
        )
        Reference.objects.bulk_create(references, batch_size=2000)
        Webinar.objects.bulk_create(webinars)
