"""Officers' personal data hidden from viewers (个人信息遮蔽), by the answers' own field marks.

The `queries/` answer models mark personal fields as the API reads them (graphql_api.
pydantic_types): `json_schema_extra={"personal": True}` always, or `{"personal_when": {…}}` when
the object's other fields match (an Officer node in a chain, a 人员 subject of a gap). The desk
walks the answer and replaces those values before a template sees it, so no page can show them.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

HIDDEN = "（已隐藏）"
M = TypeVar("M", bound=BaseModel)


def masked(answer: M, *, sees_personal_data: bool) -> M:
    """The answer itself for editors, reviewers and admins; a copy with personal fields hidden
    for everyone else."""
    return answer if sees_personal_data else _mask(answer)


def _mask(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _mask_model(value)
    if isinstance(value, list):
        return [_mask(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_mask(v) for v in value)
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    return value


def _mask_model(model: BaseModel) -> BaseModel:
    update: dict[str, Any] = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if _is_personal(model, info.json_schema_extra):
            update[name] = HIDDEN if value is not None else None
        else:
            inner = _mask(value)
            if inner is not value:
                update[name] = inner
    return model.model_copy(update=update) if update else model


def _is_personal(model: BaseModel, extra: Any) -> bool:
    if not isinstance(extra, dict):
        return False
    if extra.get("personal"):
        return True
    when = extra.get("personal_when")
    return isinstance(when, dict) and all(getattr(model, k, None) == v for k, v in when.items())
