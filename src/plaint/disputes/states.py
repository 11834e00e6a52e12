"""The words of external dispute resolution (ISO 10003), as data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderKind(models.TextChoices):
    ADR_BODY = "adr_body", _("Alternative dispute resolution body")
    OMBUDSMAN = "ombudsman", _("Ombudsman")
    MEDIATOR = "mediator", _("Mediation service")
    ARBITRATION = "arbitration", _("Arbitration service")


class Method(models.TextChoices):
    """ISO 10003's three kinds of process: the neutral helps the parties agree (facilitative),
    recommends a solution (advisory) or decides (determinative)."""

    FACILITATIVE = "facilitative", _("Facilitative (mediation, conciliation)")
    ADVISORY = "advisory", _("Advisory (recommendation)")
    DETERMINATIVE = "determinative", _("Determinative (arbitration, ombudsman decision)")


class FeePayer(models.TextChoices):
    NONE = "none", _("Free for both sides")
    ORGANISATION = "organisation", _("The organisation pays")
    COMPLAINANT = "complainant", _("The complainant pays")
    SHARED = "shared", _("Shared between the sides")


class ReviewConclusion(models.TextChoices):
    """A provider's yearly review (ISO 10003 asks the organisation to select and review them)."""

    KEEP = "keep", _("Keep offering this provider")
    WATCH = "watch", _("Keep, with concerns to follow up")
    SUSPEND = "suspend", _("Stop offering this provider")


# The units a provider's time limits are given in: the deadline engine's (plaint.core.calendars).
LIMIT_UNITS = ("business_days", "calendar_days", "weeks")
