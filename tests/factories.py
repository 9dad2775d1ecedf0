"""factory_boy factories for objects outside the Wenyan demo."""

import factory

from jiedao.accounts.models import Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="zh_CN")
    role = Role.RESIDENT
    password = factory.PostGenerationMethodCall("set_password", "password-for-tests")
