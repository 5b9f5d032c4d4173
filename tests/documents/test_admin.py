"""The document templates in the admin: one row per type, only the template path is editable."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents.models import DocumentTemplate, Kind, validate_document_template
from documents.services import template_for
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

BAD_NAME = "请填写 templates/documents/ 下某一文书的模板"


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(role="admin", is_superuser=True, username="root"))
    return client


def change_url(row) -> str:
    return reverse("admin:documents_documenttemplate_change", args=[row.pk])


def row(kind="acceptance_notice") -> DocumentTemplate:
    return DocumentTemplate.objects.get(kind=kind)


def test_one_row_per_document_type_is_seeded():
    rows = dict(DocumentTemplate.objects.values_list("kind", "template_name"))
    assert rows == {kind: f"documents/{kind}.html" for kind in Kind.values}


def test_changelist_and_change_page(superuser_client):
    response = superuser_client.get(reverse("admin:documents_documenttemplate_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    for kind in Kind:
        assert kind.label in html
        assert f"documents/{kind.value}.html" in html
    response = superuser_client.get(change_url(row()))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="documents/acceptance_notice.html"' in html
    assert "documents/print.css" in html
    assert re.search(r"\b[0-9a-f]{64}\b", html), "the template's SHA-256 is shown"
    assert "受理通知书" in html


LOCAL = "documents/本地/acceptance_notice_2027.html"


@pytest.fixture
def local_template(settings, tmp_path):
    """An office's own version of the acceptance notice, in a second template folder."""
    from django.conf import settings as django_settings

    folder = tmp_path / "documents" / "本地"
    folder.mkdir(parents=True)
    standard = django_settings.BASE_DIR / "templates" / "documents" / "acceptance_notice.html"
    (folder / "acceptance_notice_2027.html").write_text(
        standard.read_text(encoding="utf-8"), encoding="utf-8"
    )
    engine = {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    settings.TEMPLATES = [engine]
    return LOCAL


def test_the_system_administrator_may_edit_the_templates(client_as, admin_user, local_template):
    client = client_as(admin_user)
    assert client.get(change_url(row())).status_code == 200
    response = client.post(change_url(row()), {"template_name": local_template})
    assert response.status_code == 302
    assert row().template_name == local_template


def test_no_add_or_delete(superuser_client):
    assert superuser_client.get(reverse("admin:documents_documenttemplate_add")).status_code == 403
    delete = reverse("admin:documents_documenttemplate_delete", args=[row().pk])
    assert superuser_client.get(delete).status_code == 403
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert DocumentTemplate.objects.count() == len(Kind.values)


def test_saving_the_template_again_is_accepted(superuser_client):
    response = superuser_client.post(
        change_url(row()), {"template_name": "documents/acceptance_notice.html"}
    )
    assert response.status_code == 302
    assert row().template_name == "documents/acceptance_notice.html"


def test_changing_the_template_takes_effect_and_back(superuser_client, local_template):
    response = superuser_client.post(change_url(row()), {"template_name": local_template})
    assert response.status_code == 302
    assert row().template_name == local_template
    assert template_for("acceptance_notice") == local_template
    assert local_template in superuser_client.get(change_url(row())).content.decode()
    response = superuser_client.post(
        change_url(row()), {"template_name": "documents/acceptance_notice.html"}
    )
    assert response.status_code == 302
    assert row().template_name == "documents/acceptance_notice.html"


def test_saving_the_template_of_another_type_is_refused(superuser_client):
    response = superuser_client.post(
        change_url(row()), {"template_name": "documents/rights_notice.html"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errorlist' in html
    assert "“acceptance_notice”开头" in html
    assert row().template_name == "documents/acceptance_notice.html"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("documents/nonexistent.html", "找不到模板 documents/nonexistent.html。"),
        ("documents/base.html", BAD_NAME),
        ("documents/_seal.html", BAD_NAME),
        ("documents/_parties.html", BAD_NAME),
        ("documents/ui/panel.html", BAD_NAME),
        ("documents/print.css", BAD_NAME),
        ("cases/case_detail.html", BAD_NAME),
        ("base.html", BAD_NAME),
        ("/etc/passwd", BAD_NAME),
        ("", "这个字段是必填项。"),
    ],
)
def test_saving_a_template_that_is_not_a_document_is_refused(superuser_client, name, message):
    response = superuser_client.post(change_url(row()), {"template_name": name})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert row().template_name == "documents/acceptance_notice.html"


@pytest.mark.parametrize(
    "name",
    [
        "documents/../cases/case_detail.html",
        "documents/./base.html",
        "documents/../documents/_seal.html",
    ],
)
def test_saving_a_path_that_leaves_the_documents_folder_is_refused(superuser_client, name):
    response = superuser_client.post(change_url(row()), {"template_name": name})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert row().template_name == "documents/acceptance_notice.html"


@pytest.mark.parametrize("name", ["documents/../cases/case_detail.html", "documents/./base.html"])
def test_the_template_validator_refuses_dot_segments(name):
    with pytest.raises(ValidationError):
        validate_document_template(name)
