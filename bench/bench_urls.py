"""The bench's URLconf: all of Plaint's routes plus the intake floor (``floor.py``).

Used only through ``bench_settings`` (``ROOT_URLCONF``), which the bench's processes run with;
Plaint's own URLconf (``plaint.urls``) never routes the floor.
"""

from django.urls import URLPattern, URLResolver, include, path
from floor import floor_complaint_create

urlpatterns: list[URLPattern | URLResolver] = [
    path("bench/floor/complaints", floor_complaint_create),
    path("", include("plaint.urls")),
]
