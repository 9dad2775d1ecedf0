"""Writes for the monthly compound score and the 红黄黑榜: the weights, the list rule, publishing
a month's list (with a rectification task for each black-listed compound) and closing a task.

Every write checks the policy, validates every field before anything is written (a refused
submission names each problem by its field's label and changes nothing), and appends its audit
entries in the same transaction. Scores, ranks and colours are never accepted as input: publishing
derives them from the records through :func:`jiedao.sanitation.selectors_board.live_ranking`.
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedao.accounts.permissions import SYSTEM, get_in_scope, require
from jiedao.audit.services import audit_record
from jiedao.core.errors import ApplicationError, Conflict, ErrorList, InvalidInput
from jiedao.core.localtime import local_today
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update
from jiedao.core.workcalendar import add_working_days
from jiedao.geo.models import Subdistrict

from .models.board import (
    BlackListTask,
    ListEntry,
    ListModeChoice,
    ListRule,
    MetricChoice,
    MonthlyList,
    ScoreRule,
    TaskStatus,
)
from .scoring import DEFAULT_RULES, ListMode, Metric, RuleProblem, check_list_rule
from .scoring import ListRule as ListRuleValues
from .selectors_board import (
    MONTH_LABEL,
    board_rules,
    live_ranking,
    month_start,
    parse_board_month,
)

WEIGHT_LABEL = _("Weight")
BENCHMARK_LABEL = _("Benchmark")


def _decimal(value: Any, *, field: str, label: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite():
        raise InvalidInput(
            _("%(field)s must be a number, not “%(value)s”."),
            field=field,
            params={"field": label, "value": value},
        )
    return number


def _whole(value: Any, *, field: str, label: Any, minimum: int = 0) -> int:
    number = _decimal(value, field=field, label=label)
    if number != number.to_integral_value() or number < minimum or number > 1000:
        raise InvalidInput(
            _("%(field)s must be a whole number from %(minimum)s to 1000, not “%(value)s”."),
            field=field,
            params={"field": label, "minimum": minimum, "value": value},
        )
    return int(number)


def _metric_label(metric: Metric) -> Any:
    return MetricChoice(metric.value).label


@transaction.atomic
def score_rules_set(
    *, actor: Any, subdistrict: Subdistrict, rules: Mapping[str, tuple[Any, Any]]
) -> list[ScoreRule]:
    """Save the subdistrict's weight table: metric → (weight in percent, benchmark). Every
    measure must be given; weights from 0 to 100 that add up to exactly 100, benchmarks above
    zero. Rows that change are audited one by one."""
    require(actor, "sanitation.board_rules")
    errors = ErrorList()
    parsed: dict[Metric, tuple[Decimal, Decimal]] = {}
    for default in DEFAULT_RULES:
        metric = default.metric
        label = _metric_label(metric)
        if metric.value not in rules:
            errors.add(
                InvalidInput(
                    _("%(field)s: give its weight and benchmark."),
                    field=f"{metric.value}_weight",
                    params={"field": label},
                )
            )
            continue
        weight_text, benchmark_text = rules[metric.value]
        weight = errors.check(
            partial(_decimal, weight_text, field=f"{metric.value}_weight", label=WEIGHT_LABEL),
            Decimal(0),
        )
        benchmark = errors.check(
            partial(
                _decimal, benchmark_text, field=f"{metric.value}_benchmark", label=BENCHMARK_LABEL
            ),
            Decimal(1),
        )
        if not errors.has(f"{metric.value}_weight") and not 0 <= weight <= 100:
            errors.add(
                InvalidInput(
                    _("%(field)s: the weight must be from 0 to 100 (percent), not %(value)s."),
                    field=f"{metric.value}_weight",
                    params={"field": label, "value": weight},
                )
            )
        if not errors.has(f"{metric.value}_benchmark") and benchmark <= 0:
            errors.add(
                InvalidInput(
                    _("%(field)s: the benchmark must be above zero, not %(value)s."),
                    field=f"{metric.value}_benchmark",
                    params={"field": label, "value": benchmark},
                )
            )
        parsed[metric] = (weight.quantize(Decimal("0.01")), benchmark.quantize(Decimal("0.001")))
    unknown = sorted(set(rules) - {metric.value for metric in Metric})
    if unknown:
        errors.add(
            InvalidInput(
                _("Unknown measure “%(value)s”."), field="metric", params={"value": unknown[0]}
            )
        )
    if not errors:
        total = sum((weight for weight, _benchmark in parsed.values()), Decimal(0))
        if total != 100:
            errors.add(
                InvalidInput(
                    _("%(field)s: the weights must add up to 100, not %(value)s."),
                    field="weight",
                    params={"field": WEIGHT_LABEL, "value": total},
                )
            )
    errors.raise_any()
    stored = {
        row.metric: row
        for row in ScoreRule.objects.select_for_update().filter(subdistrict=subdistrict)
    }
    saved = []
    for metric, (weight, benchmark) in parsed.items():
        row = stored.get(metric.value)
        if row is None:
            row = model_create(
                model=ScoreRule,
                data={
                    "subdistrict": subdistrict,
                    "metric": metric.value,
                    "weight": weight,
                    "benchmark": benchmark,
                },
                actor=actor,
                action="sanitation.scorerule.create",
            )
        else:
            model_update(
                instance=row,
                data={"weight": weight, "benchmark": benchmark},
                actor=actor,
                action="sanitation.scorerule.update",
            )
        saved.append(row)
    return saved


LIST_LABELS = {
    "mode": _("Drawn"),
    "red_min": _("Red list from score"),
    "yellow_below": _("Yellow list below score"),
    "black_below": _("Black list below score"),
    "red_count": _("Red list: first ranks"),
    "yellow_count": _("Yellow list: ranks above the black"),
    "black_count": _("Black list: last ranks"),
    "rectification_days": _("Working days to rectify"),
}


@transaction.atomic
def list_rule_set(*, actor: Any, subdistrict: Subdistrict, values: Mapping[str, Any]) -> ListRule:
    """Save how the subdistrict draws its list: by score thresholds (red from, yellow below,
    black below, in that order from high to low) or by ranks (how many first and last), and the
    working days a black-listed compound has to rectify."""
    require(actor, "sanitation.board_rules")
    errors = ErrorList()
    mode = str(values.get("mode", ""))
    if mode not in ListModeChoice.values:
        errors.add(
            InvalidInput(
                _("%(field)s must be one of: %(choices)s."),
                field="mode",
                params={
                    "field": LIST_LABELS["mode"],
                    "choices": "、".join(str(label) for label in ListModeChoice.labels),
                },
            )
        )
    data: dict[str, Any] = {"mode": mode}
    for name in ("red_min", "yellow_below", "black_below"):
        data[name] = errors.check(
            partial(_decimal, values.get(name, ""), field=name, label=LIST_LABELS[name]),
            Decimal(0),
        ).quantize(Decimal("0.01"))
    for name in ("red_count", "yellow_count", "black_count"):
        data[name] = errors.check(
            partial(_whole, values.get(name, ""), field=name, label=LIST_LABELS[name]), 0
        )
    data["rectification_days"] = errors.check(
        lambda: _whole(
            values.get("rectification_days", ""),
            field="rectification_days",
            label=LIST_LABELS["rectification_days"],
            minimum=1,
        ),
        1,
    )
    if not errors:
        try:
            # Thresholds are checked in either mode: switching modes keeps a sensible rule.
            for checked_mode in (ListMode.SCORE, ListMode.RANK):
                check_list_rule(
                    ListRuleValues(
                        mode=checked_mode,
                        **{
                            key: data[key]
                            for key in LIST_LABELS
                            if key not in ("mode", "rectification_days")
                        },
                    )
                )
        except RuleProblem:
            errors.add(
                InvalidInput(
                    _(
                        "%(field)s: the thresholds must run from high to low, within 0 to 100: "
                        "red from ≥ yellow below ≥ black below."
                    ),
                    field="red_min",
                    params={"field": LIST_LABELS["red_min"]},
                )
            )
    errors.raise_any()
    row = ListRule.objects.select_for_update().filter(subdistrict=subdistrict).first()
    if row is None:
        return model_create(
            model=ListRule,
            data={"subdistrict": subdistrict, **data},
            actor=actor,
            action="sanitation.listrule.create",
        )
    model_update(instance=row, data=data, actor=actor, action="sanitation.listrule.update")
    return row


@transaction.atomic
def board_rules_save(*, actor: Any, subdistrict: Subdistrict, values: Mapping[str, Any]) -> None:
    """The weights (``<metric>_weight``, ``<metric>_benchmark``) and the list rule together, as
    the rules page and the API submit them: all problems of both reported at once, and nothing
    saved unless everything is right."""
    problems: list[ApplicationError] = []
    try:
        score_rules_set(
            actor=actor,
            subdistrict=subdistrict,
            rules={
                metric.value: (
                    values.get(f"{metric.value}_weight", ""),
                    values.get(f"{metric.value}_benchmark", ""),
                )
                for metric in Metric
            },
        )
    except InvalidInput as error:
        problems.append(error)
    try:
        list_rule_set(actor=actor, subdistrict=subdistrict, values=values)
    except InvalidInput as error:
        problems.append(error)
    if problems:
        # Raised inside the transaction: a half that was valid and saved is rolled back too.
        raise InvalidInput.combine(problems)


@transaction.atomic
def month_list_publish(*, actor: Any, subdistrict: Subdistrict, month: Any) -> MonthlyList:
    """Publish ``month``'s 红黄黑榜 for the subdistrict: every compound's score, rank and colour
    as the records give them now, frozen with the rules applied; each black-listed compound gets
    a rectification task due the list rule's working days after publication. Only a month that
    has ended, has records, and has not been published yet."""
    require(actor, "sanitation.board_publish")
    first = parse_board_month(month)
    if first >= month_start(local_today()):
        raise InvalidInput(
            _("%(field)s %(value)s has not ended yet: a month's list is published after it."),
            field="month",
            params={"field": MONTH_LABEL, "value": f"{first:%Y-%m}"},
        )
    if actor is not SYSTEM and actor.subdistrict_id != subdistrict.pk:
        raise Conflict(_("You may publish only your own subdistrict's list."))
    # One publication per month even when two leaders press the button together.
    Subdistrict.objects.select_for_update().filter(pk=subdistrict.pk).first()
    if MonthlyList.objects.filter(subdistrict=subdistrict, month=first).exists():
        raise Conflict(
            _("The list for %(month)s is published already.") % {"month": f"{first:%Y-%m}"}
        )
    ranking = live_ranking(subdistrict=subdistrict, month=first)
    if not ranking.has_records:
        raise InvalidInput(
            _("%(field)s %(value)s has no drop-off, weigh-in or inspection: nothing to rank."),
            field="month",
            params={"field": MONTH_LABEL, "value": f"{first:%Y-%m}"},
        )
    rules = board_rules(subdistrict_id=subdistrict.pk)
    now = timezone.now()
    try:
        with transaction.atomic():
            monthly_list = MonthlyList.objects.create(
                subdistrict=subdistrict,
                month=first,
                published_at=now,
                published_by=None if actor is SYSTEM else actor,
                rules=rules.as_dict(),
            )
    except IntegrityError:
        raise Conflict(
            _("The list for %(month)s is published already.") % {"month": f"{first:%Y-%m}"}
        ) from None
    entries = ListEntry.objects.bulk_create(
        [
            ListEntry(
                monthly_list=monthly_list,
                compound_id=row.compound_id,
                score=row.score,
                rank=row.rank,
                colour=row.colour or "",
                parts=row.parts,
                counts=row.counts,
            )
            for row in ranking.rows
        ]
    )
    deadline = add_working_days(now, rules.rectification_days)
    tasks = BlackListTask.objects.bulk_create(
        [
            BlackListTask(entry=entry, compound_id=entry.compound_id, deadline=deadline)
            for entry in entries
            if entry.colour == "black"
        ]
    )
    audit_record(
        actor=actor,
        action="sanitation.monthlylist.publish",
        target=monthly_list,
        after={
            "month": f"{first:%Y-%m}",
            "compounds": len(entries),
            "colours": ranking.colour_counts(),
            "rules": rules.as_dict(),
        },
    )
    for task in tasks:
        audit_record(
            actor=actor,
            action="sanitation.blacklisttask.create",
            target=task,
            after={
                "compound": task.compound_id,
                "month": f"{first:%Y-%m}",
                "deadline": task.deadline.isoformat(),
            },
        )
    return monthly_list


@transaction.atomic
def black_list_task_complete(*, actor: Any, task_id: int, notes: str) -> BlackListTask:
    """Record that a black-listed compound's rectification is done, with what was done."""
    require(actor, "sanitation.board_task")
    task = get_in_scope(actor, BlackListTask.objects.select_for_update(), pk=task_id)
    text = clean_text(
        notes,
        field="notes",
        label=pgettext_lazy("black list", "What was done"),
        max_length=500,
        required=True,
    )
    if task.status != TaskStatus.OPEN:
        raise Conflict(_("This rectification task is closed already."))
    model_update(
        instance=task,
        data={
            "status": TaskStatus.DONE,
            "done_at": timezone.now(),
            "done_by": None if actor is SYSTEM else actor,
            "done_notes": text,
        },
        actor=actor,
        action="sanitation.blacklisttask.update",
    )
    return task
