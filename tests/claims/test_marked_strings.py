"""Every text a person reads is marked for translation (docs/architecture.md, "Languages").

A Persian or Spanish newsroom reads the screens, the refusals and the admin in its own language only if
each text passes through gettext. These tests catch a text left unmarked: a literal (or an f-string, whose
words no catalogue can hold) handed to `messages.*(request, …)`, to `ValidationError(…)` (alone, in a
list or as a dict's values) or to `form.add_error(field, …)`; and a model or field whose name Django would
derive from the code, which no catalogue can translate. Log lines, recorded reasons and developers'
exceptions are not scanned: nobody reads them in the interface.
"""

import ast
from pathlib import Path

from django.apps import apps
from django.utils.functional import Promise

CLAIMS = Path(__file__).resolve().parent.parent.parent / "claims"
MESSAGE_FUNCTIONS = {"debug", "info", "success", "warning", "error", "add_message"}


def _unmarked(node: ast.expr) -> list[ast.expr]:
    """The parts of an argument that are texts written in the code rather than passed through gettext."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip():
        return [node]
    if isinstance(node, ast.JoinedStr):
        return [node]
    if isinstance(node, ast.BinOp):  # "…" % values, "…" + "…"
        return _unmarked(node.left) + (_unmarked(node.right) if isinstance(node.op, ast.Add) else [])
    if isinstance(node, ast.Dict):
        return [part for value in node.values for part in _unmarked(value)]
    if isinstance(node, ast.List | ast.Tuple):
        return [part for element in node.elts for part in _unmarked(element)]
    if isinstance(node, ast.IfExp):
        return _unmarked(node.body) + _unmarked(node.orelse)
    return []


def _shown_argument(call: ast.Call) -> ast.expr | None:
    """The argument of `call` that a person reads, if `call` shows a text: None otherwise."""
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    owner = ast.unparse(call.func.value) if isinstance(call.func, ast.Attribute) else ""
    if name == "ValidationError" and call.args:
        return call.args[0]
    if owner == "messages" and name in MESSAGE_FUNCTIONS:
        index = 2 if name == "add_message" else 1
        return call.args[index] if len(call.args) > index else None
    if name == "add_error" and len(call.args) > 1:
        return call.args[1]
    return None


def unmarked_texts(root: Path) -> list[str]:
    """`path:line: text` for every unmarked text shown through a message, a refusal or a form error."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and (argument := _shown_argument(node)) is not None:
                found += [
                    f"{path.relative_to(root.parent)}:{part.lineno}: {ast.unparse(part)}"
                    for part in _unmarked(argument)
                ]
    return found


def test_no_message_refusal_or_form_error_is_shown_unmarked():
    assert unmarked_texts(CLAIMS) == []


def test_the_scan_finds_a_text_left_unmarked(tmp_path):
    """The scan itself: each form a forgotten mark takes is found, a marked text is not."""
    package = tmp_path / "claims"
    package.mkdir()
    (package / "views.py").write_text(
        "from django.utils.translation import gettext as _\n"
        "def view(request, form, who):\n"
        '    messages.success(request, "Saved.")\n'
        '    messages.error(request, f"Refused by {who}.")\n'
        '    raise ValidationError({"url": "Already on file."})\n'
        '    raise ValidationError(["Too early.", _("Marked.")])\n'
        '    form.add_error("url", "Taken %s" % who)\n'
        '    messages.info(request, _("Marked too."))\n'
        '    raise ValidationError(_("Marked by %(who)s.") % {"who": who})\n',
        encoding="utf-8",
    )
    found = unmarked_texts(package)
    assert [line.split(":")[1] for line in found] == ["3", "4", "5", "6", "7"]


def test_every_model_and_field_has_a_translatable_name():
    """The admin and the forms built from the models label them by these names."""
    unmarked = []
    for model in apps.get_app_config("claims").get_models():
        if model.__name__.startswith("Historical"):
            continue
        for option in ("verbose_name", "verbose_name_plural"):
            if not isinstance(getattr(model._meta, option), Promise):
                unmarked.append(f"{model.__name__}.Meta.{option}")
        for field in model._meta.get_fields():
            if (
                getattr(field, "concrete", False)
                and not field.auto_created
                and not isinstance(field.verbose_name, Promise)
            ):
                unmarked.append(f"{model.__name__}.{field.name}")
    assert unmarked == []
