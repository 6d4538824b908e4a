"""GraphiQL documents the API: every type, field and argument has a description."""

from __future__ import annotations

from graphql import GraphQLInputObjectType, GraphQLObjectType, GraphQLUnionType

from authreg.settings import load_settings
from graphql_api.schema import build_schema


def undocumented() -> list[str]:
    schema = build_schema(load_settings())._schema
    missing = []
    for name, kind in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not kind.description:
            missing.append(name)
        if isinstance(kind, (GraphQLObjectType, GraphQLInputObjectType)):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        elif isinstance(kind, GraphQLUnionType) and not kind.description:
            missing.append(name)
    return missing


def test_every_type_field_and_argument_is_described() -> None:
    assert undocumented() == []
