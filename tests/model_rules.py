"""Helpers for tests of the rules the database and model validation enforce."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


def refused_by_database(save):
    with pytest.raises(IntegrityError), transaction.atomic():
        save()


def messages(instance):
    """The messages of `instance.full_clean()`, by field."""
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict
