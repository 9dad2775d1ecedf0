"""The admin and the commands go through the same services as the pages and the API."""

import html
import io

import pytest
from django.core.management import CommandError, call_command

from jiedao.audit.models import AuditEntry
from jiedao.enforcement.models import Action, Target

from .conftest import state


def test_the_admin_shows_a_wrong_credit_code_under_its_field_and_writes_nothing(client_for):
    client = client_for("administrator")
    fields = {"kind": "business", "name": "闻堰测试店", "address": "", "trade": "", "id_number": ""}
    fields["risk_level"] = "low"
    before = state()

    wrong = client.post(
        "/admin/enforcement/target/add/", {**fields, "credit_code": "91330109MA2B3C4D5R"}
    )

    assert wrong.status_code == 200
    assert "统一社会信用代码：校验码（最后一位）不正确，请核对。" in html.unescape(
        wrong.content.decode()
    )
    assert state() == before

    right = client.post(
        "/admin/enforcement/target/add/", {**fields, "credit_code": "91330109MA2B3C4D5Q"}
    )

    assert right.status_code == 302
    target = Target.objects.get(credit_code="91330109MA2B3C4D5Q")
    entry = AuditEntry.objects.filter(
        target_type="enforcement.target", target_id=str(target.pk)
    ).get()
    assert (entry.action, entry.actor_label) == ("enforcement.target_create", "admin")


def test_the_import_command_is_all_or_nothing(tmp_path, wenyan_demo):
    good = tmp_path / "good.csv"
    good.write_text("类型,名称,统一社会信用代码\n企业,闻堰测试超市,91330109MA2B3C4D5Q\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "类型,名称,统一社会信用代码\n企业,闻堰测试书店,923301090000000008\n企业,,91330109MA2B3C4D5Q\n"
    )
    before = state()
    errors = io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("import_targets", str(bad), stderr=errors)
    assert str(refused.value) == "第 3 行：名称 为必填项。（共 1 行有误，未导入任何数据。）"
    assert errors.getvalue() == "3\t名称\t名称 为必填项。\n"
    assert state() == before

    output = io.StringIO()
    call_command("import_targets", str(good), stdout=output)
    assert (output.getvalue(), Target.objects.get(name="闻堰测试超市").credit_code) == (
        "1\n",
        "91330109MA2B3C4D5Q",
    )


def test_the_draw_command_reproduces_the_demo_draw(wenyan_demo):
    draw = Action.objects.get(kind="random")
    output = io.StringIO()

    call_command("verify_draw", str(draw.pk), stdout=output)

    drawn = sorted(draw.inspections.values_list("target_id", flat=True))
    assert output.getvalue() == (
        f"seed wenyan-demo, pool {len(draw.draw_pool)}, drawn {drawn}\nreproduced\n"
    )
