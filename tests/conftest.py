"""Shared fixtures: fast, production-like settings and one persona per role."""

import os

import factory.random
import pytest
from django.test import Client, override_settings

from accounts.models import Role
from tests import factories, url_matrix

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# made by fixtures in that thread are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def _test_settings(tmp_path_factory):
    """Production behaviour (DEBUG off) without HTTPS, with a fast hasher and private dirs."""
    with override_settings(
        DEBUG=False,
        ALLOWED_HOSTS=["testserver", "localhost", "127.0.0.1"],
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": tmp_path_factory.mktemp("private")},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        yield


@pytest.fixture
def office(db):
    return factories.OfficeFactory()


@pytest.fixture
def other_office(db):
    return factories.OfficeFactory(name="荆州市行政争议化解工作室", short_name="荆州行调室")


@pytest.fixture
def court(db):
    return factories.CourtFactory()


@pytest.fixture
def other_court(db):
    return factories.CourtFactory(name="仙桃市人民法院", code="鄂9004")


@pytest.fixture
def clerk(office):
    return factories.UserFactory(role=Role.CLERK, office=office, username="clerk")


@pytest.fixture
def mediator(office):
    return factories.UserFactory(role=Role.MEDIATOR, office=office, username="mediator")


@pytest.fixture
def head(office):
    return factories.UserFactory(role=Role.HEAD, office=office, username="head")


@pytest.fixture
def mediator2(office):
    """A mediator of the same office who is not assigned to the case."""
    user = factories.UserFactory(role=Role.MEDIATOR, office=office, username="mediator2")
    factories.MediatorFactory(user=user)
    return user


@pytest.fixture
def other_head(other_office):
    return factories.UserFactory(role=Role.HEAD, office=other_office, username="other_head")


@pytest.fixture
def other_mediator(other_office):
    user = factories.UserFactory(role=Role.MEDIATOR, office=other_office, username="other_mediator")
    factories.MediatorFactory(user=user)
    return user


@pytest.fixture
def other_office_clerk(other_office):
    return factories.UserFactory(role=Role.CLERK, office=other_office, username="other_clerk")


@pytest.fixture
def court_liaison(court):
    return factories.UserFactory(role=Role.COURT_LIAISON, court=court, username="court")


@pytest.fixture
def other_court_liaison(other_court):
    return factories.UserFactory(role=Role.COURT_LIAISON, court=other_court, username="other_court")


@pytest.fixture
def gov_liaison(db):
    return factories.UserFactory(role=Role.GOV_LIAISON, username="gov")


@pytest.fixture
def agency(db):
    return factories.AgencyFactory(name="潜江市人力资源和社会保障局", short_name="市人社局")


@pytest.fixture
def other_agency(db):
    return factories.AgencyFactory(name="潜江市公安局", short_name="市公安局")


@pytest.fixture
def agency_contact(agency):
    return factories.UserFactory(role=Role.AGENCY_CONTACT, agency=agency, username="agency")


@pytest.fixture
def other_agency_contact(other_agency):
    return factories.UserFactory(
        role=Role.AGENCY_CONTACT, agency=other_agency, username="other_agency"
    )


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(role=Role.ADMIN, username="sysadmin")


@pytest.fixture
def client_as():
    """``client_as(user)`` returns a test client signed in as that user."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Make the serialized test database visible to every connection object.

    Browser tests use transactional tests with ``serialized_rollback`` so the
    rows the data migrations created (role groups, categories, holidays) come
    back after each flush. Django keeps that snapshot on the connection object,
    but the live server and Playwright's event loop can leave a test holding a
    different connection object for the same database, which would silently
    skip the restore. Keeping the snapshot on the wrapper class avoids that.
    """
    from django.db import connections

    wrapper = connections["default"]
    contents = getattr(wrapper, "_test_serialized_contents", None)
    if contents is not None:
        type(wrapper)._test_serialized_contents = contents
    yield
    if contents is not None:
        del type(wrapper)._test_serialized_contents


@pytest.fixture(autouse=True)
def _fake_data_of_the_test_alone(request):
    """Faker's names and the factories' random values depend on the test alone, not on
    which tests ran before it in its process (which `make test` spreads over processes)."""
    factory.random.reseed_random(request.node.nodeid)


@pytest.fixture(autouse=True, scope="session")
def _record_url_matrix():
    """Note, for every request the test client makes, what it proved about its URL
    pattern (tests/url_matrix.py)."""
    original = Client.request

    def request(self, **environ):
        response = original(self, **environ)
        url_matrix.record(environ.get("PATH_INFO", ""), response)
        return response

    Client.request = request
    yield
    Client.request = original


# The longest tests (`pytest --durations`): started first among the tests of their kind,
# so that when the suite is spread over several processes (`make test`) none of them is
# left running alone at the end.
LONGEST_FIRST = (
    "tests/test_seed_demo.py::test_seed_demo_creates_one_user_per_role_and_is_idempotent",
    "tests/ops/test_round_trip.py::",
    "tests/test_query_parameters.py::test_every_query_parameter_survives_bad_values",
    "tests/browser/test_agreement_journey.py::",
    "tests/browser/test_mediation_journey.py::",
    "tests/browser/test_liaison_journey.py::",
)


def _kind(item) -> tuple[bool, bool]:
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return (False, False)
    return (True, bool(marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))


def pytest_collection_modifyitems(session, config, items):
    """Within each kind of test, in the order pytest-django gave them (database tests,
    then transactional ones, then the rest), the longest first; the URL-matrix test
    runs last, after every request it reads."""
    rank: dict[tuple[bool, bool], int] = {}
    for item in items:
        rank.setdefault(_kind(item), len(rank))
    items.sort(key=lambda item: (rank[_kind(item)], not item.nodeid.startswith(LONGEST_FIRST)))
    last = [item for item in items if item.name == "test_every_url_is_in_the_permission_matrix"]
    for item in last:
        items.remove(item)
        items.append(item)


def pytest_collection_finish(session):
    """Whether every test module (browser tests aside) is in this run, none deselected:
    the URL-matrix test judges only such a run."""
    from pathlib import Path

    here = Path(__file__).parent
    # Browser tests drive a live server, not the test client: they prove nothing here.
    every_module = {
        p.resolve() for p in here.rglob("test_*.py") if "browser" not in p.relative_to(here).parts
    }
    collected = {Path(str(item.fspath)).resolve() for item in session.items}
    options = session.config.option
    session.config.whole_suite_collected = every_module <= collected and not (
        getattr(options, "keyword", "") or getattr(options, "markexpr", "")
    )


def pytest_sessionfinish(session, exitstatus):
    """With pytest-xdist (`make test`), each process hands what its requests proved to
    the controlling process, which judges the URL matrix once every process is done."""
    config = session.config
    if hasattr(config, "workeroutput"):
        config.workeroutput["url_matrix"] = {
            name: sorted(proofs) for name, proofs in url_matrix.PROVEN.items()
        }
        config.workeroutput["whole_suite_collected"] = getattr(
            config, "whole_suite_collected", False
        )
        return
    judged = getattr(config, "url_matrix_processes", None)
    if not judged or not all(judged) or exitstatus not in (0, 1):
        return  # one process (tests/test_url_matrix.py judged), or not the whole suite
    from tests.test_url_matrix import missing_proofs, report

    if missing := missing_proofs():
        terminal = config.pluginmanager.get_plugin("terminalreporter")
        terminal.write_line("")
        terminal.write_line(
            "FAILED the permission matrix (tests/test_url_matrix.py): these URL patterns "
            "lack a proof",
            red=True,
            bold=True,
        )
        terminal.write_line(report(missing))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """pytest-xdist's controller: gather one process's proofs (see above)."""
    output = getattr(node, "workeroutput", {})
    for name, proofs in output.get("url_matrix", {}).items():
        url_matrix.PROVEN[name].update(proofs)
    processes = node.config.__dict__.setdefault("url_matrix_processes", [])
    processes.append(output.get("whole_suite_collected", False) and error is None)


@pytest.fixture
def frozen_today(time_machine):
    """The session's date: 2026-11-27, a Friday (10:00 in Qianjiang)."""
    time_machine.move_to("2026-11-27 10:00+08:00", tick=False)
