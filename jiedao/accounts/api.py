from django.http import HttpRequest
from ninja import Router, Status

from jiedao.core.http import JiedaoRequest

from .models import Role
from .permissions import require, scope_of
from .schemas import MeOut, TokenIn, TokenOut
from .services import api_token_create

router = Router(tags=["accounts"])


@router.post("/tokens", auth=None, response={201: TokenOut}, summary="Get an API token")
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    """Exchange username and password for a bearer token (shown once). Repeated failures lock
    the account out for a while, as on the login page."""
    api_token, token = api_token_create(
        request=request, username=payload.username, password=payload.password, name=payload.name
    )
    return Status(
        201, {"token": token, "prefix": api_token.prefix, "expires_at": api_token.expires_at}
    )


@router.get("/me", response=MeOut, summary="Who am I")
def me(request: JiedaoRequest) -> dict[str, object]:
    user = request.user
    require(user, "accounts.view_self")
    return {
        "username": user.get_username(),
        "full_name": user.full_name,
        "role": user.role,
        "role_label": str(Role(user.role).label),
        "scope_level": str(scope_of(user).level),
        "subdistrict_code": user.subdistrict.code if user.subdistrict else None,
        "community_code": user.community.code if user.community else None,
        "grid_code": user.grid.code if user.grid else None,
        "department_code": user.department.code if user.department else None,
    }
