"""The permissions registry: each app declares its own actions and scopes in its policy.py,
registered from its AppConfig; two apps cannot declare the same rule; accounts knows no app
that depends on it."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from jiedao.accounts import permissions
from jiedao.accounts.models import Role
from jiedao.accounts.permissions import ACTION_ROLES, SCOPE_LOOKUPS, SYSTEM, Level, Registry, can

ACCOUNTS = Path(permissions.__file__).parent


def test_every_app_registers_its_policy():
    assert permissions.registry.owners() == {
        "jiedao.accounts",
        "jiedao.assessment",
        "jiedao.audit",
        "jiedao.cockpit",
        "jiedao.community",
        "jiedao.core",
        "jiedao.enforcement",
        "jiedao.events",
        "jiedao.geo",
        "jiedao.indicators",
        "jiedao.open311",
        "jiedao.portal",
        "jiedao.sanitation",
        "jiedao.sanitation.board",
        "jiedao.sensors",
        "jiedao.supervision",
    }


def test_each_app_declares_the_actions_and_models_under_its_own_name():
    owners = permissions.registry._owners

    assert {owners[action] for action in ACTION_ROLES if action.startswith("events.")} == {
        "jiedao.events"
    }
    assert (owners["calendar.manage"], owners["supervision.report"]) == (
        "jiedao.core",
        "jiedao.supervision",
    )
    assert {label: owners[label] for label in SCOPE_LOOKUPS} == {
        "accounts.user": "jiedao.accounts",
        "assessment.memberscore": "jiedao.assessment",
        "assessment.monthresult": "jiedao.assessment",
        "assessment.team": "jiedao.assessment",
        "assessment.teammember": "jiedao.assessment",
        "assessment.weighttable": "jiedao.assessment",
        "community.activity": "jiedao.community",
        "community.call": "jiedao.community",
        "community.callresponse": "jiedao.community",
        "community.facility": "jiedao.community",
        "community.fund": "jiedao.community",
        "community.fundentry": "jiedao.community",
        "community.grantapplication": "jiedao.community",
        "community.grantround": "jiedao.community",
        "community.grantscore": "jiedao.community",
        "community.milestone": "jiedao.community",
        "community.need": "jiedao.community",
        "community.organisation": "jiedao.community",
        "community.progressreport": "jiedao.community",
        "enforcement.action": "jiedao.enforcement",
        "enforcement.case": "jiedao.enforcement",
        "enforcement.casestep": "jiedao.enforcement",
        "enforcement.checklistitem": "jiedao.enforcement",
        "enforcement.guardrule": "jiedao.enforcement",
        "enforcement.inspection": "jiedao.enforcement",
        "enforcement.inspectionmatter": "jiedao.enforcement",
        "enforcement.disclosure": "jiedao.enforcement",
        "enforcement.inspectionphoto": "jiedao.enforcement",
        "enforcement.legalreviewer": "jiedao.enforcement",
        "enforcement.rectification": "jiedao.enforcement",
        "enforcement.target": "jiedao.enforcement",
        "events.event": "jiedao.events",
        "events.eventphoto": "jiedao.events",
        "events.notification": "jiedao.events",
        "geo.community": "jiedao.geo",
        "geo.department": "jiedao.geo",
        "geo.grid": "jiedao.geo",
        "geo.subdistrict": "jiedao.geo",
        "indicators.figure": "jiedao.indicators",
        "indicators.indicator": "jiedao.indicators",
        "indicators.report": "jiedao.indicators",
        "indicators.value": "jiedao.indicators",
        "open311.open311apikey": "jiedao.open311",
        "portal.publicvisibility": "jiedao.portal",
        "sanitation.account": "jiedao.sanitation",
        "sanitation.blacklisttask": "jiedao.sanitation.board",
        "sanitation.collectionpoint": "jiedao.sanitation",
        "sanitation.compound": "jiedao.sanitation",
        "sanitation.dropoff": "jiedao.sanitation",
        "sanitation.finding": "jiedao.sanitation",
        "sanitation.household": "jiedao.sanitation",
        "sanitation.inspection": "jiedao.sanitation",
        "sanitation.listentry": "jiedao.sanitation.board",
        "sanitation.listrule": "jiedao.sanitation.board",
        "sanitation.monthlylist": "jiedao.sanitation.board",
        "sanitation.pointsentry": "jiedao.sanitation",
        "sanitation.pointsrule": "jiedao.sanitation",
        "sanitation.rectification": "jiedao.sanitation",
        "sanitation.recyclingmaterial": "jiedao.sanitation",
        "sanitation.reward": "jiedao.sanitation",
        "sanitation.scorerule": "jiedao.sanitation.board",
        "sanitation.smartbin": "jiedao.sanitation",
        "sanitation.unit": "jiedao.sanitation",
        "sanitation.weighin": "jiedao.sanitation",
        "sensors.alarm": "jiedao.sensors",
        "sensors.device": "jiedao.sensors",
        "sensors.message": "jiedao.sensors",
        "supervision.attachment": "jiedao.supervision",
        "supervision.plan": "jiedao.supervision",
        "supervision.progressreport": "jiedao.supervision",
        "supervision.reminder": "jiedao.supervision",
        "supervision.task": "jiedao.supervision",
    }


def test_a_second_registration_of_an_action_is_refused_and_changes_nothing():
    registry = Registry()
    registry.register(owner="jiedao.geo", actions={"geo.view": {Role.DISPATCHER}})

    with pytest.raises(ImproperlyConfigured) as error:
        registry.register(
            owner="jiedao.events",
            actions={"events.view": {Role.RESIDENT}, "geo.view": {Role.RESIDENT}},
        )

    assert str(error.value) == (
        "jiedao.events registers the permission rules for “geo.view”, which jiedao.geo has "
        "registered already."
    )
    assert dict(registry.actions) == {"geo.view": frozenset({Role.DISPATCHER})}


def test_a_second_registration_of_a_model_is_refused_and_changes_nothing():
    registry = Registry()
    rules = {Level.SUBDISTRICT: ("subdistrict", "subdistrict_id")}
    registry.register(owner="jiedao.events", scopes={"events.event": rules})

    with pytest.raises(ImproperlyConfigured) as error:
        registry.register(
            owner="jiedao.portal",
            actions={"portal.moderate": {Role.DISPATCHER}},
            scopes={"events.event": {Level.NONE: ("reported_by", "user_id")}},
        )

    assert str(error.value) == (
        "jiedao.portal registers the permission rules for “events.event”, which jiedao.events "
        "has registered already."
    )
    assert dict(registry.actions) == {}
    assert dict(registry.scopes["events.event"]) == rules


def test_the_installation_refuses_an_app_that_redeclares_another_apps_action():
    before = dict(ACTION_ROLES)

    with pytest.raises(ImproperlyConfigured):
        permissions.register(owner="jiedao.portal", actions={"events.rate": {Role.RESIDENT}})

    assert dict(ACTION_ROLES) == before


def test_the_views_of_the_registry_are_read_only():
    with pytest.raises(TypeError):
        ACTION_ROLES["geo.view"] = frozenset()  # type: ignore[index]
    with pytest.raises(TypeError):
        SCOPE_LOOKUPS["geo.grid"][Level.NONE] = ("pk", "grid_id")  # type: ignore[index]


def test_an_unregistered_action_fails_loudly_even_for_the_system():
    with pytest.raises(KeyError) as error:
        can(SYSTEM, "events.teleport")

    assert error.value.args == (
        "Unknown permission action “events.teleport”: no app registered it in its policy.py.",
    )


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports (relative imports resolved inside jiedao.accounts)."""
    package = "jiedao.accounts" + "".join(
        f".{part}" for part in path.relative_to(ACCOUNTS).parent.parts
    )
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            modules.add(module)
            modules.update(f"{module}.{alias.name}" for alias in node.names)
    return modules


def test_accounts_does_not_import_events():
    sources = sorted(ACCOUNTS.rglob("*.py"))
    imports = {str(path.relative_to(ACCOUNTS)): imported_modules(path) for path in sources}

    assert "permissions.py" in imports
    assert "jiedao.geo.lookup" in imports["permissions.py"]  # the scan sees absolute imports
    assert "jiedao.accounts.models.Role" in imports["permissions.py"]  # and relative ones
    offending = {
        name: sorted(module for module in modules if module.startswith("jiedao.events"))
        for name, modules in imports.items()
    }
    assert {name: found for name, found in offending.items() if found} == {}
