"""Loading the Wenyan demo through the same services a user's actions go through."""

from django.conf import settings
from django.db import transaction

from jiedao.accounts.models import User
from jiedao.accounts.permissions import SYSTEM
from jiedao.accounts.services import user_create
from jiedao.assessment.demo import assessment_demo_load
from jiedao.audit.services import audit_seal
from jiedao.community.demo import community_demo_load, event_call_demo_load
from jiedao.enforcement.demo import enforcement_demo_load
from jiedao.events.demo import demo_events_load
from jiedao.events.services import category_catalogue_load
from jiedao.geo.models import Subdistrict
from jiedao.geo.services import community_create, department_create, grid_create, subdistrict_create
from jiedao.indicators.demo import indicators_demo_load
from jiedao.portal.demo import portal_demo_load
from jiedao.sanitation.demo import sanitation_demo_load, sanitation_history_load
from jiedao.sanitation.demo_board import board_demo_load
from jiedao.sensors.demo import sensors_demo_load
from jiedao.supervision.demo import supervision_demo_load

from . import wenyan


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Create Wenyan's geography, departments and one user per role. Loading twice changes
    nothing: the demo is there once."""
    if Subdistrict.objects.filter(code=wenyan.SUBDISTRICT["code"]).exists():
        return {"created": 0}
    subdistrict = subdistrict_create(actor=SYSTEM, **wenyan.SUBDISTRICT)
    departments = {
        code: department_create(
            actor=SYSTEM, subdistrict=subdistrict, code=code, name=name, kind=kind, duties=duties
        )
        for code, name, kind, duties in wenyan.DEPARTMENTS
    }
    category_catalogue_load(actor=SYSTEM, subdistrict=subdistrict)
    communities = {}
    grids = {}
    for (sequence, name, kind, _seed, grid_count), area in zip(
        wenyan.COMMUNITIES, wenyan.community_areas(), strict=True
    ):
        community = community_create(
            actor=SYSTEM,
            subdistrict=subdistrict,
            name=name,
            kind=kind,
            code=area.code,
            boundary=wenyan.geojson(area.geometry),
            is_synthetic=True,
        )
        communities[sequence] = community
        for grid_area in wenyan.grid_areas(area, grid_count):
            grids[(sequence, grid_area.code[-3:])] = grid_create(
                actor=SYSTEM,
                community=community,
                name=grid_area.name,
                code=grid_area.code,
                boundary=wenyan.geojson(grid_area.geometry),
                is_synthetic=True,
            )
    for username, full_name, role, scope in wenyan.USERS:
        user_create(
            actor=SYSTEM,
            username=username,
            password=wenyan.DEMO_PASSWORD,
            role=role,
            full_name=full_name,
            phone="13800138000",
            subdistrict=subdistrict,
            community=communities.get(scope.get("community", "")),
            grid=grids.get(scope.get("grid", ("", ""))),
            department=departments.get(scope.get("department", "")),
        )
    supervision_demo_load(subdistrict=subdistrict)
    if settings.DEMO_COMMUNITY:
        community_demo_load(subdistrict=subdistrict)
    if settings.DEMO_EVENTS:  # the test settings leave the 4,000 demo events out
        demo_events_load(subdistrict=subdistrict)
        portal_demo_load(subdistrict=subdistrict)
        if settings.DEMO_COMMUNITY:  # sanjiang's call for one of the demo's open events
            event_call_demo_load(subdistrict=subdistrict)
    if settings.DEMO_SENSORS:
        sensors_demo_load(subdistrict=subdistrict)
    enforcement_demo_load(subdistrict=subdistrict)
    if settings.DEMO_INDICATORS:
        indicators_demo_load(subdistrict=subdistrict)
    if settings.DEMO_ASSESSMENT:  # after the enforcement demo: its members re-check its items
        assessment_demo_load(subdistrict=subdistrict)
    if settings.DEMO_SANITATION:
        sanitation_demo_load(subdistrict=subdistrict)
        sanitation_history_load(subdistrict=subdistrict)
        # The months' 红黄黑榜, published from the records just loaded.
        board_demo_load(subdistrict=subdistrict)
    # Sealed here, in the demo's transaction, rather than by the after-commit announcements:
    # the demo is complete and verifiable as soon as it is loaded.
    audit_seal()
    return {
        "created": 1,
        "communities": len(communities),
        "grids": len(grids),
        "departments": len(departments),
        "users": User.objects.count(),
    }
