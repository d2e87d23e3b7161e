"""Signals of the catalogue that Django's model signals do not cover."""

from django.dispatch import Signal

# Sent after bulk writes (imports, generated data), which send no post_save:
# `ids` are the papers created or changed. Search indexes and caches listen.
papers_bulk_changed = Signal()
