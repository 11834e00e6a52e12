"""Give an existing organisation its default business calendar, built from its country and time zone
(09:00-17:00 outside the country's weekend). A fresh installation has no organisation row yet; there
``calendar_default()`` derives the same calendar from the organisation's settings until a manager saves one."""

from django.db import migrations


def create_default_calendar(apps, schema_editor):
    import holidays

    Organisation = apps.get_model("core", "Organisation")
    BusinessCalendar = apps.get_model("core", "BusinessCalendar")
    org = Organisation.objects.order_by("pk").first()
    if org is None or BusinessCalendar.objects.filter(is_default=True).exists():
        return
    country = (org.country or "").upper()
    try:
        weekend = set(holidays.country_holidays(country).weekend) if country else {5, 6}
    except NotImplementedError:
        country, weekend = "", {5, 6}
    BusinessCalendar.objects.create(
        name="Default",
        country=country,
        timezone=org.timezone,
        opening_hours=[None if day in weekend else ["09:00", "17:00"] for day in range(7)],
        is_default=True,
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_business_calendars")]

    operations = [migrations.RunPython(create_default_calendar, migrations.RunPython.noop)]
