"""The groups concerned a new installation starts with; the list is data, kept in the admin."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

GROUPS = [
    ("children", "儿童", 10),
    ("elderly", "老年人", 20),
    ("women", "妇女", 30),
    ("disabled", "残疾人", 40),
    ("youth", "青少年", 50),
    ("new-residents", "新居民", 60),
]


def create_groups(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    NeedGroup = apps.get_model("community", "NeedGroup")
    for code, name, position in GROUPS:
        NeedGroup.objects.get_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
