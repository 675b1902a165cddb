"""The bounded YAML/JSON parser and the dump (pure: text in, data out).

The parser refuses, before it builds anything, what could tie up a process or hide a mistake:
    more bytes than the limit (2 MB by default, `PPPFLOW_MAX_DOCUMENT_BYTES`)
    any YAML alias (`*name`): an alias repeats a node, and a few of them nest into a "billion laughs"
    nesting deeper than MAX_DEPTH mappings and lists
    a key written twice in one mapping (YAML would silently keep the last one)
    a number of more than MAX_NUMBER_DIGITS digits, NaN and infinities (JSON)
Each refusal is a BadInput naming the file and where (line and column, or the path of the key).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from pppflow.errors import BadInput

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 100


def size_problem(size: int, limit: int, name: str) -> BadInput:
    return BadInput(f"{name} is too large: {size:,} bytes", details=[f"at most {limit:,} bytes "
                                                                       "(setting PPPFLOW_MAX_DOCUMENT_BYTES)"])


def parse_document(data: bytes | str, name: str = "", *, limit: int = DEFAULT_MAX_BYTES,
                   as_json: bool | None = None) -> Any:
    """A YAML or JSON document, bounded (see the module); JSON strictly if `as_json`, or by default for a `.json`
    name (JSON is YAML too)."""
    shown = name or "the document"
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > limit:
        raise size_problem(size, limit, shown)
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise BadInput(f"{shown} is not UTF-8 text", details=[f"byte {exc.start + 1} cannot be decoded"]) from None
    strict = name.lower().endswith(".json") if as_json is None else as_json
    return parse_json(text, shown) if strict else parse_yaml(text, shown)


# --- YAML -------------------------------------------------------------------------------------------------------

def _path(parts: list[str]) -> str:
    out = ""
    for part in parts:
        out += part if part.startswith("[") or not out else f".{part}"
    return out or "(document)"


def _loaders() -> tuple[type, type]:
    """libyaml's loader where installed (fast, no recursion), else PyYAML's; numbers checked for their length."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Bounded(base):  # type: ignore[valid-type, misc]  # base is picked at run time: CSafeLoader if libyaml
        def construct_yaml_int(self, node: Any) -> Any:
            _check_digits(node)
            return super().construct_yaml_int(node)

        def construct_yaml_float(self, node: Any) -> Any:
            _check_digits(node)
            return super().construct_yaml_float(node)

        def construct_yaml_timestamp(self, node: Any) -> Any:
            try:
                return super().construct_yaml_timestamp(node)
            except ValueError:  # 2027-02-30: kept as text, so the validator names it by its path
                return str(node.value)

    Bounded.add_constructor("tag:yaml.org,2002:timestamp", Bounded.construct_yaml_timestamp)
    Bounded.add_constructor("tag:yaml.org,2002:int", Bounded.construct_yaml_int)
    Bounded.add_constructor("tag:yaml.org,2002:float", Bounded.construct_yaml_float)
    return base, Bounded


_LOADERS: tuple[type, type] | None = None


class _Refused(Exception):
    def __init__(self, mark: Any, problem: str) -> None:
        super().__init__(problem)
        self.mark, self.problem = mark, problem


def _check_digits(node: Any) -> None:
    if sum(c.isdigit() for c in node.value) > MAX_NUMBER_DIGITS:
        raise _Refused(node.start_mark, f"a number of more than {MAX_NUMBER_DIGITS} digits")


def _place(frame: list[Any], event: Any) -> list[str]:
    """The path of a node inside its open collection; moves the frame on (next index, or key/value turn)."""
    import yaml

    path, seen, key_next, last = frame
    if seen is None:
        frame[3] = last + 1
        return [*path, f"[{last}]"]
    if not key_next:
        frame[2] = True
        return [*path, str(last)]
    frame[2] = False
    if isinstance(event, yaml.ScalarEvent):
        if event.value in seen:
            raise _Refused(event.start_mark, f"the key {_path([*path, event.value])} is written twice")
        seen.add(event.value)
        frame[3] = event.value
    else:
        frame[3] = "(key)"
    return [*path, "(key)"]


def _check_events(events: Iterator[Any]) -> None:
    """Walk the parser's events before anything is built: no alias, depth at most MAX_DEPTH, no key twice."""
    import yaml

    # one frame per open collection: [path, keys seen (None for a list), next is a key?, index or last key]
    frames: list[list[Any]] = []
    for event in events:
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frames.pop()
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, f"an alias (*{event.anchor}) is not accepted; write the value out "
                                             "where it is needed")
        at = _place(frames[-1], event) if frames else []
        if isinstance(event, yaml.CollectionStartEvent):
            if len(frames) >= MAX_DEPTH:
                raise _Refused(event.start_mark, f"nested deeper than {MAX_DEPTH} levels")
            frames.append([at, set() if isinstance(event, yaml.MappingStartEvent) else None, True, 0])


