"""The Django admin covers every model, with filters, search and history where it is kept."""

import pytest
from django.apps import apps
from simple_history.admin import SimpleHistoryAdmin

from claims.admin import admin_site

MODELS = [
    model
    for model in apps.get_app_config("claims").get_models()
    if model._meta.managed and not model.__name__.startswith("Historical")
]


def filterable(model) -> bool:
    """Has a field worth a list filter: choices, a flag, a relation or a date."""
    return any(
        field.choices or field.get_internal_type() in ("BooleanField", "ForeignKey", "DateField", "DateTimeField")
        for field in model._meta.get_fields()
        if field.concrete and not field.primary_key
    )


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_model_is_in_the_admin_with_filters_and_search(model):
    assert model in admin_site._registry, f"Register {model.__name__} in claims/admin.py"
    model_admin = admin_site._registry[model]
    if filterable(model):
        assert model_admin.list_filter, f"{model.__name__}'s admin needs list_filter"
    assert model_admin.search_fields, f"{model.__name__}'s admin needs search_fields"


@pytest.mark.parametrize(
    "model", [model for model in MODELS if hasattr(model, "history")], ids=lambda model: model.__name__
)
def test_models_with_history_show_it_in_the_admin(model):
    assert isinstance(admin_site._registry[model], SimpleHistoryAdmin)
