"""The demo's waste sorting: Wenyan's compounds, their accounts and a year of records."""

from jiedao.sanitation.models import Account, Compound, DropOff


def test_the_demo_has_the_compounds_of_the_seed_and_the_three_new_ones(wenyan_demo):
    assert list(Compound.objects.order_by("pk").values_list("name", "is_synthetic")) == [
        ("三江名苑", False),
        ("三江新村", False),
        ("江澜府", True),
        ("南岸锦苑", True),
        ("湘湖雅苑", True),
    ]
    assert Account.objects.count() == 99
    assert DropOff.objects.count() > 0
