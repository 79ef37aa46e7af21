"""Change stamps (portal/stamps.py). Their triggers are (re)installed after every
migrate, for the tables the apps track."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_notifications"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChangeStamp",
            fields=[
                (
                    "name",
                    models.CharField(
                        max_length=63, primary_key=True, serialize=False, verbose_name="table"
                    ),
                ),
                ("value", models.BigIntegerField(verbose_name="stamp")),
            ],
            options={
                "verbose_name": "change stamp",
                "verbose_name_plural": "change stamps",
            },
        ),
    ]
