"""Project-wide guarantees: every page needs a login, migrations are complete, the admin renders."""

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories

PUBLIC_URL_NAMES = {"login", "favicon", "healthz"}  # admin:login shares the name


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern.name


def _concrete(route: str) -> str:
    """Fill converters and regex groups with a harmless value."""
    import re

    route = re.sub(r"<(?:int|uuid|slug|str|path):\w+>", "1", route)
    route = re.sub(r"<\w+>", "1", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    return "/" + route.lstrip("^").rstrip("$").replace("\\", "")


ALL_ROUTES = sorted(set(_walk(get_resolver().url_patterns)))


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "namespace", "name"), ALL_ROUTES)
def test_every_page_sends_anonymous_users_to_login(client, route, namespace, name):
    if name in PUBLIC_URL_NAMES:
        pytest.skip("the login pages themselves are public")
    url = _concrete(route)
    response = client.get(url)
    assert response.status_code == 302, url
    assert response["Location"].startswith((reverse("login"), reverse("admin:login"))), url


def test_migrations_are_complete(db):
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.fixture
def superuser_client(client, db):
    user = factories.UserFactory(role="admin", is_superuser=True, username="root")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model_admin",
    sorted(admin.site._registry.values(), key=lambda a: str(a.model._meta)),
    ids=lambda a: str(a.model._meta),
)
def test_admin_pages_render(superuser_client, model_admin):
    meta = model_admin.model._meta
    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    assert superuser_client.get(changelist).status_code == 200
    if model_admin.has_add_permission(_request_for(superuser_client)):
        add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        assert superuser_client.get(add).status_code == 200
    obj = model_admin.model._default_manager.first()
    if obj is not None:
        change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        assert superuser_client.get(change).status_code == 200


def _request_for(client):
    from django.test import RequestFactory

    from accounts.models import User

    request = RequestFactory().get("/")
    request.user = User.objects.get(username="root")
    return request


def test_pages_carry_a_strict_content_security_policy(client_as, clerk):
    response = client_as(clerk).get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_no_inline_scripts_handlers_or_styles_in_templates():
    """CSP forbids them; catch them in review rather than in a user's console."""
    import re
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", text):
            offenders.append(f"{path}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path}: inline event handler")
        if re.search(r"\sstyle\s*=", text) or "<style" in text:
            offenders.append(f"{path}: inline style")
    assert offenders == []


def _all_form_classes():
    import importlib
    import pkgutil

    from django import forms

    for app in ("accounts", "cases", "agreements"):
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".forms" in info.name or info.name.endswith("forms"):
                importlib.import_module(info.name)
    seen, stack = set(), [forms.Form, forms.ModelForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen and sub.__module__.split(".")[0] in {
                "accounts",
                "cases",
                "agreements",
            }:
                seen.add(sub)
                stack.append(sub)
    return seen


def test_no_form_field_shadows_a_property_of_the_html_form():
    """A field named "method" or "action" replaces form.method in the browser and breaks htmx."""
    shadowing = {"method", "action", "submit", "reset", "elements", "target", "length"}
    bad = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _all_form_classes()
        for name in cls.base_fields
        if name in shadowing
    ]
    # Only ever rendered in a formset, where the name becomes "ob-N-method".
    assert bad == ["agreements.forms.ObligationForm.method"]


@pytest.mark.parametrize("app_label", ["cases", "agreements", "documents", "liaison"])
def test_every_model_field_explains_itself(app_label):
    """Clerks and administrators see these fields in forms and the admin, filled or read-only."""
    from django.apps import apps

    unexplained = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config(app_label).get_models()
        # The audit trail's historical copies are written by the library, never edited.
        if not hasattr(model, "instance_type")
        for field in model._meta.get_fields()
        if field.concrete and not field.auto_created and not field.help_text
    ]
    assert unexplained == []
