"""TOML tables read into dataclasses: one place that knows a table's keys are its dataclass's
fields, refuses an unknown key naming the nearest one, and checks each value's type; and the
one place an operator's TOML or JSON file is parsed, so that no file nests deeper than the
engine reads (3,000 levels were a RecursionError traceback, and a show that never started).

A field may be read from a key of another name (`field(metadata={"key": "at"})`), or be
no key at all (`metadata={"key": None}`: the engine sets it); `metadata={"means": ...}`
says what its value must be, in the words a wrong value is told.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import tomllib
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")
_KINDS = {float: "a number", int: "a whole number", str: "text", bool: "true or false", list: "a list"}
MAX_DEPTH = 32  # tables and arrays in an operator's file: a preset nests four deep, a venue file three


def parse_toml(text: str) -> dict[str, Any]:
    """An operator's TOML; ValueError (tomllib's, or of nesting past MAX_DEPTH) when it is not usable."""
    return _parsed(tomllib.loads, text)


def parse_json(text: str) -> Any:
    """An operator's JSON; ValueError (json's, or of nesting past MAX_DEPTH) when it is not usable."""
    return _parsed(json.loads, text)


def _parsed(loads: Callable[[str], Any], text: str) -> Any:
    try:
        data = loads(text)
    except RecursionError:
        raise _too_deep() from None
    _check_depth(data)
    return data


def _too_deep() -> ValueError:
    return ValueError(f"nested more than {MAX_DEPTH} levels deep (tables or arrays inside each other); {MAX_DEPTH} is the most read")


def _check_depth(data: Any) -> None:
    """Without recursion, so that what reads the data after can recurse safely."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth >= MAX_DEPTH:
                raise _too_deep()
            stack.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))


def table_keys(kind: type) -> dict[str, dataclasses.Field]:
    """The keys a table of this dataclass may have, each with its field."""
    keys = {}
    for field in dataclasses.fields(kind):
        key = field.metadata.get("key", field.name)
        if key is not None:
            keys[key] = field
    return keys


def check_keys(table: Mapping[str, Any], kind: type, what: str) -> None:
    """Refuse a key that is no field of `kind`, naming the nearest one and all of them."""
    keys = table_keys(kind)
    for key in sorted(set(table) - set(keys)):
        nearest = difflib.get_close_matches(key, list(keys), n=1)
        hint = f"did you mean {nearest[0]!r}? " if nearest else ""
        raise ValueError(f"unknown key {key!r}; {hint}{what} has {', '.join(keys)}")


def read_table(table: Mapping[str, Any], kind: type[T], what: str, **engine: Any) -> T:
    """The dataclass a table describes; missing keys take the fields' defaults, a field with no
    default must be given. Numbers must be finite. `engine`: the fields that are no key."""
    check_keys(table, kind, what)
    hints = typing.get_type_hints(kind)
    values = dict(engine)
    for key, field in table_keys(kind).items():
        if key not in table:
            if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                raise ValueError(f"{what} needs {key!r}")
            continue
        values[field.name] = _checked(key, table[key], hints[field.name], field.metadata.get("means"))
    return kind(**values)


def _checked(key: str, value: Any, hint: Any, means: str | None) -> Any:
    allowed = [t for t in typing.get_args(hint) if t is not type(None)] or [hint]
    for wanted in allowed:
        if wanted is Any:
            return value
        if wanted is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            if not math.isfinite(value):
                raise ValueError(f"{key!r} must be a finite number, got {value!r}")
            return float(value)
        if wanted in (int, str, bool, list) and isinstance(value, wanted) and (wanted is bool or not isinstance(value, bool)):
            return value
    raise ValueError(f"{key!r} must be {means or ' or '.join(_KINDS.get(t, str(t)) for t in allowed)}, got {value!r}")
