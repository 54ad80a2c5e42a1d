from django.db import migrations
from django.db.models import F


def fill(apps, schema_editor):
    """Rows recorded before the field existed: their group now is the best record of it then."""
    SeekerProfile = apps.get_model("seekers", "SeekerProfile")
    SeekerProfile.objects.filter(registration_benefit_group="").update(
        registration_benefit_group=F("benefit_group")
    )


class Migration(migrations.Migration):
    dependencies = [("seekers", "0002_registration_benefit_group")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
