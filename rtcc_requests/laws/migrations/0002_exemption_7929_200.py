"""Former §6254(aa) is Gov. Code §7929.200, not §7929.210 (cpra.md): correct a loaded row.

The reference fixture is keyed by (law, section), so loading the corrected fixture alone
would add a second row and leave determinations citing the wrong number.
"""

from django.db import migrations

WRONG, RIGHT = "§7929.210", "§7929.200"


def forwards(apps, schema_editor):
    Exemption = apps.get_model("laws", "Exemption")
    if Exemption.objects.filter(law__code="ca-cpra", section=RIGHT).exists():
        return
    Exemption.objects.filter(law__code="ca-cpra", section=WRONG, former_section="§6254(aa)").update(
        section=RIGHT,
        short_name="Terrorism-vulnerability assessments for closed sessions",
        needs_verification=False,
        description="Former §6254(ab), critical infrastructure information, is a separate section.",
    )


class Migration(migrations.Migration):
    dependencies = [("laws", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
