"""Demo codes for the regulatory returns: the demo shop's categories, products and root causes
given codes in both formats, except complaints with no product, left without one so that the
returns page shows what a missing code looks like."""

from __future__ import annotations

from plaint.accounts.models import User
from plaint.complaints.models import Complaint, RootCause
from plaint.core.actors import Actor
from plaint.improvement import services
from plaint.improvement.models_returns import ReturnFormat, SourceKind

# category code -> (half-yearly cause category, IDR issue)
CATEGORY_CODES = {
    "billing": ("charges", "fees_and_charges"),
    "refunds": ("charges", "refunds"),
    "delivery": ("admin_and_service", "service_delay"),
    "product-quality": ("product_performance", "product_performance"),
    "website": ("admin_and_service", "systems"),
    "privacy": ("admin_and_service", "privacy"),
    "staff-conduct": ("admin_and_service", "staff_conduct"),
    "complaints-process": ("admin_and_service", "complaint_handling"),
}
# a model name in the product (in any of the demo's languages) -> product group
PRODUCT_GROUPS = {
    "W7": "home_appliances",
    "D45": "home_appliances",
    "Cyclone 5": "home_appliances",
    "K-200": "home_appliances",
    "Barista 3": "home_appliances",
    "BT-40": "electronics",
    "Vision 55": "electronics",
    "Ergo": "furniture",
}


def seed_return_codes(manager: User) -> int:
    """Give the demo's values their codes; the number of codes set."""
    actor = Actor.staff(manager)
    codes: list[tuple[str, str, str, str]] = []
    for category, (cause, issue) in CATEGORY_CODES.items():
        codes.append((ReturnFormat.HALF_YEARLY, SourceKind.CATEGORY, category, cause))
        codes.append((ReturnFormat.IDR, SourceKind.CATEGORY, category, issue))
    products = Complaint.objects.exclude(product="").values_list("product", flat=True).distinct()
    for product in products.order_by("product"):
        group = next((g for model, g in PRODUCT_GROUPS.items() if model in product), "other")
        codes.append((ReturnFormat.HALF_YEARLY, SourceKind.PRODUCT, product, group))
        codes.append((ReturnFormat.IDR, SourceKind.PRODUCT, product, group))
    for cause in RootCause.objects.values_list("code", flat=True).order_by("code"):
        codes.append((ReturnFormat.IDR, SourceKind.ROOT_CAUSE, cause, cause.replace("-", "_")))
    for report, kind, source, target in codes:
        services.return_mapping_set(
            actor=actor, report=report, kind=kind, source=source, target=target
        )
    return len(codes)
