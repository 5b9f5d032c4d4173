"""Nothing but the services changes a status, and they do it through a transitions table.

Walks the source of every app and fails on a status written anywhere else: an
assignment to ``.status``, an ``update(status=...)``, or a save naming
``status`` in ``update_fields``. New records may be created with their first
status by a service.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

APPS = ("accounts", "cases", "agreements", "documents", "liaison", "demo", "qianjiang_mediation")
# The two places a status is set: a case's transition, and every other record's step.
WRITERS = {"cases/services/common.py", "cases/states.py"}


def _sources():
    for app in APPS:
        for path in sorted((settings.BASE_DIR / app).rglob("*.py")):
            relative = path.relative_to(settings.BASE_DIR).as_posix()
            if "/migrations/" not in relative:
                yield relative, ast.parse(path.read_text(encoding="utf-8"), relative)


def _is_status(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "status"


def _names_status(node: ast.AST) -> bool:
    return isinstance(node, ast.List | ast.Tuple | ast.Set) and any(
        isinstance(element, ast.Constant) and element.value == "status" for element in node.elts
    )


def status_writes(relative: str, tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        where = f"{relative}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                elements = target.elts if isinstance(target, ast.Tuple) else [target]
                if any(_is_status(element) for element in elements):
                    found.append(f"{where} assigns .status")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            keywords = {k.arg: k.value for k in node.keywords}
            # A queryset's update (Model.objects.filter(...).update), not a dict's.
            on_queryset = not isinstance(node.func.value, ast.Name)
            if node.func.attr == "update" and "status" in keywords and on_queryset:
                found.append(f"{where} update(status=...)")
            if node.func.attr == "save" and _names_status(keywords.get("update_fields")):
                found.append(f"{where} save(update_fields=[... 'status' ...])")
            if node.func.attr in {"create", "get_or_create", "update_or_create"} and (
                "status" in keywords and "/services/" not in relative
            ):
                found.append(f"{where} creates a record with a status outside a service")
    return found


def test_statuses_are_written_only_through_the_tables():
    offenders = [
        write
        for relative, tree in _sources()
        if relative not in WRITERS
        for write in status_writes(relative, tree)
    ]
    assert offenders == []


def test_the_walk_finds_a_status_write():
    """The checker itself catches each form of a write (so an empty result means something)."""
    source = (
        "obj.status = 'x'\n"
        "a.status, b = 1, 2\n"
        "Model.objects.filter(pk=1).update(status='x')\n"
        "obj.save(update_fields=['status'])\n"
        "data.update(status='printed as text')\n"
        "Model.objects.create(status='x')\n"
    )
    assert len(status_writes("cases/views/x.py", ast.parse(source))) == 5
    assert status_writes("cases/services/x.py", ast.parse("M.objects.create(status='x')")) == []


def test_the_walk_covers_every_app():
    assert {Path(relative).parts[0] for relative, _ in _sources()} >= {
        "accounts",
        "cases",
        "agreements",
        "documents",
    }


# --- Statuses are compared through their enums -------------------------------------------


def _literals(node: ast.AST | None) -> list[str]:
    """The non-empty strings written out in ``node`` (a string, or a list of them)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return [node.value]
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [value for element in node.elts for value in _literals(element)]
    return []


def _is_status_lookup(keyword: str | None) -> bool:
    parts = (keyword or "").split("__")
    return "status" in parts and parts[-1] in {"status", "in", "exact"}


