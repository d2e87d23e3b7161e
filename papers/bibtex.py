"""Papers as BibTeX entries, for reference managers."""

import re
import unicodedata

# Characters with a meaning in (La)TeX, escaped so a title reads as written.
TEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def tex(text):
    return "".join(TEX_ESCAPES.get(char, char) for char in " ".join(str(text).split()))


def ascii_word(text):
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]", "", plain)


def citation_key(paper, authors):
    """ "luo2021generative": first author's family name, year, first long title word."""
    family = ascii_word(authors[0].split()[-1]).lower() if authors else "anon"
    words = [ascii_word(w).lower() for w in paper.title.split()]
    word = next((w for w in words if len(w) > 3), words[0] if words else "paper")
    return f"{family}{paper.year}{word}"


def entry(paper, key=None):
    """One entry. Authors come from `paper.authorships` (prefetch them for many papers)."""
    authors = [a.author.name for a in paper.authorships.all()]
    if paper.authors_et_al or not authors:
        authors.append("others")  # BibTeX's own "et al."
    fields = [("title", "{" + tex(paper.title) + "}"), ("author", " and ".join(map(tex, authors)))]
    if paper.conference:
        kind = "inproceedings"
        fields.append(("booktitle", tex(f"{paper.conference.series.name} ({paper.conference})")))
    else:
        kind = "article"
    fields.append(("year", str(paper.year)))
    if paper.paper_url:
        fields.append(("url", paper.paper_url))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key or citation_key(paper, authors)},\n{body}\n}}\n"


def entries(papers):
    """Entries for several papers, with citation keys made unique (…a, …b)."""
    seen, out = {}, []
    for paper in papers:
        key = citation_key(paper, [a.author.name for a in paper.authorships.all()])
        count = seen.get(key, 0)
        seen[key] = count + 1
        out.append(entry(paper, key + (chr(ord("a") + count - 1) if count else "")))
    return "\n".join(out)
