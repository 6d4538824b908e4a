"""GraphQL object types built from the pydantic models (由模型生成类型): one description of the graph.

The answers in `queries/` and the node models in `schema/` are the single source of truth; this
module turns each into a strawberry type with the same fields, so a resolver returns the pydantic
object itself and the default field resolvers read its attributes. Descriptions come from the
pydantic field's own description, else from `glossary.yaml` (by `Model.field`, then by field
name); enums become strings whose description lists the allowed values. A field marked personal
(`json_schema_extra={"personal": True}`) is only shown to roles that may see officers' personal
data (see `graphql_api.auth`).
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import strawberry
import yaml
from pydantic import BaseModel
from strawberry.scalars import JSON

from graphql_api.auth import PERSONAL_DATA_ROLES, SeesPersonalData, require

GLOSSARY_FILE = Path(__file__).with_name("glossary.yaml")
SCALARS: dict[Any, Any] = {str: str, int: int, float: float, bool: bool, date: date}
SCALARS[datetime] = datetime

_built: dict[type[BaseModel], type] = {}
_names: dict[str, type[BaseModel]] = {}


@cache
def glossary() -> dict[str, str]:
    """Field descriptions shared by many models: `name` or `Model.name` → text (中文术语)."""
    return yaml.safe_load(GLOSSARY_FILE.read_text(encoding="utf-8")) or {}


def graphql_type(model: type[BaseModel], name: str | None = None) -> type:
    """The strawberry type of `model` (built once; nested models are built as they are met)."""
    if model in _built:
        return _built[model]
    type_name = name or _unique_name(model)
    _names[type_name] = model
    namespace: dict[str, Any] = {"__annotations__": {}}
    _built[model] = placeholder = type(type_name, (), namespace)  # breaks recursive models
    for field_name, info in model.model_fields.items():
        annotation = graphql_annotation(info.annotation)
        if _personal(info) or _personal_when(info):  # nullable: a refused field does not
            annotation = annotation | None  # null its whole object
        namespace["__annotations__"][field_name] = annotation
        setattr(placeholder, field_name, _field(model, field_name, info, annotation))
    for field_name, info in model.model_computed_fields.items():
        annotation = graphql_annotation(info.return_type)
        namespace["__annotations__"][field_name] = annotation
        setattr(placeholder, field_name, _field(model, field_name, info, annotation))
    placeholder.__annotations__ = namespace["__annotations__"]
    built = strawberry.type(placeholder, name=type_name, description=_doc(model))
    _built[model] = built
    return built


def graphql_annotation(annotation: Any) -> Any:
    """A Python annotation as a strawberry one: Optional, list, nested models, enums, Literal."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in args if arg is not type(None)]
        if len(inner) != 1:
            return JSON if type(None) not in args else JSON | None
        return graphql_annotation(inner[0]) | None
    if origin in (list, tuple, set, frozenset):
        return list[graphql_annotation(args[0])]
    if origin is typing.Literal:
        return str
    if origin is dict or annotation in (dict, Any, object):
        return JSON
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return str
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return graphql_type(annotation)
    if annotation in SCALARS:
        return SCALARS[annotation]
    raise TypeError(f"no GraphQL type for {annotation!r}")


def _field(model: type[BaseModel], name: str, info: Any, annotation: Any) -> Any:
    description = _describe(model, name, info, annotation)
    resolver = _resolver(name, annotation, _personal_when(info))
    permissions = [SeesPersonalData] if _personal(info) else []
    return strawberry.field(
        resolver=resolver, description=description, permission_classes=permissions
    )


def _personal(info: Any) -> bool:
    extra = getattr(info, "json_schema_extra", None)
    return isinstance(extra, dict) and bool(extra.get("personal"))


def _personal_when(info: Any) -> dict[str, Any] | None:
    """`{"label": "Officer"}`: the field is personal data when the object's label is Officer."""
    extra = getattr(info, "json_schema_extra", None)
    return extra.get("personal_when") if isinstance(extra, dict) else None


