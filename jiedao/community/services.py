"""Writes to the modern community: needs and their workflow, social organisations, calls
(吹哨) and the organisations' answers (报到). Every write checks the actor's role and scope and is
audited in its transaction. The fund's ledger is in :mod:`jiedao.community.ledger`.
"""

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM, can, get_in_scope, require
from jiedao.core.errors import Conflict, Forbidden, InvalidInput
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update
from jiedao.geo.models import Community, Department

from .credit_code import normalise_credit_code
from .models import Call, CallResponse, Need, NeedGroup, Organisation
from .workflow import (
    NEED_TRANSITIONS,
    RESPONSE_TRANSITIONS,
    WHISTLE_STATUSES,
    MatchKind,
    NeedAction,
    NeedStatus,
    ResponseAction,
    ResponseStatus,
)

MAX_TEXT = 2000
_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{6,19}$")

# Which sources each kind of actor may name: a resident through the portal always says "portal".
STAFF_SOURCES = (Need.Source.SURVEY, Need.Source.VISIT, Need.Source.EVENT)


# The groups a new installation starts with (the data migration 0002 writes the same list).
DEFAULT_GROUPS = [
    ("children", "儿童", 10),
    ("elderly", "老年人", 20),
    ("women", "妇女", 30),
    ("disabled", "残疾人", 40),
    ("youth", "青少年", 50),
    ("new-residents", "新居民", 60),
]


@transaction.atomic
def need_groups_ensure(*, actor: Any) -> int:
    """Create the default groups concerned that are missing; returns how many were created."""
    require(actor, "community.need_manage")
    created = 0
    for code, name, position in DEFAULT_GROUPS:
        if not NeedGroup.objects.filter(code=code).exists():
            model_create(
                model=NeedGroup,
                data={"code": code, "name": name, "position": position},
                actor=actor,
                action="community.group.create",
            )
            created += 1
    return created


def _role(actor: Any) -> str:
    return str(getattr(actor, "role", ""))


def _need_create(
    *,
    actor: Any,
    community: Community,
    group: NeedGroup,
    source: str,
    title: str,
    description: str,
    contact_name: str = "",
    contact_phone: str = "",
    raised_at: datetime | None = None,
    is_synthetic: bool = False,
) -> Need:
    title = clean_text(title, field="title", max_length=100, label=_("Title"), required=True)
    description = clean_text(
        description, field="description", max_length=MAX_TEXT, label=_("Description")
    )
    contact_name = clean_text(
        contact_name, field="contact_name", max_length=50, label=_("Your name")
    )
    contact_phone = clean_text(
        contact_phone, field="contact_phone", max_length=30, label=_("Contact phone")
    )
    if contact_phone and not _PHONE.match(contact_phone):
        raise InvalidInput(
            _("Contact phone is not a phone number: use digits only, e.g. 13800138000."),
            field="contact_phone",
        )
    if not group.is_active:
        raise InvalidInput(
            _("Group concerned “%(group)s” is no longer in use: choose another.")
            % {"group": group.name},
            field="group",
        )
    now = raised_at or timezone.now()
    return model_create(
        model=Need,
        data={
            "subdistrict_id": community.subdistrict_id,
            "community": community,
            "group": group,
            "source": source,
            "title": title,
            "description": description,
            "raised_by": actor if getattr(actor, "pk", None) else None,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "raised_at": now,
            "status_changed_at": now,
            "is_synthetic": is_synthetic,
        },
        actor=actor,
        action="community.need.raise",
    )


@transaction.atomic
def need_raise(
    *,
    actor: Any,
    community: Community,
    group: NeedGroup,
    source: str,
    title: str,
    description: str = "",
    raised_at: datetime | None = None,
    is_synthetic: bool = False,
) -> Need:
    """A grid worker or community lead puts a need on their community's list."""
    require(actor, "community.need_raise")
    community = (
        get_in_scope(actor, Community.objects.all(), pk=community.pk)
        if actor is not SYSTEM
        else community
    )
    if source not in STAFF_SOURCES and not (actor is SYSTEM and source == Need.Source.PORTAL):
        raise InvalidInput(
            _("Source must be one of: %(sources)s.")
            % {"sources": "、".join(str(Need.Source(value).label) for value in STAFF_SOURCES)},
            field="source",
        )
    if raised_at is not None and actor is not SYSTEM:
        raised_at = None  # only the demo loader back-dates needs
    return _need_create(
        actor=actor,
        community=community,
        group=group,
        source=source,
        title=title,
        description=description,
        raised_at=raised_at,
        is_synthetic=is_synthetic,
    )


