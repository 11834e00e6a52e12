from django.db import models


class DutyRun(models.Model):
    """One run of a periodic duty on a worker host: which duty, which worker (``host:pid``), and
    when it was claimed (the duty row's ``last_started_at``, the lease's own time)."""

    duty = models.CharField(max_length=60)
    holder = models.CharField(max_length=200)
    started_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.duty} by {self.holder} at {self.started_at}"


class LedgerItem(models.Model):
    """A unit of the ledger duty's work: done once means ``times_done == 1``."""

    number = models.PositiveIntegerField(unique=True)
    times_done = models.PositiveIntegerField(default=0)
    done_by = models.CharField(max_length=200, blank=True, default="")

    def __str__(self) -> str:
        return f"item {self.number}"
