"""Numbers stay unique and gapless when many clerks register at the same moment (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from cases.models import Case
from tests import factories
from tests.factories import person, register
from tests.helpers import citizen_id

WORKERS = 8


def _id(seq: int) -> str:
    return citizen_id(f"429005198001{seq:02d}123")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are only exercised on PostgreSQL; SQLite serialises all writers",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_registrations_get_consecutive_unique_numbers(office, clerk, frozen_today):
    agency = factories.AgencyFactory()
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            barrier.wait()
            register(
                office,
                clerk,
                agency=agency,
                applicants=[person(id_number=_id(index + 1))],
                confirm=True,
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Case.objects.values_list("registration_no", flat=True))
    assert numbers == [f"潜行调登〔2026〕{n:04d}号" for n in range(1, WORKERS + 1)]
