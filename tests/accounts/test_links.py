"""A record's address reversed once per pattern is the address Django reverses."""

import pytest
from django.urls import NoReverseMatch, get_script_prefix, reverse, set_script_prefix

from accounts.links import record_url


@pytest.mark.parametrize(
    ("viewname", "ids"),
    [
        ("cases:detail", (1,)),
        ("cases:detail", (918273645,)),
        ("cases:detail", (10**12,)),
        ("agreements:detail", (7, 918273646)),
        ("agreements:detail", (918273646, 918273645)),
        ("liaison:lawsuit", (3,)),
        ("liaison:suggestion", (4,)),
        ("liaison:supervision", (5,)),
    ],
)
def test_the_address_is_the_reversed_one(viewname, ids):
    assert record_url(viewname, *ids) == reverse(viewname, args=ids)


def test_the_address_follows_the_script_prefix():
    before = get_script_prefix()
    set_script_prefix("/qj918273645/918273646/")
    try:
        assert record_url("agreements:detail", 5, 6) == reverse("agreements:detail", args=[5, 6])
        assert record_url("cases:detail", 5) == "/qj918273645/918273646/cases/5/"
    finally:
        set_script_prefix(before)
    assert record_url("cases:detail", 5) == "/cases/5/"


def test_a_record_without_an_id_has_no_address():
    with pytest.raises(NoReverseMatch):
        record_url("cases:detail", None)