@transaction.atomic
def need_submit_public(
    *,
    door: Any,
    community: Community,
    group: NeedGroup,
    title: str,
    description: str,
    contact_name: str,
    contact_phone: str,
) -> Need:
    """A resident's need from the portal, without an account. The door (rate-limited by the
    caller) is the actor; the contact is kept for the community to call back, never published."""
    if not contact_phone.strip():
        raise InvalidInput(
            _("Contact phone is required, so that the community can call you back."),
            field="contact_phone",
        )
    return _need_create(
        actor=door,
        community=community,
        group=group,
        source=Need.Source.PORTAL,
        title=title,
        description=description,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )


def _lock_need(actor: Any, need: Need) -> Need:
    return get_in_scope(actor, Need.objects.select_for_update(), pk=need.pk)


def _close_calls(actor: Any, need: Need, now: datetime) -> None:
    for call in Call.objects.select_for_update().filter(need=need, closed_at__isnull=True):
        model_update(
            instance=call, data={"closed_at": now}, actor=actor, action="community.call.close"
        )


@transaction.atomic
def need_transition(
    *,
    actor: Any,
    need: Need,
    action: str,
    reason: str = "",
    match_kind: str = "",
    organisation: Organisation | None = None,
    department: Department | None = None,
    matched_name: str = "",
    into: Need | None = None,
    at: datetime | None = None,
) -> Need:
    """Apply one action of the needs table to a need: lock it, check the table, save, audit.
    Meeting a need closes its open calls."""
    need = _lock_need(actor, need)
    transition = NEED_TRANSITIONS.get((need.status, action))
    if transition is None:
        raise Conflict(
            _("A need that is “%(status)s” cannot be “%(action)s”.")
            % {
                "status": NeedStatus(need.status).label,
                "action": NeedAction(action).label if action in NeedAction.values else action,
            },
            code="transition_not_allowed",
        )
    if actor is not SYSTEM and _role(actor) not in transition.roles:
        raise Forbidden(_("Your role may not do this to a need."))
    now = at if (at is not None and actor is SYSTEM) else timezone.now()
    data: dict[str, Any] = {"status": transition.target, "status_changed_at": now}
    if action == NeedAction.DECLINE:
        data["decline_reason"] = clean_text(
            reason, field="reason", max_length=MAX_TEXT, label=_("Reason"), required=True
        )
    elif action == NeedAction.MATCH:
        data.update(_match_data(actor, match_kind, organisation, department, matched_name))
    elif action == NeedAction.MERGE:
        data["merged_into"] = _merge_target(actor, need, into)
    model_update(instance=need, data=data, actor=actor, action=f"community.need.{action}")
    if transition.target in (NeedStatus.MET, NeedStatus.NOT_FEASIBLE, NeedStatus.MERGED):
        _close_calls(actor, need, now)
    return need


def _match_data(
    actor: Any,
    kind: str,
    organisation: Organisation | None,
    department: Department | None,
    name: str,
) -> dict[str, Any]:
    if kind not in MatchKind.values:
        raise InvalidInput(
            _("Matched to must be one of: %(kinds)s.")
            % {"kinds": "、".join(str(label) for label in MatchKind.labels)},
            field="match_kind",
        )
    data: dict[str, Any] = {
        "match_kind": kind,
        "matched_organisation": None,
        "matched_department": None,
        "matched_name": "",
    }
    if kind == MatchKind.ORGANISATION:
        if organisation is None:
            raise InvalidInput(_("Social organisation is required."), field="organisation")
        data["matched_organisation"] = organisation
    elif kind == MatchKind.DEPARTMENT:
        if department is None:
            raise InvalidInput(_("Department is required."), field="department")
        data["matched_department"] = department
    else:
        data["matched_name"] = clean_text(
            name,
            field="matched_name",
            max_length=200,
            label=_("Project or activity"),
            required=True,
        )
    return data


def _merge_target(actor: Any, need: Need, into: Need | None) -> Need:
    if into is None:
        raise InvalidInput(_("Similar need is required."), field="into")
    target = get_in_scope(actor, Need.objects.all(), pk=into.pk)
    if target.pk == need.pk or target.community_id != need.community_id:
        raise InvalidInput(
            _("Similar need must be another need of the same community."), field="into"
        )
    if target.status not in (NeedStatus.COLLECTED, NeedStatus.ASSESSED, NeedStatus.MATCHED):
        raise InvalidInput(
            _("Similar need is already closed: merge into an open one."), field="into"
        )
    return target


