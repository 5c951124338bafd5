"""Seed the working-day calendar from the chinesecalendar package, so that a fresh database knows
every year the package knows (2004-2026 with 1.11.0) without running a command. A newer package
is brought in by ``lvzhi calendar_seed``; the office enters the years no package knows yet."""

from django.db import migrations


def seed(apps, schema_editor):
    from lvzhi.core.calendar import package_years, seed_calendar

    seed_calendar(
        day_model=apps.get_model("core", "CalendarDay"),
        year_model=apps.get_model("core", "CalendarYear"),
        years=package_years(),
        with_history=False,
    )


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.filter(source="package").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
