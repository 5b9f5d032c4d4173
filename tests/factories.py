"""One factory per model. Factories may set status for test setup; tests of
transitions drive state through the services instead."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import Court, Office, Role, User
from accounts.services import user_sync_role
from cases.models import Agency, DisputeCategory

PASSWORD = "test-password-123"


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ["name"]

    name = "潜江市行政争议化解工作室"
    short_name = "潜江行调室"
    phone = "0728-6201234"


class CourtFactory(DjangoModelFactory):
    class Meta:
        model = Court
        django_get_or_create = ["code"]

    name = "潜江市人民法院"
    code = "鄂9005"
    level = Court.Level.BASIC


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Faker("name", locale="zh_CN")
    role = Role.CLERK
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def sync_role(obj, create, extracted, **kwargs):
        if create:
            user_sync_role(user=obj)


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"潜江市第{n}局")
    short_name = factory.LazyAttribute(lambda o: o.name.removeprefix("潜江市"))
    level = Agency.Level.CITY_DEPARTMENT
    principal_name = factory.Faker("name", locale="zh_CN")
    principal_title = "局长"


def category(code: str) -> DisputeCategory:
    """The seeded dispute category with this code."""
    return DisputeCategory.objects.get(code=code)
