"""The newsroom's public language (SiteSettings.public_language), English for a site on file."""

import claims.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0020_unicode_slugs"),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalsitesettings',
            name='public_language',
            field=models.CharField(choices=claims.models.language_choices, default='en', help_text="The language of the public pages: the rating scale's names and definitions and the starter texts are shown in it where they have been translated.", max_length=35),
        ),
        migrations.AddField(
            model_name='sitesettings',
            name='public_language',
            field=models.CharField(choices=claims.models.language_choices, default='en', help_text="The language of the public pages: the rating scale's names and definitions and the starter texts are shown in it where they have been translated.", max_length=35),
        ),
    ]
