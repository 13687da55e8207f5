"""Reads the Rust `Debug` text of a Databend `DataSchema` and turns its types into Databend's SQL type names.

The embedded engine's Python binding exposes a result schema only as `repr(DataSchema)`, e.g.
`DataSchema { fields: [DataField { name: "a", default_expr: None, data_type: Number(UInt8), ... }] }`.
This module parses that text generically (structs, tuples, lists, strings, numbers) and maps each
`data_type` to the name Databend's HTTP handler puts in a response schema (`Nullable(Int32)`,
`Decimal(38, 10)`, `Array(Nullable(Int64))`, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>-?\d+(?:\.\d+)?)|(?P<ident>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[{}\[\](),:]))',
    re.S,
)


@dataclass
class Node:
    """`Name`, `Name(args)` or `Name { fields }`."""

    name: str
    args: list[Any] = field(default_factory=list)
    fields: dict[str, Any] | None = None


class _Parser:
    def __init__(self, text: str):
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        text = text.rstrip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m:
                raise ValueError(f"cannot parse schema text at {pos}: {text[pos:pos + 40]!r}")
            kind = m.lastgroup or ""
            self.tokens.append((kind, m.group(kind)))
            pos = m.end()
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, expected: str | None = None) -> tuple[str, str]:
        tok = self.tokens[self.i]
        if expected is not None and tok[1] != expected:
            raise ValueError(f"expected {expected!r}, got {tok[1]!r}")
        self.i += 1
        return tok

    def value(self) -> Any:
        kind, text = self.take()
        if kind == "str":
            return _unescape(text[1:-1])
        if kind == "num":
            return int(text) if re.fullmatch(r"-?\d+", text) else float(text)
        if text == "[":
            items = []
            while self.peek()[1] != "]":
                items.append(self.value())
                if self.peek()[1] == ",":
                    self.take(",")
            self.take("]")
            return items
        if text == "{":  # a map, e.g. `metadata: {}`
            entries = {}
            while self.peek()[1] != "}":
                k = self.value()
                self.take(":")
                entries[str(k)] = self.value()
                if self.peek()[1] == ",":
                    self.take(",")
            self.take("}")
            return entries
        if kind != "ident":
            raise ValueError(f"unexpected token {text!r}")
        node = Node(text)
        nxt = self.peek()
        if nxt and nxt[1] == "(":
            self.take("(")
            while self.peek()[1] != ")":
                node.args.append(self.value())
                if self.peek()[1] == ",":
                    self.take(",")
            self.take(")")
        elif nxt and nxt[1] == "{":
            self.take("{")
            node.fields = {}
            while self.peek()[1] != "}":
                _, key = self.take()
                self.take(":")
                node.fields[key] = self.value()
                if self.peek()[1] == ",":
                    self.take(",")
            self.take("}")
        return node


def _unescape(s: str) -> str:
    out = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s):
            nxt = s[i + 1]
            simple = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}
            if nxt in simple:
                out.append(simple[nxt])
                i += 2
                continue
            if nxt == "u":  # \u{1f600}
                end = s.index("}", i)
                out.append(chr(int(s[i + 3 : end], 16)))
                i = end + 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def parse_schema(text: str) -> list[tuple[str, Node]]:
    """[(column name, data_type node)] from `repr(DataSchema)`."""
    root = _Parser(text).value()
    if not isinstance(root, Node) or root.fields is None:
        raise ValueError("not a DataSchema")
    return [(f.fields["name"], f.fields["data_type"]) for f in root.fields["fields"]]


def type_name(t: Node) -> str:
    """Databend's SQL name of a type, as its HTTP handler reports it."""
    n = t.name
    if n == "Number":
        return t.args[0].name
    if n == "Decimal":
        size = t.args[0]
        return f"Decimal({size.fields['precision']}, {size.fields['scale']})"
    if n in ("Nullable", "Array"):
        return f"{n}({type_name(t.args[0])})"
    if n == "Map":
        inner = t.args[0]
        if inner.name == "Tuple" and len(inner.args[0]) == 2:
            k, v = inner.args[0]
            return f"Map({type_name(k)}, {type_name(v)})"
        return f"Map({type_name(inner)})"
    if n == "Tuple":
        return "Tuple(" + ", ".join(type_name(x) for x in t.args[0]) + ")"
    if n == "Vector":
        return f"Vector({', '.join(str(a) for a in t.args)})"
    if not t.args and t.fields is None:
        return n  # Boolean, String, Binary, Date, Timestamp, Variant, Null, EmptyArray, ...
    raise ValueError(f"unsupported type {t!r}")


def unwrap_nullable(t: Node) -> Node:
    return t.args[0] if t.name == "Nullable" else t
