"""Monthly business volumes (orders, customers) imported from CSV: the denominators of the
complaint rates, and the record of their imports."""

from __future__ import annotations

import datetime as dt

from plaint.accounts.access import Reader
from plaint.insights.models import PeriodVolume, VolumeImport
from plaint.insights.selectors.filters import require_reader


def period_volumes(start: dt.date, end: dt.date) -> dict[dt.date, PeriodVolume]:
    """The imported volumes of the months ``start``..``end``, by month. One query."""
    return {v.month: v for v in PeriodVolume.objects.filter(month__gte=start, month__lte=end)}


def volume_imports(*, actor: Reader, limit: int = 10) -> list[VolumeImport]:
    """The latest volume imports, newest first (bounded)."""
    require_reader(actor)
    return list(VolumeImport.objects.select_related("created_by")[:limit])
