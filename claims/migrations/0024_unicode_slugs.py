"""Claims' slugs (and old slugs, topics' slugs) may be Unicode: a Persian or Arabic claim gets a readable address.

Only the validation changes; the columns and every slug on file stay as they are.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0023_languages"),
    ]

    operations = [
        migrations.AlterField(
            model_name='claim',
            name='slug',
            field=models.SlugField(allow_unicode=True, max_length=120, unique=True),
        ),
        migrations.AlterField(
            model_name='claimslug',
            name='slug',
            field=models.SlugField(allow_unicode=True, max_length=120, unique=True),
        ),
        migrations.AlterField(
            model_name='historicalclaim',
            name='slug',
            field=models.SlugField(allow_unicode=True, max_length=120),
        ),
        migrations.AlterField(
            model_name='historicaltopic',
            name='slug',
            field=models.SlugField(allow_unicode=True, max_length=100),
        ),
        migrations.AlterField(
            model_name='topic',
            name='slug',
            field=models.SlugField(allow_unicode=True, max_length=100, unique=True),
        ),
    ]