def status_literals(relative: str, tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        where = f"{relative}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_status(side) for side in sides) and any(_literals(s) for s in sides):
                found.append(f"{where} compares .status with a string")
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                if _is_status_lookup(keyword.arg) and _literals(keyword.value):
                    found.append(f"{where} looks up {keyword.arg} by a string")
    return found


def test_statuses_are_compared_through_their_enums():
    """A status in code is its enum's member (Status.CLOSED), never its stored string:
    renaming a value then fails at import, not silently in a filter."""
    offenders = [
        found for relative, tree in _sources() for found in status_literals(relative, tree)
    ]
    assert offenders == []


def test_the_walk_finds_a_status_compared_with_a_string():
    source = (
        "if case.status == 'closed': pass\n"
        "if a.status in ('x', 'y'): pass\n"
        "Model.objects.filter(status='x')\n"
        "Model.objects.filter(case__status__in=['x'])\n"
        "Q(assignments__status='effective')\n"
    )
    assert len(status_literals("cases/views/x.py", ast.parse(source))) == 5
    fine = "if case.status == Status.CLOSED: pass\nM.objects.filter(status=Status.X, kind='y')\n"
    assert status_literals("cases/views/x.py", ast.parse(fine)) == []


# --- ... and so are they in the templates --------------------------------------------------

# A record's status compared with a string in a template tag: {% if o.status == "performed" %},
# or its label with the words shown: {% if o.get_status_display == "已履行" %}.
_TEMPLATE_LITERAL = re.compile(
    r"""\.(?:status|get_status_display)\s*(?:==|!=)\s*["']"""
    r"""|["']\s*(?:==|!=)\s*[\w.]*\.(?:status|get_status_display)\b"""
    r"""|\.status\s+(?:not\s+)?in\s+["']"""
)
# A state named through the record's enum: {% if o.status == o.Status.PERFORMED %}.
_TEMPLATE_MEMBER = re.compile(r"\.Status\.(\w+)")
# Both sides of such a comparison: a template resolves a misspelt record to None on each
# side, and None == None would hold.
_TEMPLATE_SIDES = re.compile(r"([\w.]+)\.status\s*(?:==|!=)\s*([\w.]+)\.Status\.")


def _templates():
    """The pages' templates. Not the documents' themselves (templates/documents/*.html):
    they print a generated document's frozen data (``d``), whose status is already the
    words printed, not a record's state."""
    for path in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        relative = path.relative_to(settings.BASE_DIR).as_posix()
        if path.parent.name != "documents":
            yield relative, path.read_text(encoding="utf-8")


def template_status_problems(relative: str, text: str, members: set[str]) -> list[str]:
    found = []
    for tag in re.findall(r"{%.*?%}", text, flags=re.DOTALL):
        if _TEMPLATE_LITERAL.search(tag):
            found.append(f"{relative}: {tag} compares a status with a string")
        # A template swallows an unknown attribute: a misspelt member would compare false.
        for name in _TEMPLATE_MEMBER.findall(tag):
            if name not in members:
                found.append(f"{relative}: {tag} names no state {name}")
        for record, enum_of in _TEMPLATE_SIDES.findall(tag):
            if record != enum_of:
                found.append(f"{relative}: {tag} compares {record} with {enum_of}'s states")
    return found


def _status_members() -> set[str]:
    return {
        member.name
        for model in apps.get_models()
        if isinstance(getattr(model, "Status", None), type)
        for member in model.Status
    }


def test_templates_compare_statuses_through_their_enums():
    members = _status_members()
    offenders = [
        found
        for relative, text in _templates()
        for found in template_status_problems(relative, text, members)
    ]
    assert offenders == []


def test_the_template_walk_finds_a_status_compared_with_a_string():
    members = {"PERFORMED"}
    wrong = (
        '{% if o.status == "performed" %}{% endif %}'
        "{% if a and c.status != 'applied' %}{% endif %}"
        '{% if "draft" == agreement.status %}{% endif %}'
        "{% if o.status == o.Status.PERFORMD %}{% endif %}"
        '{% elif o.get_status_display == "已履行" %}'
        "{% if o.status != p.Status.PERFORMED %}{% endif %}"
    )
    assert len(template_status_problems("x.html", wrong, members)) == 6
    fine = (
        "{% if o.status == o.Status.PERFORMED %}{% endif %}"
        '{% if show == "open" or status == "open" %}{% endif %}{{ o.status }}'
    )
    assert template_status_problems("x.html", fine, members) == []
    assert {"PERFORMED", "REFERRAL_PENDING", "APPLIED", "EFFECTIVE"} <= _status_members()
