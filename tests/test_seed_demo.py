import runpy

import environ
import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.test import modify_settings

from accounts.models import Court, Office, Role, User
from cases.identifiers import parse_uscc
from cases.models import Agency
from demo.accounts import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_app_installed():
    """seed_demo belongs to the demo app, which development settings (DEBUG) install."""
    if "demo" in django_settings.INSTALLED_APPS:
        yield
        return
    with modify_settings(INSTALLED_APPS={"append": "demo"}):
        yield


@pytest.mark.parametrize(
    ("debug", "demo", "installed"),
    [
        ("false", None, False),
        ("false", "false", False),
        ("false", "true", True),
        ("true", None, True),
    ],
)
def test_the_demo_app_is_left_out_of_production_unless_asked_for(
    monkeypatch, debug, demo, installed
):
    # Only the environment given here counts, not the developer's .env.
    monkeypatch.setattr(environ.Env, "read_env", lambda *args, **kwargs: None)
    monkeypatch.setenv("DJANGO_SECRET_KEY", "settings-test-0123456789abcdefghijklmnopqrstuvwxyz")
    monkeypatch.setenv("DJANGO_DEBUG", debug)
    if demo is None:
        monkeypatch.delenv("DJANGO_DEMO", raising=False)
    else:
        monkeypatch.setenv("DJANGO_DEMO", demo)
    namespace = runpy.run_path(
        str(django_settings.BASE_DIR / "qianjiang_mediation" / "settings.py")
    )
    assert ("demo" in namespace["INSTALLED_APPS"]) is installed


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
    assert "agency" in out and "机关应诉联络员" in out
    # Seeding twice made the registers once, with the joint meeting's figures.
    _registers_hold_the_joint_meetings_figures()
    # What the court reads: one referral's transfer package, another's consent.
    from cases.models import TranscriptAccess, TransferItem

    assert TransferItem.objects.filter(case__status="terminated").count() == 1
    assert TranscriptAccess.objects.filter(basis="consent", withdrawn_at__isnull=True).count() == 1


def _figures(year: int) -> tuple[int, int, int]:
    from liaison.models import Instance, Lawsuit

    first = Lawsuit.objects.filter(instance=Instance.FIRST)
    concluded = first.filter(concluded_on__year=year, result_type__counts_as_concluded=True)
    return (
        first.filter(filed_on__year=year).count(),
        concluded.count(),
        concluded.filter(result_type__counts_as_loss=True).count(),
    )


def _registers_hold_the_joint_meetings_figures():
    """2023: 51 filed, 36 concluded, 1 lost (1/36 = 2.77%); 2022: 11 of 50 lost (22%)."""
    from liaison.models import AnnualReport, Lawsuit, Recipient, SupervisionItem
    from liaison.permissions import lawsuits_visible_to

    assert _figures(2023) == (51, 36, 1)
    assert _figures(2022)[1:] == (50, 11)
    contact = User.objects.get(username="agency")
    visible = lawsuits_visible_to(contact)
    assert 0 < visible.count() < Lawsuit.objects.count()
    assert all(
        any(d.agency_id == contact.agency_id for d in lawsuit.defendants.all())
        for lawsuit in visible.prefetch_related("defendants")
    )
    assert Recipient.objects.filter(status=Recipient.Status.AWAITING).exists()
    assert SupervisionItem.objects.exclude(status=SupervisionItem.Status.CLOSED).exists()
    report = AnnualReport.objects.get(year=2023)
    assert report.snapshot["figures"]["loss_rate"]["display"] == "2.77%"
    # Issued after the reconsideration figures were entered: the report counts them.
    correction = report.snapshot["figures"]["reconsideration_correction_rate"]
    assert correction["display"].endswith("%"), correction


def test_seed_demo_refuses_demo_accounts_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="拒绝创建使用公开密码的演示账号"):
        call_command("seed_demo", "--without-cases")
    assert not User.objects.exists()


def test_seed_demo_can_be_forced(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force", "--without-cases")
    assert User.objects.filter(username="head", role=Role.HEAD).exists()
