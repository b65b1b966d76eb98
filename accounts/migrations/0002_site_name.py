from django.db import migrations


def name_site(apps, schema_editor):
    # The TOTP issuer shown in authenticator apps comes from the site name.
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(pk=1, defaults={"domain": "localhost", "name": "Verzuimkluis"})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("sites", "0002_alter_domain_unique")]
    operations = [migrations.RunPython(name_site, migrations.RunPython.noop)]
