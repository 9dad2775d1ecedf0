"""factory_boy factories for objects outside the Wenyan demo.

For tests that need a user of some role but must not load the demo (which writes hundreds of
rows and audit entries): ``user_per_role()`` gives one user per role in a small subdistrict of
one community, one grid and one department — the least scope the database accepts per role.
"""

import factory

from jiedao.accounts.models import Role, User
from jiedao.geo.models import Community, Department, Grid, Subdistrict
from tests.roles import ALL_ROLES

# A square of about 100 m, far from Wenyan; the boundaries are stored, never looked up here.
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[121.0, 31.0], [121.001, 31.0], [121.001, 31.001], [121.0, 31.001], [121.0, 31.0]]
    ],
}


class SubdistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subdistrict

    name = factory.Sequence(lambda n: f"测试街道{n}")
    code = factory.Sequence(lambda n: f"9{n:08d}")
    district_name = "测试区"
    center_lat = 31.0005
    center_lng = 121.0005


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    subdistrict = factory.SubFactory(SubdistrictFactory)
    name = factory.Sequence(lambda n: f"测试社区{n}")
    kind = Community.Kind.COMMUNITY
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.subdistrict.code}{n % 1000:03d}")
    boundary = SQUARE


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grid

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"测试网格{n}")
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.community.code}{n % 1000:03d}")
    boundary = SQUARE


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    subdistrict = factory.SubFactory(SubdistrictFactory)
    name = factory.Sequence(lambda n: f"测试部门{n}")
    code = factory.Sequence(lambda n: f"test-department-{n}")
    kind = Department.Kind.OFFICE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="zh_CN")
    role = Role.RESIDENT
    password = factory.django.Password("password-for-tests")


def user_per_role() -> dict[str, User]:
    """role → a new user with that role, each with the scope its role requires."""
    grid = GridFactory()
    community = grid.community
    subdistrict = community.subdistrict
    department = DepartmentFactory(subdistrict=subdistrict)
    scopes: dict[str, dict[str, object]] = {
        "resident": {},
        "grid_worker": {"grid": grid, "community": community},
        "grid_lead": {"community": community},
        "department_handler": {"department": department},
        "enforcement_officer": {"department": department},
        "social_organisation": {"community": community},
    }
    return {
        role: UserFactory(
            username=f"factory-{role}",
            role=role,
            subdistrict=None if role == "resident" else subdistrict,
            **scopes.get(role, {}),
        )
        for role in ALL_ROLES
    }
