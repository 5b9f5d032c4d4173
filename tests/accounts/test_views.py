import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_in_chinese(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "潜江市行政争议化解工作室" in html
    assert "用户名" in html and "密码" in html and "登录" in html
    assert '<html lang="zh-CN">' in html


def test_wrong_password_gets_a_chinese_message_and_keeps_the_username(client, clerk):
    response = client.post(reverse("login"), {"username": "clerk", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in html
    assert 'value="clerk"' in html


def test_login_lands_on_the_home_page(client, clerk):
    response = client.post(
        reverse("login"), {"username": "clerk", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "登记员" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "role_label", "organisation", "areas", "absent"),
    [
        (
            "clerk",
            "登记员",
            "潜江市行政争议化解工作室",
            ["期限计算", "行政机关名录", "节假日安排"],
            ["系统管理"],
        ),
        (
            "mediator",
            "调解员",
            "潜江市行政争议化解工作室",
            ["期限计算", "行政机关名录"],
            ["系统管理"],
        ),
        (
            "head",
            "工作室负责人",
            "潜江市行政争议化解工作室",
            ["期限计算", "行政机关名录"],
            ["系统管理"],
        ),
        (
            "court_liaison",
            "法院联络员",
            "潜江市人民法院",
            ["期限计算", "节假日安排"],
            ["行政机关名录", "系统管理"],
        ),
        ("gov_liaison", "司法局联络员", None, ["行政机关名录"], ["系统管理"]),
        ("admin_user", "系统管理员", None, ["系统管理"], []),
    ],
)
def test_each_role_lands_on_its_own_home_page(
    request, client_as, persona, role_label, organisation, areas, absent
):
    user = request.getfixturevalue(persona)
    html = client_as(user).get(reverse("home")).content.decode()
    assert f"{user.name}，您好" in html
    assert role_label in html
    if organisation:
        assert organisation in html
    for area in areas:
        assert area in html
    for area in absent:
        assert area not in html
    assert "修改密码" in html


def test_logout_needs_post_and_ends_the_session(client_as, clerk):
    client = client_as(clerk)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_in_chinese(client_as, clerk):
    client = client_as(clerk)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "x", "new_password2": "y"},
    )
    html = response.content.decode()
    assert "你的旧密码不正确" in html
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Qj-new-passw0rd",
            "new_password2": "Qj-new-passw0rd",
        },
        follow=True,
    )
    assert "密码已修改" in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password("Qj-new-passw0rd")


def test_admin_cannot_grant_superuser_rights(client_as, admin_user, clerk):
    client = client_as(admin_user)
    page = client.get(reverse("admin:accounts_user_change", args=[clerk.pk])).content.decode()
    assert 'name="is_superuser"' not in page


def test_admin_changes_a_role_and_the_group_follows(client_as, admin_user, clerk):
    client = client_as(admin_user)
    url = reverse("admin:accounts_user_change", args=[clerk.pk])
    response = client.post(
        url,
        {
            "username": clerk.username,
            "name": clerk.name,
            "email": "",
            "phone": "",
            "role": Role.MEDIATOR,
            "office": clerk.office_id,
            "court": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    clerk.refresh_from_db()
    assert clerk.role == Role.MEDIATOR
    assert list(clerk.groups.values_list("name", flat=True)) == ["调解员"]


def test_admin_form_rejects_a_clerk_without_office(client_as, admin_user, clerk):
    client = client_as(admin_user)
    url = reverse("admin:accounts_user_change", args=[clerk.pk])
    response = client.post(
        url,
        {
            "username": clerk.username,
            "name": clerk.name,
            "role": Role.CLERK,
            "office": "",
            "court": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "“登记员”必须选择所属工作室。" in response.content.decode()
