"""Validates a config against contract/model-config.schema.json, the one source of the config rules.

The same small interpreter as src/runtime/configSchema.ts (the JSON Schema keywords that file uses plus
its three x- cross-field rules), with the same words in its messages; contract/fixtures/ checks both.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, List, Optional, Tuple

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "contract" / "model-config.schema.json"
MODEL_CONFIG_SCHEMA = json.loads(SCHEMA_PATH.read_text())


class _Missing:
    pass


MISSING = _Missing()


@dataclass(frozen=True)
class SchemaViolation:
    path: str
    want: str
    got: Any  # MISSING when the field is absent

    def text(self) -> str:
        """`field "ila.window" must be an odd integer in [1, 31] (got 4)`: the words both languages use."""
        shown = "missing" if self.got is MISSING else json.dumps(self.got, separators=(",", ":"))[:80]
        return f'field "{self.path}" must be {self.want} (got {shown})'


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _type_matches(t: str, v: Any) -> bool:
    if t == "object":
        return isinstance(v, dict)
    if t == "array":
        return isinstance(v, list)
    if t == "string":
        return isinstance(v, str)
    if t == "boolean":
        return isinstance(v, bool)
    if t == "null":
        return v is None
    if t == "number":
        return _is_number(v)
    if t == "integer":  # JSON Schema: 8.0 is an integer, as in JavaScript
        return _is_number(v) and float(v).is_integer()
    raise ValueError(f"model-config schema: unsupported type {t!r}")


def _js_number(v: Any) -> str:
    """A number as JavaScript's String() writes it (8, not 8.0)."""
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def _plural(n: int) -> str:
    return f"{n} item{'' if n == 1 else 's'}"


def describe(node: dict) -> str:
    """What a value must be, in words (the same words as configSchema.ts's `describe`)."""
    if "const" in node:
        return json.dumps(node["const"])
    if "enum" in node:
        return "one of " + ", ".join(_js_number(x) for x in node["enum"])
    types = node.get("type", [])
    types = types if isinstance(types, list) else [types]
    main = [t for t in types if t != "null"]
    or_null = " or null" if "null" in types else ""
    t = main[0] if main else None
    if t == "integer":
        odd = "an odd integer" if node.get("not", {}).get("multipleOf") == 2 else "an integer"
        return f"{odd} in [{_js_number(node.get('minimum'))}, {_js_number(node.get('maximum'))}]{or_null}"
    if t == "number":
        return f"a number > {_js_number(node['exclusiveMinimum'])}" if "exclusiveMinimum" in node else "a finite number"
    if t == "string":
        return "a non-empty string" if node.get("minLength", 0) > 0 else "a string"
    if t == "boolean":
        return "a boolean"
    if t == "array":
        if "minItems" in node and node.get("minItems") == node.get("maxItems"):
            return f"an array of {_plural(node['minItems'])}"
        if "minItems" in node:
            return f"an array of at least {_plural(node['minItems'])}"
        return "an array"
    if t == "object":
        return f"an object{or_null}"
    raise ValueError("model-config schema: a node without type, const or enum")


def _resolve(node: dict, root: dict) -> dict:
    ref = node.get("$ref")
    if ref is None:
        return node
    name = ref.replace("#/$defs/", "")
    if name not in root.get("$defs", {}):
        raise ValueError(f"model-config schema: unresolved $ref {ref}")
    return root["$defs"][name]


def _at(doc: Any, dotted: str) -> Any:
    for k in dotted.split("."):
        doc = doc.get(k) if isinstance(doc, dict) else None
    return doc


_CROSS = ("x-multipleOfField", "x-sameLengthAs", "x-minimumLengthOf")


class _Walker:
    def __init__(self, root: dict):
        self.root = root
        self.deferred: List[Tuple[dict, Any, str]] = []

    def check(self, raw: dict, v: Any, path: str) -> Optional[SchemaViolation]:
        node = _resolve(raw, self.root)

        def bad() -> SchemaViolation:
            return SchemaViolation(path, describe(node), v)

        if "type" in node:
            types = node["type"] if isinstance(node["type"], list) else [node["type"]]
            if not any(_type_matches(t, v) for t in types):
                return bad()
            if v is None:
                return None
        if "const" in node and not (type(v) is type(node["const"]) and v == node["const"]):
            return bad()
        if "enum" in node and not any(_is_number(v) == _is_number(e) and v == e for e in node["enum"]):
            return bad()
        if isinstance(v, str) and "minLength" in node and len(v) < node["minLength"]:
            return bad()
        if _is_number(v):
            if "minimum" in node and v < node["minimum"]:
                return bad()
            if "maximum" in node and v > node["maximum"]:
                return bad()
            if "exclusiveMinimum" in node and v <= node["exclusiveMinimum"]:
                return bad()
            m = node.get("not", {}).get("multipleOf")
            if m is not None and v % m == 0:
                return bad()
        if isinstance(v, list):
            if "minItems" in node and len(v) < node["minItems"]:
                return bad()
            if "maxItems" in node and len(v) > node["maxItems"]:
                return bad()
            if "items" in node:
                for i, e in enumerate(v):
                    err = self.check(node["items"], e, f"{path}[{i}]")
                    if err:
                        return err
        if isinstance(v, dict) and "properties" in node:
            for key, child in node["properties"].items():
                child_path = f"{path}.{key}" if path else key
                if key not in v:
                    if key in node.get("required", []):
                        return SchemaViolation(child_path, describe(_resolve(child, self.root)), MISSING)
                    continue
                err = self.check(child, v[key], child_path)
                if err:
                    return err
        if any(k in node for k in _CROSS):
            self.deferred.append((node, v, path))
        return None

    def cross_check(self, doc: Any) -> Optional[SchemaViolation]:
        """The cross-field rules, once every field has its type (so the referenced fields are sound)."""
        for node, value, path in self.deferred:
            of = node.get("x-multipleOfField")
            if of is not None:
                m = _at(doc, of)
                if value % m != 0:
                    return SchemaViolation(path, f"a multiple of {of} ({_js_number(m)})", value)
            same = node.get("x-sameLengthAs")
            if same is not None:
                n = len(_at(doc, same))
                if len(value) != n:
                    return SchemaViolation(path, f"an array of {_plural(n)} (one per entry of {same})", value)
            at_least = node.get("x-minimumLengthOf")
            if at_least is not None:
                n = len(_at(doc, at_least))
                if value < n:
                    return SchemaViolation(path, f"at least {n}, the length of {at_least} (it must not be a class index)",
                                           value)
        return None


def find_violation(doc: Any, schema: dict = MODEL_CONFIG_SCHEMA) -> Optional[SchemaViolation]:
    """The first broken rule of `doc` (fields in schema order, then the cross-field rules), or None."""
    walker = _Walker(schema)
    err = walker.check(schema, doc, "")
    if err:
        return SchemaViolation(err.path or "(root)", err.want, err.got)
    return walker.cross_check(doc)


def schema_default(keys: List[str], schema: dict = MODEL_CONFIG_SCHEMA) -> Any:
    """The schema's `default` of a field given by its property path, e.g. ["segmentation", "ignoreIndex"]."""
    node = schema
    for k in keys:
        props = _resolve(node, schema).get("properties", {})
        if k not in props:
            raise ValueError(f"model-config schema: no field {'.'.join(keys)}")
        node = props[k]
    return _resolve(node, schema).get("default")
