"""``Complaint.search_document`` is stored normalised (``complaints.search.normalise``: lower
case, Arabic ي/ى/ك as Persian ی/ک, zero-width joiners and harakat removed, Persian digits as
0 to 9, Latin diacritics folded). This recomputes it for existing rows, 2,000 at a time in primary
key order, writing only the rows whose text changes. The trigram index stays as it is."""

from __future__ import annotations

from django.db import migrations

from plaint.complaints.search import normalise

BATCH = 2000


def renormalise(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    last = 0
    while True:
        batch = list(
            Complaint.objects.select_related("complainant")
            .filter(pk__gt=last)
            .order_by("pk")
            .only(
                "pk",
                "subject",
                "description",
                "search_document",
                "complainant__name",
                "complainant__email",
            )[:BATCH]
        )
        if not batch:
            return
        changed = []
        for c in batch:
            parts = (c.subject, c.description, c.complainant.name, c.complainant.email)
            text = normalise(" ".join(p for p in parts if p))
            if text != c.search_document:
                c.search_document = text
                changed.append(c)
        if changed:
            Complaint.objects.bulk_update(changed, ["search_document"], batch_size=BATCH)
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("complaints", "0010_remedy_proposal_round")]

    operations = [migrations.RunPython(renormalise, migrations.RunPython.noop, elidable=True)]