def _resolver(
    name: str, annotation: Any, personal_when: dict[str, Any] | None = None
) -> Callable[..., Any]:
    def resolve(root: Any, info: strawberry.Info) -> Any:
        if personal_when and all(getattr(root, k) == v for k, v in personal_when.items()):
            require(info.context, *PERSONAL_DATA_ROLES)
        value = getattr(root, name)
        if isinstance(value, enum.Enum):
            return value.value
        if isinstance(value, list):
            return [v.value if isinstance(v, enum.Enum) else v for v in value]
        return value

    resolve.__annotations__ = {"root": Any, "info": strawberry.Info, "return": annotation}
    resolve.__name__ = f"resolve_{name}"
    resolve.plain = not personal_when  # type: ignore[attr-defined]  # info unused: schema.lean
    return resolve


def _describe(model: type[BaseModel], name: str, info: Any, annotation: Any) -> str | None:
    words = glossary()
    text = getattr(info, "description", None)
    for owner in model.__mro__:
        text = text or words.get(f"{owner.__name__}.{name}")
    text = text or words.get(name)
    allowed = _allowed_values(model, name)
    if text and allowed:
        text = f"{text}. One of: {allowed}"
    return text


def _allowed_values(model: type[BaseModel], name: str) -> str | None:
    info = model.model_fields.get(name)
    if info is None:
        return None
    for candidate in (info.annotation, *typing.get_args(info.annotation)):
        if typing.get_origin(candidate) is typing.Literal:
            return ", ".join(map(str, typing.get_args(candidate)))
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return ", ".join(str(member.value) for member in candidate)
    return None


def _doc(model: type[BaseModel]) -> str | None:
    doc = (model.__doc__ or "").strip()
    if not doc or doc.startswith(("Usage docs:", "!!! abstract")):  # pydantic's own docstring
        return glossary().get(model.__name__)
    return " ".join(doc.split("\n\n")[0].split())


def _unique_name(model: type[BaseModel]) -> str:
    """The model's class name; a second model with the same name gets its module as a prefix."""
    name = model.__name__
    if "[" in name:  # a generic such as Page[Street]
        name = name.replace("[", "").replace("]", "").replace(".", "").replace(",", "")
    if name in _names and _names[name] is not model:
        module = model.__module__.rsplit(".", 1)[-1]
        name = "".join(part.title() for part in module.split("_")) + name
    return name


_inputs: dict[type[BaseModel], type] = {}


def graphql_input(model: type[BaseModel], name: str) -> type:
    """A strawberry input type with the model's fields; pydantic validates what arrives.

    Fields with a default are optional; enums and literals arrive as strings and unions as JSON,
    so the model's own validation (not GraphQL's) names a bad value.
    """
    if model in _inputs:
        return _inputs[model]
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        annotation = _input_annotation(info.annotation)
        description = _describe(model, field_name, info, annotation)
        if info.is_required():
            namespace[field_name] = strawberry.field(description=description)
        else:
            annotation = annotation | None
            namespace[field_name] = strawberry.field(description=description, default=None)
        annotations[field_name] = annotation
    namespace["__annotations__"] = annotations
    built = strawberry.input(type(name, (), namespace), name=name, description=_doc(model))
    _inputs[model] = built
    return built


def input_values(value: Any) -> Any:
    """An input object as plain dicts and lists (what pydantic validates); None fields dropped."""
    if isinstance(value, list):
        return [input_values(v) for v in value]
    if hasattr(value, "__strawberry_definition__"):
        return {
            key: input_values(v)
            for key, v in vars(value).items()
            if v is not None and not key.startswith("_")
        }
    return value


def _input_annotation(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in args if arg is not type(None)]
        return _input_annotation(inner[0]) if len(inner) == 1 else JSON
    if origin in (list, tuple, set, frozenset):
        return list[_input_annotation(args[0])]
    if origin is typing.Annotated:
        return _input_annotation(args[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return graphql_input(annotation, f"{annotation.__name__}Input")
    return graphql_annotation(annotation)
