"""What a service refused, shown on the form that was sent."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on `form`, whatever fields it names.

    A message about a field the form shows goes beside it: the field itself, the
    search box of a picker (`source` → `source_query`), or the field of a form
    nested in it (a new source's `url`). Any other goes above the form, with the
    field's name, so no message is lost and none makes the form raise.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        messages = ValidationError(errors).messages
        shown_in = None if name == NON_FIELD_ERRORS else _field_showing(form, name)
        if shown_in is not None:
            owner, field = shown_in
            owner.add_error(field, messages)
        elif name == NON_FIELD_ERRORS:
            form.add_error(None, messages)
        else:
            label = _label(form, name)
            form.add_error(None, [f"{label}: {message}" for message in messages])


def _field_showing(form: forms.BaseForm, name: str) -> tuple[forms.BaseForm, str] | None:
    for candidate in (name, f"{name}_query"):
        if candidate in form.fields:
            return form, candidate
    for nested in _nested_forms(form):
        if name in nested.fields:
            return nested, name
    return None


def _nested_forms(form: forms.BaseForm) -> list[forms.BaseForm]:
    """Forms held by the form (ClaimSourceAddForm.source_form) that were validated with it."""
    return [
        value for value in vars(form).values() if isinstance(value, forms.BaseForm) and hasattr(value, "cleaned_data")
    ]


def _label(form: forms.BaseForm, name: str) -> str:
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name).capitalize()
        except FieldDoesNotExist:
            pass
    return name.replace("_", " ").capitalize()
