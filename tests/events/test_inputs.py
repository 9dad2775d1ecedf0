"""Request data becomes typed values at the doors: the API's schema and the pages' form parse
"yes", "1" and "3" into the bool and int the services take, and say what is wrong with anything
else in the user's language, naming the field. The services themselves coerce nothing."""

from typing import Any

import pytest
from django.utils import translation
from pydantic import ValidationError

from jiedao.core.errors import ApplicationError
from jiedao.events.forms import ActionForm
from jiedao.events.models import Event
from jiedao.events.schemas import TransitionIn

from .conftest import act, drive, report


def dispatched(users: Any) -> Event:
    event = report(users["resident"])
    return drive(event, [("accept", {}), ("dispatch", {"department": "city-management"})])


@pytest.mark.parametrize(
    ("given", "expected"),
    [("yes", True), ("1", True), ("TRUE", True), ("no", False), ("0", False), (False, False)],
)
def test_the_api_schema_reads_a_decision(given: Any, expected: bool) -> None:
    assert TransitionIn.model_validate({"approve": given}).approve is expected


@pytest.mark.parametrize(
    ("field", "given", "message"),
    [
        ("approve", "maybe", "请说明同意还是不同意延期。"),
        ("working_days", "three", "请以整数填写工作日数，例如 3。"),
        ("working_days", 2.5, "请以整数填写工作日数，例如 3。"),
        ("satisfaction", "五", "满意度为 1（非常不满意）到 5（非常满意）的整数。"),
    ],
)
def test_the_api_schema_refuses_a_value_of_the_wrong_kind(
    field: str, given: Any, message: str
) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        TransitionIn.model_validate({field: given})

    [problem] = raised.value.errors(include_url=False)
    assert (problem["loc"], problem["msg"]) == ((field,), message)


def test_the_api_schema_reads_whole_numbers_from_text() -> None:
    payload = TransitionIn.model_validate({"working_days": " 3 ", "satisfaction": "4"})

    assert (payload.working_days, payload.satisfaction) == (3, 4)


def test_the_action_form_gives_the_service_typed_values() -> None:
    form = ActionForm({"approve": "yes", "working_days": "3", "satisfaction": "5", "note": ""})

    assert form.is_valid(), form.errors
    assert form.service_data() == {"approve": True, "working_days": 3, "satisfaction": 5}


@pytest.mark.parametrize(
    ("field", "given", "message"),
    [
        ("approve", "maybe", "决定：请说明同意还是不同意延期。"),
        ("working_days", "three", "延长工作日数：请以整数填写工作日数，例如 3。"),
        ("satisfaction", "五", "满意度：满意度为 1（非常不满意）到 5（非常满意）的整数。"),
    ],
)
def test_the_action_form_names_the_field_by_its_label(field: str, given: str, message: str) -> None:
    with translation.override("zh-hans"):
        form = ActionForm({field: given})
        assert not form.is_valid()
        error = form.first_error()

    assert (error.status, error.field, str(error.message)) == (422, field, message)


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("request_extension", {"reason": "等待材料", "working_days": "3"}, "working_days"),
        ("request_extension", {"reason": "等待材料", "working_days": True}, "working_days"),
    ],
)
def test_the_service_takes_no_text_for_a_number(
    users: Any, action: str, data: dict[str, Any], field: str
) -> None:
    event = drive(dispatched(users), [("start_handling", {})])

    with pytest.raises(ApplicationError) as raised:
        act(event, action, **data)

    assert (raised.value.status, raised.value.field) == (422, field)


def test_the_service_takes_no_text_for_a_decision(users: Any) -> None:
    event = drive(
        dispatched(users),
        [("start_handling", {}), ("request_extension", {"reason": "等待材料", "working_days": 2})],
    )

    with pytest.raises(ApplicationError) as raised:
        act(event, "decide_extension", approve="yes")

    assert (raised.value.status, raised.value.field, raised.value.code) == (
        422,
        "approve",
        "required",
    )
