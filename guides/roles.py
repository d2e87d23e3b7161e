"""The editorial roles. Groups and their permissions are made by a data migration
(guides/migrations/0003_roles.py) from the lists here; the admin asks `is_editor`.

- Editor: everything on guides and the catalogue, including publishing.
- Contributor: writes guides and catalogue entries; edits only their own drafts,
  submits them for review, and cannot publish.
"""

EDITOR, CONTRIBUTOR = "Editor", "Contributor"
PUBLISH = "guides.publish_guide"

CRUD = ("add", "change", "delete", "view")
EDITOR_PERMISSIONS = [
    *(
        f"{app}.{action}_{model}"
        for app, model in [
            ("guides", "guide"),
            ("guides", "section"),
            ("guides", "pick"),
            ("guides", "reference"),
            ("guides", "webinar"),
            ("guides", "taggedguide"),
            ("papers", "series"),
            ("papers", "conference"),
            ("papers", "author"),
            ("papers", "paper"),
            ("papers", "authorship"),
            ("papers", "tag"),
            ("papers", "taggedpaper"),
        ]
        for action in CRUD
    ),
    PUBLISH,
]
CONTRIBUTOR_PERMISSIONS = [
    *(
        f"guides.{action}_{model}"
        for model in ("guide", "section", "pick", "reference", "taggedguide")
        for action in CRUD
    ),
    *(
        f"papers.{action}_{model}"
        for model in ("author", "paper", "authorship", "tag", "taggedpaper")
        for action in ("add", "change", "view")
    ),
    "papers.view_conference",
    "papers.view_series",
    "guides.view_webinar",
]
ROLE_PERMISSIONS = {EDITOR: EDITOR_PERMISSIONS, CONTRIBUTOR: CONTRIBUTOR_PERMISSIONS}


def is_editor(user):
    return user.is_active and user.has_perm(PUBLISH)
