"""Signals of the editorial domain that Django's model signals do not cover.

The domain never calls the reader site or the search index: it says what changed, and
they listen (website.apps, search.apps).
"""

from django.dispatch import Signal

# Sent after writes that send no post_save (update() in admin actions and workflow
# steps, bulk inserts): `ids` are the guides whose public face may have changed, or
# None for "any guide".
guides_bulk_changed = Signal()
