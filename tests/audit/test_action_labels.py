"""Every action a service writes to the audit trail reads as a Chinese label of its own.

The codes are found in the code base itself: every call of the audited writers
(``audit_record``, ``model_update``, ``model_create``) and the action it is given — a code
written out, either code of a conditional, a name the function assigns a code to, or a code
with a variable part (an f-string), whose values are listed here from the code that builds it.
A new f-string, or an action handed through from elsewhere, fails the walk until it is listed.
(tests/audit/test_audit_language.py checks every action the whole demo writes.)
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from jiedao.audit.labels import action_label, is_labelled
from jiedao.community.models import FundEntry
from jiedao.community.workflow import ActivityAction, NeedAction, ResponseAction
from jiedao.events.workflow import Action
from jiedao.sanitation.workflow import EntryKind
from jiedao.sensors.workflow import AlarmAction

PACKAGE = Path(__file__).resolve().parents[2] / "jiedao"
WRITERS = {"audit_record", "model_update", "model_create"}
# The helpers that write an entry with the action their caller gives them.
HANDED_THROUGH = {"core/updates.py"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# f-string prefix → the values of its variable part, from the code that builds the action: the
# choices it takes them from where there are such, so that a new choice is walked too.
DYNAMIC = {
    # community/activities.py: ActivityAction
    "community.activity.": list(ActivityAction.values),
    # community/ledger.py: FundEntry.Kind
    "community.fund.": list(FundEntry.Kind.values),
    # community/grants.py: review_record's stages
    "community.grantapplication.": ["midterm", "final"],
    # community/services.py: NeedAction, ResponseAction
    "community.need.": list(NeedAction.values),
    "community.response.": list(ResponseAction.values),
    # enforcement/services/cases.py: the case workflow's moves
    "enforcement.case_": [
        "file",
        "decline",
        "submit_review",
        "notify",
        "extend",
        "approve",
        "return",
        "request_hearing",
        "decide",
        "serve",
        "execute",
        "close",
    ],
    # enforcement/services/inspections.py: the inspection and rectification moves
    "enforcement.inspection_": ["start", "cancel", "complete"],
    "enforcement.rectification_": ["close", "escalate"],
    # events/services/catalogue.py: a category or a duty-matrix line created, changed, deleted
    "events.": [
        f"{model}.{verb}"
        for model in ("category", "dutyassignment")
        for verb in ("create", "update", "delete")
    ],
    # events/services/transitions.py: the event workflow's actions
    "events.event.": list(Action.values),
    # geo/services/imports.py: the places a boundary upload creates or changes
    "geo.": [f"{model}.{verb}" for model in ("grid", "community") for verb in ("create", "update")],
    # sanitation/services/points.py: EntryKind; records.py: the rectification moves
    "sanitation.points.": list(EntryKind.values),
    "sanitation.rectification.": ["report_done", "verify", "reject"],
    # sensors/services/alarms.py: AlarmAction
    "sensors.alarm.": list(AlarmAction.values),
}


class Walk:
    def __init__(self) -> None:
        self.codes: set[str] = set()
        self.unknown: list[str] = []  # actions the walk cannot read

    def read(self, node: ast.expr, *, where: str, assigned: dict[str, list[ast.expr]]) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            self.codes.add(node.value)
        elif isinstance(node, ast.IfExp):
            self.read(node.body, where=where, assigned=assigned)
            self.read(node.orelse, where=where, assigned=assigned)
        elif isinstance(node, ast.JoinedStr):
            prefix = ""
            for part in node.values:
                if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                    break
                prefix += part.value
            if prefix in DYNAMIC:
                self.codes.update(prefix + value for value in DYNAMIC[prefix])
            else:
                self.unknown.append(f"{where}: {ast.unparse(node)}")
        elif isinstance(node, ast.Name) and node.id in assigned:
            for value in assigned[node.id]:
                self.read(value, where=where, assigned=assigned)
        elif not where.startswith(tuple(HANDED_THROUGH)):
            self.unknown.append(f"{where}: {ast.unparse(node)}")


def _assignments(scope: ast.AST) -> dict[str, list[ast.expr]]:
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
    return found


def _writer_calls(tree: ast.Module) -> Iterator[tuple[ast.Call, ast.AST]]:
    """Each call of a writer, with the function it is in (or the module)."""
    scopes: list[ast.AST] = [
        node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.Lambda))
    ]
    seen: set[int] = set()
    for scope in [*scopes, tree]:
        for node in ast.walk(scope):
            if not isinstance(node, ast.Call) or id(node) in seen:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
            name = node.func.id if isinstance(node.func, ast.Name) else name
            if name in WRITERS:
                seen.add(id(node))
                yield node, scope


def walk_code_base() -> Walk:
    walk = Walk()
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_names = _assignments(tree)
        relative = str(path.relative_to(PACKAGE))
        for call, scope in _writer_calls(tree):
            for keyword in call.keywords:
                if keyword.arg == "action":
                    assigned = {**module_names, **_assignments(scope)}
                    where = f"{relative}:{call.lineno}"
                    walk.read(keyword.value, where=where, assigned=assigned)
    return walk


@pytest.fixture(scope="module")
def walked() -> Walk:
    return walk_code_base()


def test_the_walk_reads_every_action_the_services_write(walked: Walk) -> None:
    assert walked.unknown == []
    # Spot checks that the walk finds codes of each form.
    assert {
        "enforcement.item_record",  # written out
        "geo.grid.reinstate",  # one side of a conditional
        "portal.visibility.hide",  # assigned to a name first
        "audit.entry.missing",  # a module's constant
        "community.need.raise",
        "community.need.merge",  # an f-string
    } <= walked.codes
    assert len(walked.codes) > 150


def test_every_action_reads_as_a_chinese_label_of_its_own(walked: Walk) -> None:
    unlabelled = sorted(code for code in walked.codes if not is_labelled(code))
    with translation.override("zh-hans"):
        untranslated = sorted(
            code
            for code in walked.codes
            if action_label(code) == code or not CHINESE.search(action_label(code))
        )

    assert unlabelled == []
    assert untranslated == []


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("enforcement.item_record", "记录检查项结果"),
        ("enforcement.inspection_complete", "完成检查"),
        ("community.need.raise", "登记需求"),
        ("community.fund.payment", "记账：付款"),
        ("community.grantapplication.midterm", "记录中期评估"),
        ("geo.grid.reinstate", "网格：恢复"),
        ("accounts.token.create", "签发 API 令牌"),
        ("sensors.alarm.clear", "解除报警"),
        ("open311.apikey.revoke", "吊销 Open311 API 密钥"),
        ("portal.visibility.show", "恢复向公众公开事件"),
        ("supervision.report.create", "填报进展"),
        ("core.calendar_year.publish", "录入年度法定节假日安排"),
        ("audit.entry.missing", "记录缺失的审计记录"),
    ],
)
def test_actions_that_read_raw_before_have_their_labels(code: str, label: str) -> None:
    with translation.override("zh-hans"):
        assert action_label(code) == label
