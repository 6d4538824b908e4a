"""Who is calling and what they may do (权限): API keys mapped to roles, checked per field.

Roles (DESIGN.md): viewer reads (legal staff), editor also records cases and transfers and loads
catalogs (the establishment office), reviewer raises and decides jurisdiction disputes, admin may
do everything and read the audit trail. Officers' personal fields (name, certificate number) are
for editor, reviewer and admin only. A call without a key is anonymous: refused with
UNAUTHENTICATED unless the anonymous read-only mode is on, in which case it reads as a viewer.
The key travels in `X-API-Key: <key>` or `Authorization: Bearer <key>`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from strawberry.permission import BasePermission

from authreg.settings import ApiKey, Settings
from graphql_api.errors import Forbidden, Unauthenticated

API_KEY_HEADER = "X-API-Key"
AUTHORIZATION_HEADER = "Authorization"


class Role(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    REVIEWER = "reviewer"
    ADMIN = "admin"


@dataclass(frozen=True)
class Caller:
    """The holder of the key a request came with (recorded as the actor of every write)."""

    name: str
    role: Role
    anonymous: bool = False
    regions: tuple[str, ...] = ()  # where the key may write (issue 17.7); empty: everywhere


ANONYMOUS = Caller(name="anonymous", role=Role.VIEWER, anonymous=True)


class KeyRing:
    """The configured keys, compared by their SHA-256 digests in constant time."""

    def __init__(self, settings: Settings) -> None:
        self._keys = [(_digest(k.key.get_secret_value()), caller_of(k)) for k in settings.api_keys]
        self._anonymous_read = settings.api_anonymous_read

    def caller(self, headers: Mapping[str, str]) -> tuple[Caller | None, str | None]:
        """The caller for a request's headers, or None and why not."""
        key, problem = presented_key(headers)
        if problem is not None:
            return None, problem
        return self.identify(key)

    def identify(self, key: str | None) -> tuple[Caller | None, str | None]:
        """The caller for a key, or None and why not (no key / unknown key)."""
        if not key:
            if self._anonymous_read:
                return ANONYMOUS, None
            return None, (
                f"send an API key in the {API_KEY_HEADER} header or as "
                f"{AUTHORIZATION_HEADER}: Bearer <key> (缺少接口密钥)"
            )
        digest = _digest(key)
        found = None
        for known, caller in self._keys:
            if hmac.compare_digest(known, digest):  # no early exit: timing says nothing
                found = caller
        if found is None:
            return None, "the API key is not known (接口密钥无效)"
        return found, None


def caller_of(key: ApiKey) -> Caller:
    """The caller a configured key stands for: its holder, role and write regions."""
    return Caller(key.name, Role(key.role), regions=tuple(key.regions))


def presented_key(headers: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The key in `X-API-Key` or `Authorization: Bearer` (None: no key), or why it is unusable:
    another scheme than Bearer, or two different keys in the two headers."""
    key = headers.get(API_KEY_HEADER) or None
    authorization = headers.get(AUTHORIZATION_HEADER)
    if not authorization:
        return key, None
    scheme, _, bearer = authorization.strip().partition(" ")
    bearer = bearer.strip()
    if scheme.lower() != "bearer" or not bearer:
        return None, (
            f"the {AUTHORIZATION_HEADER} header must read 'Bearer <key>' "
            f"(or send the key in {API_KEY_HEADER}) (认证方式不支持)"
        )
    if key is not None and not hmac.compare_digest(_digest(key), _digest(bearer)):
        return None, f"{API_KEY_HEADER} and {AUTHORIZATION_HEADER} carry different keys (密钥冲突)"
    return bearer, None


def require(context: Any, *roles: Role) -> Caller:
    """The context's caller if its role is one of `roles` (admin always is); else an error."""
    caller: Caller | None = context.caller
    if caller is None:
        raise Unauthenticated(context.auth_problem or "authentication required")
    if caller.role is not Role.ADMIN and caller.role not in roles:
        wanted = " or ".join(dict.fromkeys(role.value for role in (*roles, Role.ADMIN)))
        raise Forbidden(f"this needs the role {wanted}; your key has the role {caller.role.value}")
    return caller


ANY_ROLE = tuple(Role)
PERSONAL_DATA_ROLES = (Role.EDITOR, Role.REVIEWER, Role.ADMIN)


class _NeedsRole(BasePermission):
    roles: tuple[Role, ...] = ANY_ROLE

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        require(info.context, *self.roles)  # raises the coded error itself
        return True


class CanRead(_NeedsRole):
    """Any identified caller, or anyone when the anonymous read-only mode is on."""

    roles = ANY_ROLE


class CanEdit(_NeedsRole):
    roles = (Role.EDITOR,)


class CanReview(_NeedsRole):
    roles = (Role.REVIEWER,)


class CanAdminister(_NeedsRole):
    roles = (Role.ADMIN,)


class SeesPersonalData(_NeedsRole):
    """Officers' names and certificate numbers (个人信息): editor, reviewer and admin."""

    roles = PERSONAL_DATA_ROLES


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()