def parse_yaml(text: str, name: str = "the document") -> Any:
    """A YAML document (one), bounded; a syntax error names the line and column in `name`."""
    global _LOADERS
    import yaml

    _LOADERS = _LOADERS or _loaders()
    plain, bounded = _LOADERS
    try:
        _check_events(yaml.parse(text, Loader=plain))
        return yaml.load(text, Loader=bounded)  # a SafeLoader subclass (bounded numbers)
    except _Refused as exc:
        raise BadInput(f"{name} is not accepted", details=[_where(name, exc.mark, exc.problem)]) from None
    except yaml.MarkedYAMLError as exc:
        problem = ": ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        if "maximum nesting depth" in problem:  # libyaml's own limit (1000 levels), met while scanning ahead
            problem = f"nested deeper than {MAX_DEPTH} levels"
        raise BadInput(f"{name} is not valid YAML",
                       details=[_where(name, exc.problem_mark or exc.context_mark, problem)]) from None
    except yaml.YAMLError as exc:
        raise BadInput(f"{name} is not valid YAML", details=[f"{name}: {exc}"]) from None


def _where(name: str, mark: Any, problem: str) -> str:
    return f"{name}, line {mark.line + 1}, column {mark.column + 1}: {problem}" if mark is not None else \
        f"{name}: {problem}"


# --- JSON -------------------------------------------------------------------------------------------------------

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class _Pairs(dict[str, Any]):
    """A JSON object that remembers the keys it was given twice."""

    twice: list[str]


def _pairs(items: list[tuple[str, Any]]) -> _Pairs:
    obj = _Pairs(items)
    obj.twice = [k for i, (k, _) in enumerate(items) if any(k == other for other, _ in items[:i])] \
        if len(obj) < len(items) else []
    return obj


def _json_depth_problem(text: str) -> tuple[int, int] | None:
    """The offset and depth where brackets outside strings first nest deeper than MAX_DEPTH."""
    bare = _STRING.sub(lambda m: " " * len(m.group()), text)
    depth = 0
    for m in _BRACKET.finditer(bare):
        depth += 1 if m.group() in "[{" else -1
        if depth > MAX_DEPTH:
            return m.start(), depth
    return None


def _plain(value: Any, at: list[str], name: str) -> Any:
    """The parsed value with plain dicts; a key given twice is refused by its path."""
    if isinstance(value, dict):
        twice = getattr(value, "twice", None)
        if twice:
            raise BadInput(f"{name} is not accepted", details=[
                f"{name}: the key {_path([*at, twice[0]])} is written twice"])
        return {k: _plain(v, [*at, k], name) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, [*at, f"[{i}]"], name) for i, v in enumerate(value)]
    return value


def _json_number(text: str) -> Any:
    if sum(c.isdigit() for c in text) > MAX_NUMBER_DIGITS:
        raise ValueError(f"a number of more than {MAX_NUMBER_DIGITS} digits")
    return float(text) if any(c in text for c in ".eE") else int(text)


def _no_constant(text: str) -> Any:
    raise ValueError(f"{text} is not a number JSON allows")


def parse_json(text: str, name: str = "the document") -> Any:
    """A JSON document, bounded; a syntax error names the line and column in `name`."""
    deep = _json_depth_problem(text)
    if deep is not None:
        line = text.count("\n", 0, deep[0]) + 1
        column = deep[0] - (text.rfind("\n", 0, deep[0]) + 1) + 1
        raise BadInput(f"{name} is not accepted", details=[
            f"{name}, line {line}, column {column}: nested deeper than {MAX_DEPTH} levels"])
    try:
        value = json.loads(text, object_pairs_hook=_pairs, parse_int=_json_number, parse_float=_json_number,
                           parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{name} is not valid JSON", details=[
            f"{name}, line {exc.lineno}, column {exc.colno}: {exc.msg}"]) from None
    except ValueError as exc:
        raise BadInput(f"{name} is not accepted", details=[f"{name}: {exc}"]) from None
    return _plain(value, [], name)


# --- out --------------------------------------------------------------------------------------------------------

def dump_document(data: Any, fmt: str) -> str:
    """A document as YAML (dates stay dates) or JSON (dates as ISO strings)."""
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False,
                          default=lambda v: v.isoformat() if isinstance(v, date) else str(v)) + "\n"
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    raise BadInput(f"unknown format {fmt!r}", details=["use yaml or json"])
