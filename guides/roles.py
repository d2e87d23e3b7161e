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
            ("guides", "figure"),
            ("images", "image"),
            ("images", "paperimage"),
            ("images", "conferenceimage"),
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
    "papers.import_papers",
]
CONTRIBUTOR_PERMISSIONS = [
    *(
        f"guides.{action}_{model}"
        for model in ("guide", "section", "pick", "reference", "taggedguide", "figure")
        for action in CRUD
    ),
    *(
        f"images.{action}_{model}"
        for model in ("image", "paperimage")
        for action in ("add", "change", "view")
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


def create_roles(apps):
    """Make (or bring up to date) the groups; `apps` is a migration's or django.apps.apps."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            # None: a model an earlier migration cannot know yet; a later one adds it.
            if permission is not None:
                permissions.append(permission)
        group.permissions.set(permissions)
