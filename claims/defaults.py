"""What every installation starts with: the role groups, the settings row, the rating scales.

Migrations 0002 and 0004 create them on a new database (with copies of these
literals: a migration imports no app code); `ensure_defaults` creates them again
in a database that was flushed, as tests do. Each function is idempotent.

The two scales and the default scale's ratings also come in Persian and Spanish
(`RatingScaleTranslation`, `RatingTranslation`; migration 0022 gives them to a
scale whose English text is still as shipped). The translations await review by
a native speaker, and a newsroom edits them in the admin like the ratings.
"""

from django.apps import apps as current_apps

from claims.permissions import ROLE_GROUPS

DEFAULT_RATINGS = [
    # label, colour, value, definition
    ("True", "green", 5, "The claim is accurate and nothing significant is missing."),
    ("Mostly true", "lime", 4, "The claim is accurate but needs clarification or additional information."),
    (
        "Half true",
        "yellow",
        3,
        "The claim is partially accurate but leaves out important details or takes things out of context.",
    ),
    (
        "Mostly false",
        "orange",
        2,
        "The claim contains an element of truth but ignores critical facts that would give a different impression.",
    ),
    ("False", "red", 1, "The claim is not accurate."),
    ("Misleading", "purple", None, "The claim uses accurate facts in a way that gives a false impression."),
    ("Unproven", "grey", None, "The evidence available does not establish whether the claim is true or false."),
]


# language -> the default scale's ratings (English label -> label, definition), in DEFAULT_RATINGS' order.
RATING_TRANSLATIONS = {
    "fa": {
        "True": ("درست", "ادعا دقیق است و چیز مهمی از آن جا نیفتاده است."),
        "Mostly true": ("عمدتاً درست", "ادعا دقیق است اما به توضیح یا اطلاعات بیشتری نیاز دارد."),
        "Half true": (
            "نیمه‌درست",
            "ادعا تا اندازه‌ای دقیق است اما جزئیات مهمی را نادیده می‌گیرد یا مطالب را از بافتشان جدا می‌کند.",
        ),
        "Mostly false": (
            "عمدتاً نادرست",
            "ادعا رگه‌ای از حقیقت دارد اما واقعیت‌های مهمی را نادیده می‌گیرد که برداشت دیگری پدید می‌آورند.",
        ),
        "False": ("نادرست", "ادعا دقیق نیست."),
        "Misleading": ("گمراه‌کننده", "ادعا واقعیت‌های دقیق را به گونه‌ای به کار می‌برد که برداشتی نادرست پدید می‌آورد."),
        "Unproven": ("اثبات‌نشده", "شواهد موجود نشان نمی‌دهند که ادعا درست است یا نادرست."),
    },
    "es": {
        "True": ("Verdadero", "La afirmación es exacta y no le falta nada importante."),
        "Mostly true": (
            "Mayormente verdadero",
            "La afirmación es exacta pero necesita aclaración o información adicional.",
        ),
        "Half true": (
            "Verdad a medias",
            "La afirmación es parcialmente exacta pero omite detalles importantes o saca las cosas de contexto.",
        ),
        "Mostly false": (
            "Mayormente falso",
            "La afirmación contiene un elemento de verdad pero ignora hechos fundamentales que darían una "
            "impresión diferente.",
        ),
        "False": ("Falso", "La afirmación no es exacta."),
        "Misleading": ("Engañoso", "La afirmación usa hechos exactos de un modo que da una impresión falsa."),
        "Unproven": (
            "No demostrado",
            "La evidencia disponible no permite establecer si la afirmación es verdadera o falsa.",
        ),
    },
}
# language -> scale slug -> (name, description)
SCALE_TRANSLATIONS = {
    "fa": {
        "default": ("مقیاس پیش‌فرض", "از «درست» تا «نادرست»، به‌علاوهٔ «گمراه‌کننده» و «اثبات‌نشده»."),
        "conclusion-only": ("فقط نتیجه‌گیری", "بدون درجه: هر حکم یک نتیجه‌گیری مکتوب منتشر می‌کند."),
    },
    "es": {
        "default": ("Escala predeterminada", "De Verdadero a Falso, más Engañoso y No demostrado."),
        "conclusion-only": ("Solo conclusión", "Sin calificación: cada veredicto publica una conclusión escrita."),
    },
}
DEFAULT_SCALES = {
    "default": ("Default scale", "From True to False, plus Misleading and Unproven."),
    "conclusion-only": ("Conclusion only", "No rating: each verdict publishes a written conclusion."),
}


def ensure_roles(apps=current_apps):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


def ensure_site_settings(apps=current_apps):
    apps.get_model("claims", "SiteSettings").objects.get_or_create(pk=1)


def ensure_rating_scales(apps=current_apps):
    RatingScale = apps.get_model("claims", "RatingScale")
    Rating = apps.get_model("claims", "Rating")
    SiteSettings = apps.get_model("claims", "SiteSettings")
    default, _ = RatingScale.objects.get_or_create(
        slug="default", defaults=dict(zip(("name", "description"), DEFAULT_SCALES["default"], strict=True))
    )
    for order, (label, colour, value, description) in enumerate(DEFAULT_RATINGS, start=1):
        Rating.objects.get_or_create(
            scale=default,
            label=label,
            defaults={"colour": colour, "value": value, "order": order, "description": description},
        )
    name, description = DEFAULT_SCALES["conclusion-only"]
    RatingScale.objects.get_or_create(
        slug="conclusion-only", defaults={"name": name, "description": description, "conclusion_only": True}
    )
    SiteSettings.objects.filter(pk=1, active_rating_scale__isnull=True).update(active_rating_scale=default)
    ensure_rating_translations(apps)


def ensure_rating_translations(apps=current_apps):
    """The Persian and Spanish texts of the shipped scales, for each scale and rating still as shipped in
    English (one the newsroom reworded keeps only its own words); a translation on file is kept."""
    RatingScale = apps.get_model("claims", "RatingScale")
    Rating = apps.get_model("claims", "Rating")
    RatingScaleTranslation = apps.get_model("claims", "RatingScaleTranslation")
    RatingTranslation = apps.get_model("claims", "RatingTranslation")
    definitions = {label: description for label, _colour, _value, description in DEFAULT_RATINGS}
    for language, scales in SCALE_TRANSLATIONS.items():
        for slug, (name, description) in scales.items():
            scale = RatingScale.objects.filter(slug=slug).first()
            if scale is not None and (scale.name, scale.description) == DEFAULT_SCALES[slug]:
                RatingScaleTranslation.objects.get_or_create(
                    scale=scale, language=language, defaults={"name": name, "description": description}
                )
    for language, ratings in RATING_TRANSLATIONS.items():
        for rating in Rating.objects.filter(scale__slug="default", label__in=list(ratings)):
            if rating.description == definitions[rating.label]:
                label, description = ratings[rating.label]
                RatingTranslation.objects.get_or_create(
                    rating=rating, language=language, defaults={"label": label, "description": description}
                )


def ensure_defaults():
    ensure_roles()
    ensure_site_settings()
    ensure_rating_scales()
