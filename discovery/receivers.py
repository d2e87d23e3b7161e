"""Keeping vectors and maps current when the catalogue grows."""

from django.conf import settings
from django.db import transaction

from .fitting import fit_catalogue
from .maps import compute_maps


def refit_after_a_large_import(sender, conference, created, **kwargs):
    """An import that adds DISCOVERY_REFIT_AFTER papers or more is worth a new fit (a
    few seconds at 50,000 papers) and a new map of its conference, once it commits;
    smaller ones wait for the next `manage.py fit_embeddings`."""
    if created >= settings.DISCOVERY_REFIT_AFTER:
        transaction.on_commit(lambda: fit_catalogue() and compute_maps([conference.pk]))
