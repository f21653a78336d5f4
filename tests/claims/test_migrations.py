"""Migrations import no app code: they copy the literals they need, so changing the app never changes history."""

import ast
from pathlib import Path

import claims.migrations

MIGRATIONS = sorted(Path(claims.migrations.__file__).parent.glob("0*.py"))
# Django names a field's storage and its callable choices by reference; both are looked up, not used for data.
REFERENCES_DJANGO_NEEDS = {
    ("0001_initial.py", "claims.models"),  # time_zone_choices
    ("0008_fetched_files.py", "claims.fetched_files"),  # fetched_storage
    ("0021_webhooks_and_exports.py", "claims.export_files"),  # export_storage
    ("0023_languages.py", "claims.models"),  # language_choices
    ("0025_rating_translations.py", "claims.models"),  # language_choices
    # Every field's translatable name: Django repeats each altered field whole, storages and choices too.
    ("0028_verbose_names.py", "claims.models"),
    ("0028_verbose_names.py", "claims.fetched_files"),
    ("0028_verbose_names.py", "claims.export_files"),
}


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def test_migrations_import_no_app_code():
    app_imports = {
        (path.name, module)
        for path in MIGRATIONS
        for module in imported_modules(path)
        if module == "claims" or module.startswith("claims.")
    }
    assert MIGRATIONS and app_imports == REFERENCES_DJANGO_NEEDS
