"""The one declaration of a text field's limit is on the model: ``max_length`` of a CharField, or a
named constant next to the model for a TextField or a JSON text. Forms and API schemas read it here
instead of repeating the number."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Field, Model


def max_length(model: type[Model], field: str) -> int:
    """``max_length`` declared on ``model.field`` (a CharField, SlugField, EmailField ...)."""
    declared = model._meta.get_field(field)
    limit = declared.max_length if isinstance(declared, Field) else None
    if limit is None:
        raise ImproperlyConfigured(f"{model.__name__}.{field} declares no max_length")
    return int(limit)
