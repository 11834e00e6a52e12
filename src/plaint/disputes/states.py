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


class ObligationKind(models.TextChoices):
    REFUND = "refund", _("Refund")
    APOLOGY = "apology", _("Apology")
    REPAIR = "repair", _("Repair")
    REPLACEMENT = "replacement", _("Replacement")
    COMPENSATION = "compensation", _("Compensation")
    OTHER = "other", _("Other")


class Side(models.TextChoices):
    ORGANISATION = "organisation", _("The organisation")
    COMPLAINANT = "complainant", _("The complainant")
    PROVIDER = "provider", _("The provider")


class SubmissionKind(models.TextChoices):
    POSITION = "position", _("The organisation's position")
    SUBMISSION = "submission", _("Submission")
    REQUEST = "request", _("Request for information")
    ANSWER = "answer", _("Answer to a request")


class ConsentChannel(models.TextChoices):
    TRACKING_PAGE = "tracking_page", _("On the tracking page")
    PHONE = "phone", _("By phone")
    LETTER = "letter", _("By letter")
    EMAIL = "email", _("By e-mail")
    IN_PERSON = "in_person", _("In person")


class OpenedVia(models.TextChoices):
    REFERRAL = "referral", _("a referral with consent")
    NOTICE = "notice", _("the provider's notice")
    LEGACY = "legacy", _("an outcome recorded before the disputes app")
    CASE_OUTCOME = "case_outcome", _("an outcome recorded on the complaint")
    IMPORT = "import", _("an import of the provider's past outcomes")
