import pytest
from django.core.management import CommandError, call_command

from accounts.models import Court, Office, Role, User
from cases.identifiers import parse_uscc
from cases.models import Agency
from qianjiang_mediation.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_one_user_per_role_and_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert Office.objects.count() == 1
    assert set(Court.objects.values_list("code", flat=True)) == {"鄂9005", "鄂96"}
    assert Agency.objects.count() >= 20
    assert all(
        parse_uscc(code).checksum_ok for code in Agency.objects.values_list("uscc", flat=True)
    )
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD)
        user.full_clean()
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    assert "clerk" in out and "法院联络员" in out


def test_seed_demo_refuses_demo_accounts_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="拒绝创建使用公开密码的演示账号"):
        call_command("seed_demo", "--without-cases")
    assert not User.objects.exists()


def test_seed_demo_can_be_forced(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force", "--without-cases")
    assert User.objects.filter(username="head", role=Role.HEAD).exists()