@transaction.atomic
def organisation_register(
    *,
    actor: Any,
    subdistrict_id: int,
    name: str,
    credit_code: str,
    kind: str,
    services: str,
    communities: Iterable[Community],
    is_synthetic: bool = False,
) -> Organisation:
    """Put a social organisation on the registry, with the communities it serves."""
    require(actor, "community.organisation_manage")
    name = clean_text(name, field="name", max_length=100, label=_("Name"), required=True)
    code = normalise_credit_code(credit_code, label=_("Unified social credit code"))
    if kind not in Organisation.Kind.values:
        raise InvalidInput(_("Kind is not one of the kinds of social organisation."), field="kind")
    services = clean_text(
        services, field="services", max_length=MAX_TEXT, label=_("Services offered"), required=True
    )
    served = list(communities)
    if not served:
        raise InvalidInput(_("Communities served: choose at least one."), field="communities")
    if actor is not SYSTEM:
        subdistrict_id = actor.subdistrict_id
    if any(community.subdistrict_id != subdistrict_id for community in served):
        raise InvalidInput(
            _("Communities served must be communities of your subdistrict."), field="communities"
        )
    if Organisation.objects.filter(credit_code=code).exists():
        raise InvalidInput(
            _("Unified social credit code %(code)s is registered already.") % {"code": code},
            field="credit_code",
        )
    if Organisation.objects.filter(subdistrict_id=subdistrict_id, name=name).exists():
        raise InvalidInput(
            _("Name “%(name)s” is registered already.") % {"name": name}, field="name"
        )
    organisation = model_create(
        model=Organisation,
        data={
            "subdistrict_id": subdistrict_id,
            "name": name,
            "credit_code": code,
            "kind": kind,
            "services": services,
            "is_synthetic": is_synthetic,
        },
        actor=actor,
        action="community.organisation.register",
    )
    organisation.communities.set(served)
    return organisation


@transaction.atomic
def organisation_member_add(*, actor: Any, organisation: Organisation, user: Any) -> None:
    """Let an account with the social-organisation role act for the organisation."""
    require(actor, "community.organisation_manage")
    if _role(user) != "social_organisation":
        raise InvalidInput(_("Account must have the role “social organisation”."), field="user")
    organisation.members.add(user)
    from jiedao.audit.services import audit_record

    audit_record(
        actor=actor,
        action="community.organisation.member_add",
        target=organisation,
        after={"member": user.get_username()},
    )


@transaction.atomic
def call_blow(*, actor: Any, need: Need, message: str, at: datetime | None = None) -> Call:
    """A community lead blows the whistle (吹哨) for an assessed need: the organisations serving
    its community see the call and may report in."""
    require(actor, "community.call")
    need = _lock_need(actor, need)
    if need.status not in WHISTLE_STATUSES:
        raise Conflict(
            _(
                "A whistle can be blown only for an assessed or matched need; this one is “%(status)s”."
            )
            % {"status": NeedStatus(need.status).label},
            code="not_assessed",
        )
    if Call.objects.filter(need=need, closed_at__isnull=True).exists():
        raise Conflict(_("This need already has an open call."), code="call_open")
    message = clean_text(
        message, field="message", max_length=MAX_TEXT, label=_("Message"), required=True
    )
    return model_create(
        model=Call,
        data={
            "need": need,
            "community_id": need.community_id,
            "subdistrict_id": need.subdistrict_id,
            "message": message,
            "called_by": actor if getattr(actor, "pk", None) else None,
            "called_at": at if (at is not None and actor is SYSTEM) else timezone.now(),
        },
        actor=actor,
        action="community.call.blow",
    )


def _acting_organisation(actor: Any, call: Call, organisation: Organisation) -> Organisation:
    """The organisation, if the actor acts for it and it serves the call's community."""
    if actor is not SYSTEM and not organisation.members.filter(pk=actor.pk).exists():
        raise Forbidden(_("You do not act for this social organisation."))
    if not organisation.communities.filter(pk=call.community_id).exists():
        raise InvalidInput(
            _("Social organisation %(name)s does not serve %(community)s.")
            % {"name": organisation.name, "community": call.community.name},
            field="organisation",
        )
    return organisation


