"""Signals of the catalogue that Django's model signals do not cover."""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

# Sent after bulk writes (imports, generated data), which send no post_save:
# `ids` are the papers created or changed, or None for "any paper". The search index
# and the reader site's stored renderings listen.
papers_bulk_changed = Signal()

# Sent once an import has written its rows: `conference` and how many papers it
# `created`. Discovery fits its embedder again after a large one.
papers_imported = Signal()


# --- writes in bulk: loaddata ------------------------------------------------------

_writing_in_bulk = ContextVar("writing_in_bulk", default=False)


@contextmanager
def writing_in_bulk():
    """While fixtures load, receivers of one object's change (`per_change`) stand aside;
    the caller sends the bulk signals once it has written. Row by row, the seed's 958
    rows made 1,747 page-cache stamps and as many index refreshes (loading took 5 s
    into an empty database, 10 s again, most of it in receivers)."""
    token = _writing_in_bulk.set(True)
    try:
        yield
    finally:
        _writing_in_bulk.reset(token)


def per_change(receiver):
    """`receiver` of one object's change, which a bulk signal stands in for."""

    @functools.wraps(receiver)
    def receive(*args, **kwargs):
        if not _writing_in_bulk.get():
            return receiver(*args, **kwargs)
        return None

    return receive
