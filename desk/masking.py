"""Officers' personal data hidden from viewers (个人信息遮蔽), by the answers' own field marks.

The `queries/` answer models mark personal fields as the API reads them (graphql_api.
pydantic_types): `json_schema_extra={"personal": True}` always, or `{"personal_when": {…}}` when
the object's other fields match (an Officer node in a chain, a 人员 subject of a gap). The desk
walks the answer and replaces those values before a template sees it — and, because sentences
such as a gap's detail quote them ("林晓东 (证号 …) 执法证已到期"), every occurrence of a hidden
value in any other text of the same answer too. Over-hiding is the safe side.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

HIDDEN = "（已隐藏）"
M = TypeVar("M", bound=BaseModel)


def masked(answer: M, *, sees_personal_data: bool) -> M:
    """The answer itself for editors, reviewers and admins; a copy with personal values hidden
    for everyone else."""
    if sees_personal_data:
        return answer
    secrets: set[str] = set()
    _collect(answer, secrets)
    # Longest first: a certificate number is never left half-replaced by a name inside it.
    ordered = sorted((s for s in secrets if s and s != HIDDEN), key=len, reverse=True)
    return _mask(answer, ordered)  # type: ignore[no-any-return]


def _collect(value: Any, found: set[str]) -> None:
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            inner = getattr(value, name)
            if _is_personal(value, info.json_schema_extra):
                if isinstance(inner, str):
                    found.add(inner)
            else:
                _collect(inner, found)
    elif isinstance(value, (list, tuple)):
        for inner in value:
            _collect(inner, found)
    elif isinstance(value, dict):
        for inner in value.values():
            _collect(inner, found)


def _mask(value: Any, secrets: list[str]) -> Any:
    if isinstance(value, BaseModel):
        return _mask_model(value, secrets)
    if isinstance(value, str):
        return _scrub(value, secrets)
    if isinstance(value, list):
        return [_mask(v, secrets) for v in value]
    if isinstance(value, tuple):
        return tuple(_mask(v, secrets) for v in value)
    if isinstance(value, dict):
        return {k: _mask(v, secrets) for k, v in value.items()}
    return value


def _mask_model(model: BaseModel, secrets: list[str]) -> BaseModel:
    update: dict[str, Any] = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if _is_personal(model, info.json_schema_extra):
            update[name] = HIDDEN if value is not None else None
            continue
        inner = _mask(value, secrets)
        if inner != value:
            update[name] = inner
    return model.model_copy(update=update) if update else model


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, HIDDEN)
    return text


def _is_personal(model: BaseModel, extra: Any) -> bool:
    if not isinstance(extra, dict):
        return False
    if extra.get("personal"):
        return True
    when = extra.get("personal_when")
    return isinstance(when, dict) and all(getattr(model, k, None) == v for k, v in when.items())