@transaction.atomic
def call_report_in(
    *, actor: Any, call: Call, organisation: Organisation, at: datetime | None = None
) -> CallResponse:
    """An organisation reports in (报到) to an open call."""
    require(actor, "community.respond")
    call = get_in_scope(
        actor, Call.objects.select_for_update().select_related("community"), pk=call.pk
    )
    if not call.is_open:
        raise Conflict(_("This call is closed."), code="call_closed")
    organisation = _acting_organisation(actor, call, organisation)
    if CallResponse.objects.filter(call=call, organisation=organisation).exists():
        raise Conflict(
            _("%(name)s has reported in to this call already.") % {"name": organisation.name},
            code="reported_in",
        )
    return model_create(
        model=CallResponse,
        data={
            "call": call,
            "organisation": organisation,
            "reported_by": actor if getattr(actor, "pk", None) else None,
            "reported_at": at if (at is not None and actor is SYSTEM) else timezone.now(),
        },
        actor=actor,
        action="community.response.report_in",
    )


@transaction.atomic
def call_report_in_department(
    *, actor: Any, call: Call, department: Department | None = None, at: datetime | None = None
) -> CallResponse:
    """Department staff report in (报到) to an open call for their own department (the demo
    loader names the department)."""
    require(actor, "community.respond_department")
    call = get_in_scope(
        actor, Call.objects.select_for_update().select_related("community"), pk=call.pk
    )
    if not call.is_open:
        raise Conflict(_("This call is closed."), code="call_closed")
    if actor is not SYSTEM:
        department = actor.department
    if department is None or department.subdistrict_id != call.subdistrict_id:
        raise InvalidInput(_("Department: choose one of the list."), field="department")
    if CallResponse.objects.filter(call=call, department=department).exists():
        raise Conflict(
            _("%(name)s has reported in to this call already.") % {"name": department.name},
            code="reported_in",
        )
    return model_create(
        model=CallResponse,
        data={
            "call": call,
            "department": department,
            "reported_by": actor if getattr(actor, "pk", None) else None,
            "reported_at": at if (at is not None and actor is SYSTEM) else timezone.now(),
        },
        actor=actor,
        action="community.response.report_in",
    )


def _acting_responder(actor: Any, response: CallResponse) -> None:
    """The actor acts for the organisation or the department that answered."""
    if response.department_id is not None:
        if actor is not SYSTEM and (
            getattr(actor, "role", "") != "department_handler"
            or actor.department_id != response.department_id
        ):
            raise Forbidden(_("You do not act for this department."))
        return
    organisation = response.organisation
    if organisation is None or (
        actor is not SYSTEM and getattr(actor, "role", "") != "social_organisation"
    ):
        raise Forbidden(_("You do not act for this social organisation."))
    _acting_organisation(actor, response.call, organisation)


@transaction.atomic
def response_transition(
    *, actor: Any, response: CallResponse, action: str, text: str, at: datetime | None = None
) -> CallResponse:
    """Commit (承诺) or report completion on an organisation's answer. A commitment matches an
    assessed need to the organisation, through the needs table."""
    if actor is not SYSTEM and not (
        can(actor, "community.respond") or can(actor, "community.respond_department")
    ):
        require(actor, "community.respond")
    response = get_in_scope(
        actor,
        CallResponse.objects.select_for_update(of=("self",)).select_related(
            "call__need", "call__community", "organisation", "department"
        ),
        pk=response.pk,
    )
    transition = RESPONSE_TRANSITIONS.get((response.status, action))
    if transition is None:
        raise Conflict(
            _("An answer that is “%(status)s” cannot be “%(action)s”.")
            % {
                "status": ResponseStatus(response.status).label,
                "action": ResponseAction(action).label
                if action in ResponseAction.values
                else action,
            },
            code="transition_not_allowed",
        )
    if not response.call.is_open:
        raise Conflict(_("This call is closed."), code="call_closed")
    _acting_responder(actor, response)
    now = at if (at is not None and actor is SYSTEM) else timezone.now()
    if action == ResponseAction.COMMIT:
        text = clean_text(
            text, field="text", max_length=MAX_TEXT, label=_("What you will do"), required=True
        )
        data = {"status": transition.target, "commitment": text, "committed_at": now}
    else:
        text = clean_text(
            text, field="text", max_length=MAX_TEXT, label=_("What was done"), required=True
        )
        data = {"status": transition.target, "completion": text, "completed_at": now}
    model_update(instance=response, data=data, actor=actor, action=f"community.response.{action}")
    need = response.call.need
    if action == ResponseAction.COMMIT and need is not None and need.status == NeedStatus.ASSESSED:
        need_transition(
            actor=SYSTEM,
            need=need,
            action=NeedAction.MATCH,
            match_kind=(MatchKind.DEPARTMENT if response.department_id else MatchKind.ORGANISATION),
            organisation=response.organisation,
            department=response.department,
            at=now,
        )
    return response
