"""Signing in to the desk (登录): the API keys, a signed session cookie, CSRF tokens, one-time links.

A clerk signs in once with the API key they were given; the cookie then names that key by its
SHA-256 digest (never the key itself), signed with itsdangerous under a secret derived from the
configured keys and the database password, so changing the keys signs everyone out. The cookie
is HttpOnly and SameSite=Lax; every form carries the session's CSRF token and a POST without it
is refused. Roles are the API's (graphql_api.auth): the same keys, the same rules.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from authreg.settings import Settings
from graphql_api.auth import ANONYMOUS, PERSONAL_DATA_ROLES, Caller, KeyRing, Role, caller_of

COOKIE = "authreg_desk"
SESSION_MAX_AGE_S = 12 * 3600  # a working day; then sign in again
ONCE_MAX_AGE_S = 10 * 60  # a one-time sign-in link is good for ten minutes, and once
ONCE_PATH = "/sign-in/once"


def session_secret(settings: Settings) -> bytes:
    """The signing secret: the configured keys and the database password, hashed together."""
    digest = hashlib.sha256(b"authreg desk session\0")
    digest.update(settings.neo4j_password.get_secret_value().encode("utf-8"))
    for key in sorted(k.key.get_secret_value() for k in settings.api_keys):
        digest.update(b"\0" + key.encode("utf-8"))
    return digest.digest()


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def one_time_link(settings: Settings, key: str, base_url: str) -> str:
    """A link that signs its first visitor in as `key`'s holder (for `authreg demo`)."""
    token = URLSafeTimedSerializer(session_secret(settings), salt="desk-once").dumps(
        {"k": key_digest(key), "n": secrets.token_urlsafe(12)}
    )
    return f"{base_url.rstrip('/')}{ONCE_PATH}?token={token}"


def desk_link(settings: Settings, key: str | None, host: str, port: int) -> str:
    """The desk's address for `authreg demo` to print: a one-time sign-in link with the run's
    own key, else the plain address (sign in with a configured key)."""
    base = f"http://{host}:{port}"
    return one_time_link(settings, key, base) if key else f"{base}/"


@dataclass
class Visit:
    """Who is at the desk for this request, and the session's CSRF token."""

    caller: Caller | None
    csrf: str
    digest: str | None = None  # the signed-in key's digest; None: anonymous or signed out
    fresh: bool = False  # the cookie must be (re)written

    @property
    def role(self) -> Role | None:
        return self.caller.role if self.caller else None

    @property
    def sees_personal_data(self) -> bool:
        return self.caller is not None and self.caller.role in (*PERSONAL_DATA_ROLES,)

    def may(self, *roles: Role) -> bool:
        """Whether the caller has one of `roles` (admin always does)."""
        if self.caller is None or self.caller.anonymous:
            return False
        return self.caller.role is Role.ADMIN or self.caller.role in roles


@dataclass
class Sessions:
    """The desk's sign-ins for one app: the key ring and the serializers."""

    settings: Settings
    keys: KeyRing = field(init=False)
    _by_digest: dict[str, Caller] = field(init=False)
    _used_once: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.keys = KeyRing(self.settings)
        self._by_digest = {
            key_digest(k.key.get_secret_value()): caller_of(k) for k in self.settings.api_keys
        }
        secret = session_secret(self.settings)
        self._cookie = URLSafeTimedSerializer(secret, salt="desk-session")
        self._once = URLSafeTimedSerializer(secret, salt="desk-once")

    def visit(self, request: Request) -> Visit:
        """The caller named by the request's cookie (or anonymous, if the API allows it)."""
        data = self._load(request.cookies.get(COOKIE))
        csrf = data.get("c") if isinstance(data.get("c"), str) else None
        caller = self._by_digest.get(data.get("k") or "")
        digest = data.get("k") if caller else None
        if caller is None and self.settings.api_anonymous_read:
            caller = ANONYMOUS
        return Visit(
            caller=caller, csrf=csrf or secrets.token_urlsafe(24), digest=digest, fresh=csrf is None
        )

    def sign_in(self, visit: Visit, key: str) -> str | None:
        """Sign in with an API key; the reason in Chinese when the key is refused."""
        caller, problem = self.keys.identify(key.strip() or None)
        if caller is None or caller.anonymous:
            return "密钥无效或未填写，请核对后重试。" if problem or caller else "请填写密钥。"
        visit.caller, visit.digest, visit.fresh = caller, key_digest(key.strip()), True
        visit.csrf = secrets.token_urlsafe(24)  # a new session gets a new token
        return None

    def sign_in_once(self, visit: Visit, token: str) -> str | None:
        """Sign in by a one-time link; the reason in Chinese when the link is refused."""
        try:
            data = self._once.loads(token, max_age=ONCE_MAX_AGE_S)
        except BadSignature:
            return "登录链接无效或已过期（十分钟内有效），请重新生成。"
        nonce, digest = data.get("n"), data.get("k")
        if nonce in self._used_once or digest not in self._by_digest:
            return "登录链接已使用过，或其密钥已停用。"
        self._used_once.add(nonce)
        visit.caller, visit.digest, visit.fresh = self._by_digest[digest], digest, True
        visit.csrf = secrets.token_urlsafe(24)
        return None

    def sign_out(self, visit: Visit) -> None:
        visit.caller = ANONYMOUS if self.settings.api_anonymous_read else None
        visit.digest, visit.fresh = None, True
        visit.csrf = secrets.token_urlsafe(24)

    def csrf_ok(self, visit: Visit, sent: str | None) -> bool:
        """Whether a form's token is the session's (compared in constant time)."""
        return bool(sent) and not visit.fresh and hmac.compare_digest(visit.csrf, sent or "")

    def keep(self, visit: Visit, request: Request, response: Response) -> None:
        """Write the cookie when the session is new or changed."""
        if not visit.fresh:
            return
        value = self._cookie.dumps({"k": visit.digest, "c": visit.csrf})
        response.set_cookie(
            COOKIE,
            value,
            max_age=SESSION_MAX_AGE_S,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )

    def _load(self, cookie: str | None) -> dict[str, Any]:
        if not cookie or len(cookie) > 2000:
            return {}
        try:
            data = self._cookie.loads(cookie, max_age=SESSION_MAX_AGE_S)
        except BadSignature:
            return {}
        return data if isinstance(data, dict) else {}
