"""Signals of the catalogue that Django's model signals do not cover."""

from django.dispatch import Signal

# Sent after bulk writes (imports, generated data), which send no post_save:
# `ids` are the papers created or changed, or None for "any paper". The search index
# and the reader site's stored renderings listen.
papers_bulk_changed = Signal()

# Sent once an import has written its rows: `conference` and how many papers it
# `created`. Discovery fits its embedder again after a large one.
papers_imported = Signal()
