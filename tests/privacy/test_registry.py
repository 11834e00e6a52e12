"""The classification of personal data covers every model field that could hold it."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.db import models

from plaint.privacy.registry import NOT_PERSONAL, PERSONAL, registry_markdown

TEXT_LIKE = (
    models.CharField,
    models.TextField,
    models.JSONField,
    models.FileField,
    models.GenericIPAddressField,
    models.BinaryField,
)
PERSONAL_LOOKING = re.compile(
    r"name|mail|phone|address|contact|note|comment|body|text|description|ip|person|message"
)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"


def _fields_to_classify() -> set[str]:
    """Every free-text, JSON, file or address field, and any field whose name looks personal;
    a field with choices or a slug holds codes."""
    wanted = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            label = f"{model._meta.label}.{field.name}"
            if field.choices or isinstance(field, models.SlugField):
                continue
            if isinstance(field, TEXT_LIKE) or (
                PERSONAL_LOOKING.search(field.name)
                and not isinstance(field, models.ForeignKey | models.BooleanField)
            ):
                wanted.add(label)
    return wanted


def test_every_field_that_could_hold_personal_data_is_classified():
    missing = _fields_to_classify() - set(PERSONAL) - NOT_PERSONAL
    assert not missing, (
        "Classify these fields in plaint/privacy/registry.py (PERSONAL with what erasure does, "
        f"or NOT_PERSONAL), then update docs/privacy.md: {sorted(missing)}"
    )


def test_the_registry_names_only_fields_that_exist():
    existing = {
        f"{m._meta.label}.{f.name}" for m in apps.get_models() for f in m._meta.concrete_fields
    }
    assert not (set(PERSONAL) | NOT_PERSONAL) - existing
    assert not set(PERSONAL) & NOT_PERSONAL


def test_the_documentation_shows_the_registry():
    assert registry_markdown() in DOCS.read_text(encoding="utf-8"), (
        "docs/privacy.md's table differs from the registry: paste registry_markdown() into it"
    )
