"""The sectors of the brief (an editable list afterwards). Codes match the sector vocabulary
of the text checker (``lamtheo.quality``)."""

from django.db import migrations

SECTORS = [
    ("yte", "Y tế"),
    ("giaoduc", "Giáo dục"),
    ("ap", "Ấp/khóm"),
    ("hanhchinh", "Công chức hành chính"),
    ("canqs", "Công an/quân sự"),
    ("nongnghiep", "Nông nghiệp"),
    ("doanhnghiep", "Doanh nghiệp"),
    ("congtacdang", "Công tác Đảng"),
    ("khac", "Khác"),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("org", "Sector")
    for order, (code, name) in enumerate(SECTORS, start=1):
        Sector.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


def unseed(apps, schema_editor):
    Sector = apps.get_model("org", "Sector")
    Sector.objects.filter(code__in=[code for code, _name in SECTORS], person__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0002_person_search_key")]

    operations = [migrations.RunPython(seed, unseed)]
