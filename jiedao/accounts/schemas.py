from datetime import datetime

from ninja import Schema
from pydantic import Field

# No NUL characters: PostgreSQL cannot store or even compare them.
NO_NUL = r"^[^\x00]*$"


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150, pattern=NO_NUL)
    password: str = Field(min_length=1, max_length=200, pattern=NO_NUL)
    name: str = Field(default="api", min_length=1, max_length=100, pattern=NO_NUL)


class TokenOut(Schema):
    token: str
    prefix: str
    expires_at: datetime


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    scope_level: str
    subdistrict_code: str | None
    community_code: str | None
    grid_code: str | None
    department_code: str | None
