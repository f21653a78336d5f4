"""Rating scales and ratings in other languages: RatingScaleTranslation, RatingTranslation (with history).

The shipped scales get their Persian and Spanish texts (awaiting review by a native speaker) where their
English text is still as shipped; a scale or rating the newsroom reworded keeps only its own words.
"""

import claims.models
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# Copies of claims.defaults' literals (a migration imports no app code).
DEFAULT_DEFINITIONS = {'True': 'The claim is accurate and nothing significant is missing.',
 'Mostly true': 'The claim is accurate but needs clarification or additional information.',
 'Half true': 'The claim is partially accurate but leaves out important details or takes things out of '
              'context.',
 'Mostly false': 'The claim contains an element of truth but ignores critical facts that would give a '
                 'different impression.',
 'False': 'The claim is not accurate.',
 'Misleading': 'The claim uses accurate facts in a way that gives a false impression.',
 'Unproven': 'The evidence available does not establish whether the claim is true or false.'}
DEFAULT_SCALES = {'default': ('Default scale', 'From True to False, plus Misleading and Unproven.'),
 'conclusion-only': ('Conclusion only', 'No rating: each verdict publishes a written conclusion.')}
RATING_TRANSLATIONS = {'fa': {'True': ('درست', 'ادعا دقیق است و چیز مهمی از آن جا نیفتاده است.'),
        'Mostly true': ('عمدتاً درست', 'ادعا دقیق است اما به توضیح یا اطلاعات بیشتری نیاز دارد.'),
        'Half true': ('نیمه\u200cدرست',
                      'ادعا تا اندازه\u200cای دقیق است اما جزئیات مهمی را نادیده می\u200cگیرد یا مطالب را از '
                      'بافتشان جدا می\u200cکند.'),
        'Mostly false': ('عمدتاً نادرست',
                         'ادعا رگه\u200cای از حقیقت دارد اما واقعیت\u200cهای مهمی را نادیده می\u200cگیرد که '
                         'برداشت دیگری پدید می\u200cآورند.'),
        'False': ('نادرست', 'ادعا دقیق نیست.'),
        'Misleading': ('گمراه\u200cکننده',
                       'ادعا واقعیت\u200cهای دقیق را به گونه\u200cای به کار می\u200cبرد که برداشتی نادرست '
                       'پدید می\u200cآورد.'),
        'Unproven': ('اثبات\u200cنشده', 'شواهد موجود نشان نمی\u200cدهند که ادعا درست است یا نادرست.')},
 'es': {'True': ('Verdadero', 'La afirmación es exacta y no le falta nada importante.'),
        'Mostly true': ('Mayormente verdadero',
                        'La afirmación es exacta pero necesita aclaración o información adicional.'),
        'Half true': ('Verdad a medias',
                      'La afirmación es parcialmente exacta pero omite detalles importantes o saca las cosas '
                      'de contexto.'),
        'Mostly false': ('Mayormente falso',
                         'La afirmación contiene un elemento de verdad pero ignora hechos fundamentales que '
                         'darían una impresión diferente.'),
        'False': ('Falso', 'La afirmación no es exacta.'),
        'Misleading': ('Engañoso', 'La afirmación usa hechos exactos de un modo que da una impresión falsa.'),
        'Unproven': ('No demostrado',
                     'La evidencia disponible no permite establecer si la afirmación es verdadera o falsa.')}}
SCALE_TRANSLATIONS = {'fa': {'default': ('مقیاس پیش\u200cفرض',
                    'از «درست» تا «نادرست»، به\u200cعلاوهٔ «گمراه\u200cکننده» و «اثبات\u200cنشده».'),
        'conclusion-only': ('فقط نتیجه\u200cگیری',
                            'بدون درجه: هر حکم یک نتیجه\u200cگیری مکتوب منتشر می\u200cکند.')},
 'es': {'default': ('Escala predeterminada', 'De Verdadero a Falso, más Engañoso y No demostrado.'),
        'conclusion-only': ('Solo conclusión',
                            'Sin calificación: cada veredicto publica una conclusión escrita.')}}


def add_translations(apps, schema_editor):
    RatingScale = apps.get_model("claims", "RatingScale")
    Rating = apps.get_model("claims", "Rating")
    RatingScaleTranslation = apps.get_model("claims", "RatingScaleTranslation")
    RatingTranslation = apps.get_model("claims", "RatingTranslation")
    for language, scales in SCALE_TRANSLATIONS.items():
        for slug, (name, description) in scales.items():
            scale = RatingScale.objects.filter(slug=slug).first()
            if scale is not None and (scale.name, scale.description) == DEFAULT_SCALES[slug]:
                RatingScaleTranslation.objects.get_or_create(
                    scale=scale, language=language, defaults={"name": name, "description": description}
                )
    for language, ratings in RATING_TRANSLATIONS.items():
        for rating in Rating.objects.filter(scale__slug="default", label__in=list(ratings)):
            if rating.description == DEFAULT_DEFINITIONS[rating.label]:
                label, description = ratings[rating.label]
                RatingTranslation.objects.get_or_create(
                    rating=rating, language=language, defaults={"label": label, "description": description}
                )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0024_unicode_slugs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalRatingScaleTranslation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('language', models.CharField(choices=claims.models.language_choices, max_length=35)),
                ('name', models.CharField(max_length=100)),
                ('description', models.TextField(blank=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('scale', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='claims.ratingscale')),
            ],
            options={
                'verbose_name': 'historical rating scale translation',
                'verbose_name_plural': 'historical rating scale translations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalRatingTranslation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('language', models.CharField(choices=claims.models.language_choices, max_length=35)),
                ('label', models.CharField(max_length=60)),
                ('description', models.TextField(help_text='The definition shown to the public beside the rating.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('rating', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='claims.rating')),
            ],
            options={
                'verbose_name': 'historical rating translation',
                'verbose_name_plural': 'historical rating translations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='RatingScaleTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=claims.models.language_choices, max_length=35)),
                ('name', models.CharField(max_length=100)),
                ('description', models.TextField(blank=True)),
                ('scale', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='claims.ratingscale')),
            ],
            options={
                'ordering': ['scale', 'language'],
                'constraints': [models.UniqueConstraint(fields=('scale', 'language'), name='rating_scale_translation_unique')],
            },
        ),
        migrations.CreateModel(
            name='RatingTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=claims.models.language_choices, max_length=35)),
                ('label', models.CharField(max_length=60)),
                ('description', models.TextField(help_text='The definition shown to the public beside the rating.')),
                ('rating', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='claims.rating')),
            ],
            options={
                'ordering': ['rating', 'language'],
                'constraints': [models.UniqueConstraint(fields=('rating', 'language'), name='rating_translation_unique')],
            },
        ),
        migrations.RunPython(add_translations, migrations.RunPython.noop),
    ]
