# One name per concept (issue 16): the class Correspondence is now Correspondentie, as in
# reintegratie. The table keeps its name, so both steps are no-ops in SQL: first the old model is
# pinned to its current table (same name: nothing to do), then the rename finds old and new table
# equal and leaves it alone (no field points at this model).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("medisch", "0007_alter_dossier_werknemer"),
    ]

    operations = [
        migrations.AlterModelTable(
            name="correspondence",
            table="medisch_correspondence",
        ),
        migrations.RenameModel(
            old_name="Correspondence",
            new_name="Correspondentie",
        ),
    ]
