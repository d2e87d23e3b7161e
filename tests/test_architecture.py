"""Dependencies between our apps point one way, read from the imports themselves.

    config → website, api → readers → discovery → search → guides → images → papers, accounts

A lower app never imports a higher one: when it must tell one that something changed,
it sends a signal the higher app listens to (see each app's `apps.py`).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = [
    *("accounts", "papers", "images", "guides", "search", "discovery", "readers"),
    *("website", "api", "config"),
]

TOP = {"website", "api", "config"}
# What each app must never import. Migrations included: Django writes cross-app
# dependencies as strings in `dependencies`, which are not imports.
FORBIDDEN = {
    "accounts": {"papers", "images", "guides", "search", "discovery", "readers", *TOP},
    "papers": {"accounts", "images", "guides", "search", "discovery", "readers", *TOP},
    "images": {"guides", "search", "discovery", "readers", *TOP},
    "guides": {"search", "discovery", "readers", *TOP},
    "search": {"discovery", "readers", *TOP},
    "discovery": {"readers", *TOP},
    "readers": TOP,
    "website": {"api", "config"},
    # The API never shows readers' addresses or comments.
    "api": {"website", "readers", "config"},
}


def imported_apps(path, package):
    """The top-level names of our apps that the module at `path` imports."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: stays inside the module's own package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.add(".".join(base))
            else:
                names.add(node.module)
    return {name.split(".")[0] for name in names} & set(APPS)


def forbidden_imports(app, root=ROOT):
    """["module.py imports X"] for every import of `app` that points the wrong way."""
    found = []
    for path in sorted((root / app).rglob("*.py")):
        package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
        for name in sorted(imported_apps(path, package) & FORBIDDEN[app]):
            found.append(f"{path.relative_to(root)} imports {name}")
    return found


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_imports_only_apps_below_it(app):
    assert forbidden_imports(app) == []


def test_a_forbidden_import_is_caught(tmp_path):
    """The guard itself: plant a wrong-way import in a copy of papers and guides."""
    for app in ("papers", "guides"):
        (tmp_path / app / "sub").mkdir(parents=True)
    (tmp_path / "papers" / "models.py").write_text("from guides.models import Guide\n")
    (tmp_path / "papers" / "sub" / "fine.py").write_text("from ..models import Paper\n")
    (tmp_path / "guides" / "sub" / "views.py").write_text(
        "import website.page_cache\nfrom search import queries\nfrom papers import models\n"
    )
    assert forbidden_imports("papers", tmp_path) == ["papers/models.py imports guides"]
    assert forbidden_imports("guides", tmp_path) == [
        "guides/sub/views.py imports search",
        "guides/sub/views.py imports website",
    ]


def test_every_app_of_ours_is_guarded():
    from django.conf import settings

    ours = {app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()}
    assert ours == set(FORBIDDEN)
