"""Count each dossier's consultations waiting for an answer on its row."""

from django.db import migrations, models
from django.db.models import Count


def count_open(apps, schema_editor):
    Consultation = apps.get_model("dossiers", "Consultation")
    Dossier = apps.get_model("dossiers", "Dossier")
    rows = (Consultation.objects.filter(answered_at__isnull=True).values("dossier_id")
            .annotate(n=Count("pk")).values_list("dossier_id", "n"))
    for dossier_id, n in rows:
        Dossier.objects.filter(pk=dossier_id).update(open_consultations=n)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0006_actor_day")]

    operations = [
        migrations.AddField(model_name="dossier", name="open_consultations",
                            field=models.PositiveSmallIntegerField(default=0)),
        migrations.RunPython(count_open, migrations.RunPython.noop),
    ]
