"""The demo's indicators: seed 000 read through the extraction, reviewed and stored as Wenyan's
2022 H1 values; 2021 values and targets synthesised and flagged; loading twice changes nothing."""

from decimal import Decimal

from jiedao.geo.models import Subdistrict
from jiedao.indicators.demo import indicators_demo_load
from jiedao.indicators.models import Figure, Report, Value

from .conftest import state


def test_seed_000s_figures_are_the_2022_first_half_values(catalogue):
    values = {
        value.indicator.code: (value.value, value.stated_change, value.source, value.is_synthetic)
        for value in Value.objects.filter(year=2022, period_kind="half", number=1)
        .exclude(value=None)
        .select_related("indicator")
    }

    assert values == {
        "industrial-output": (Decimal("1530000000.0000"), None, "review", False),
        "industrial-added-value": (Decimal("276000000.0000"), None, "review", False),
        "digital-core-added-value": (Decimal("22370000.0000"), Decimal("16.60"), "review", False),
        "retail-sales": (Decimal("203000000.0000"), Decimal("26.40"), "review", False),
        "grid-events": (Decimal("4234.0000"), None, "review", False),
        "dispatched-events": (Decimal("1059.0000"), None, "review", False),
        "closure-rate": (Decimal("100.0000"), None, "review", False),
        "joint-inspections": (Decimal("134.0000"), None, "review", False),
        "cases-opened": (Decimal("21.0000"), None, "review", False),
        "needs": (Decimal("112.0000"), None, "review", False),
        "river-dredging": (Decimal("13500.0000"), None, "review", False),
    }


def test_only_the_synthesised_values_and_targets_are_flagged(catalogue):
    synthetic = Value.objects.filter(is_synthetic=True).select_related("indicator")
    targets = Value.objects.filter(target_is_synthetic=True).select_related("indicator")

    assert sorted((v.indicator.code, v.period.code, v.value) for v in synthetic) == [
        ("industrial-added-value", "2021-H1", Decimal("251000000.0000")),
        ("industrial-output", "2021-H1", Decimal("1380000000.0000")),
    ]
    assert sorted((v.indicator.code, v.target) for v in targets) == [
        ("closure-rate", Decimal("98.0000")),
        ("digital-core-added-value", Decimal("21000000.0000")),
        ("industrial-added-value", Decimal("280000000.0000")),
        ("industrial-output", Decimal("1500000000.0000")),
        ("retail-sales", Decimal("190000000.0000")),
    ]


def test_the_figures_nobody_decided_on_wait_in_the_queue(catalogue):
    report = Report.objects.get()
    figures = report.figures.all()

    assert report.file_name == "wenyan_2022_h1.txt"
    assert figures.filter(status=Figure.Status.CONFIRMED).count() == 11
    assert figures.filter(status=Figure.Status.PENDING).count() == figures.count() - 11
    assert figures.get(name="规上工业总产值").indicator == catalogue["industrial-output"]


def test_loading_the_demo_twice_changes_nothing(catalogue):
    before = state()

    result = indicators_demo_load(subdistrict=Subdistrict.objects.get(code="330109012"))

    assert (result, state()) == ({"indicators": 0, "confirmed": 0}, before)
