"""The lists' filters offer reference data read in one plain query."""

import pytest
from django import forms
from django.db import connection

from cases.forms.common import FilterChoiceField
from cases.forms.register import CaseFilterForm
from cases.models import Agency

pytestmark = pytest.mark.django_db


def test_the_choices_are_those_django_offers_read_in_one_query(
    django_assert_num_queries, monkeypatch
):
    Agency.objects.create(name="潜江市测试局", short_name="测试局")
    plain = forms.ModelChoiceField(queryset=Agency.objects.all(), empty_label="全部")
    field = FilterChoiceField(queryset=Agency.objects.all(), empty_label="全部")
    expected = [(str(value), label) for value, label in plain.choices]
    # Not through QuerySet.iterator(), whose chunked cursor is server-side on PostgreSQL.
    monkeypatch.setattr(connection, "chunked_cursor", None)
    with pytest.raises(TypeError):
        list(plain.choices)
    with django_assert_num_queries(1):
        choices = [(str(value), label) for value, label in field.choices]
    assert choices == expected
    assert choices[0] == ("", "全部") and "潜江市测试局" in dict(choices).values()


def test_the_register_filters_use_it_and_still_validate_a_choice():
    agency = Agency.objects.create(name="潜江市测试局", short_name="测试局")
    form = CaseFilterForm({"agency": str(agency.pk)})
    assert all(
        isinstance(form.fields[name], FilterChoiceField) for name in ("category", "agency", "court")
    )
    assert form.is_valid() and form.cleaned_data["agency"] == agency
    assert not CaseFilterForm({"agency": "999999"}).is_valid()


def test_every_filter_labels_its_choices_as_the_model_does():
    """Each filter's label column is the one its model's ``__str__`` shows."""
    from liaison.forms import LawsuitFilterForm, SuggestionFilterForm, SupervisionFilterForm
    from tests.factories import CourtFactory

    Agency.objects.create(name="潜江市测试局", short_name="测试局")
    CourtFactory()
    checked = 0
    for form_class in (
        CaseFilterForm,
        LawsuitFilterForm,
        SuggestionFilterForm,
        SupervisionFilterForm,
    ):
        for name, field in form_class().fields.items():
            if not isinstance(field, FilterChoiceField):
                continue
            assert field.queryset.exists(), (form_class.__name__, name)
            plain = forms.ModelChoiceField(queryset=field.queryset, empty_label="全部")
            assert [(str(v), label) for v, label in field.choices] == [
                (str(v), label) for v, label in plain.choices
            ], (form_class.__name__, name)
            checked += 1
    assert checked == 9
