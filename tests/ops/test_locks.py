"""The periodic commands run on one host at a time: a second start skips its run."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from cases.models import Notification
from qianjiang_mediation.locks import lock_key, one_host_at_a_time
from tests.factories import accepted_case
from tests.ops.helpers import OtherHost, Target, postgres_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="advisory locks are PostgreSQL's; SQLite is the single-host installation",
)


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def other_host():
    host = OtherHost()
    yield host
    host.close()


def test_each_command_has_its_own_stable_key():
    assert lock_key("send_reminders") == lock_key("send_reminders")
    assert lock_key("send_reminders") != lock_key("backup")
    assert -(2**63) <= lock_key("backup") < 2**63


@postgresql_only
def test_reminders_started_while_another_host_runs_them_do_nothing(
    office, clerk, head, mediator, other_host
):
    case = accepted_case(office, clerk, head)
    other_host.hold("send_reminders")

    output = run("send_reminders", "--date", "2026-12-27")

    assert output.strip() == "另一台主机正在运行 send_reminders，本次不执行。"
    assert not Notification.objects.filter(key__startswith="deadline:").exists()

    other_host.release("send_reminders")
    output = run("send_reminders", "--date", "2026-12-27")

    assert "发送提醒 1 条，涉及案件 1 件。" in output
    assert list(Notification.objects.values_list("key", flat=True)) == [
        f"deadline:{case.pk}:mediation:20261228:d1"
    ]
    # Released at the end: the next host can take it.
    assert other_host.try_take("send_reminders")


@postgresql_only
def test_the_lock_is_released_when_the_command_fails(other_host):
    with pytest.raises(RuntimeError), one_host_at_a_time("send_reminders") as acquired:
        assert acquired
        assert not other_host.try_take("send_reminders")
        raise RuntimeError
    assert other_host.try_take("send_reminders")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite needs no lock")
def test_on_sqlite_the_commands_always_run(office, clerk, head):
    accepted_case(office, clerk, head)
    with one_host_at_a_time("send_reminders") as acquired:
        assert acquired
    assert "发送提醒 1 条" in run("send_reminders", "--date", "2026-12-27")


@postgresql_only
def test_a_second_host_exits_with_status_zero_saying_another_host_runs_it(other_host, tmp_path):
    other_host.hold("send_reminders")
    other_host.hold("backup")
    # Another process on the same (test) database, as a second host's timer would start it.
    host = Target(
        postgres_url(connection.settings_dict["NAME"]),
        media=tmp_path / "media",
        private=tmp_path / "private",
    )

    reminders = host.manage("send_reminders")
    backup = host.manage("backup", "--dir", str(tmp_path / "backups"))

    assert (reminders.returncode, reminders.stdout.strip()) == (
        0,
        "另一台主机正在运行 send_reminders，本次不执行。",
    )
    assert (backup.returncode, backup.stdout.strip()) == (
        0,
        "另一台主机正在运行 backup，本次不执行。",
    )
    assert not (tmp_path / "backups").exists()
