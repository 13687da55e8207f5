#!/usr/bin/env python3
"""A thin HTTP front that speaks the subset of Databend's `/v1` REST protocol that databend-driver
uses, and runs every statement on the real Databend engine embedded from PyPI `databend`.

SQL semantics are the engine's own; this file only does transport, result rendering and the few
emulations listed in README.md (this folder) and docs/local-environment.md.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import decimal
import hmac
import json
import os
import queue
import re
import signal
import socket
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

# The engine logs through `log`/`tracing`; keep it quiet before it is loaded.
os.environ["RUST_LOG"] = "off"
# The engine reports start-up telemetry over HTTPS. Route any such call to a closed local port so it
# fails at once instead of waiting on a network that is not there.
for _var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
    os.environ[_var] = "http://127.0.0.1:9"
os.environ["NO_PROXY"] = os.environ["no_proxy"] = ""

sys.dont_write_bytecode = True  # keep the source folder clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rust_debug import Node, parse_schema, type_name, unwrap_nullable  # noqa: E402

# `--protocol current` (the default) reports the engine's own version at login, as a server does, so
# clients take the path they take against every current server (databend-driver 0.33 above 1.2.781:
# upload, then `<sql> FROM @~/… FILE_FORMAT = (…)` as a query; above 1.2.835 Arrow results on request).
# `--protocol legacy` reports LEGACY_VERSION (stage attachments, JSON results) to test old servers.
LEGACY_VERSION = "1.2.780"
FRONT_DB = "_databend_front"
DEBUG = os.environ.get("DATABEND_FRONT_DEBUG") == "1"

# ErrorCode codes used by the front itself (Databend's own numbers).
INTERNAL = 1001
UNIMPLEMENTED = 1002
SYNTAX_ERROR = 1005
BAD_ARGUMENTS = 1006
BAD_BYTES = 1046
HTTP_NOT_FOUND = 1072
UNKNOWN_QUERY = 1127
AUTHENTICATE_FAILURE = 5100
CURRENT_TRANSACTION_IS_ABORTED = 4002


class DatabendError(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(f"[{code}] {message}")
        self.code = code
        self.message = message


_ERR = re.compile(
    r"^(?:Error: |DataFrame collect error: |Failed to create query context: |Session creation failed: )*"
    r"(?P<name>\w+)\. Code: (?P<code>\d+), Text = (?P<text>.*)$",
    re.S,
)


def engine_error(exc: BaseException) -> DatabendError:
    """Databend's own code and message from an engine exception (`Name. Code: N, Text = msg.`)."""
    text = str(exc).strip()
    m = _ERR.match(text)
    if m:
        msg = m.group("text")
        if msg.endswith("."):
            msg = msg[:-1]
        return DatabendError(int(m.group("code")), msg)
    # A Rust panic inside the binding (pyo3 PanicException) or an unexpected failure.
    first = text.split("\n", 1)[0]
    inner = _ERR.search(first.split("` value: ", 1)[-1]) if "` value: " in first else None
    if inner:
        return DatabendError(int(inner.group("code")), inner.group("text").rstrip("."))
    return DatabendError(INTERNAL, f"embedded engine failure: {first}")


def log(msg: str) -> None:
    sys.stderr.write(f"{dt.datetime.now().isoformat(timespec='milliseconds')} {msg}\n")
    sys.stderr.flush()


# --------------------------------------------------------------------------------------------------
# SQL helpers


def strip_sql(sql: str) -> str:
    s = sql.strip()
    while s.endswith(";"):
        s = s[:-1].rstrip()
    return s


_LEADING_COMMENTS = re.compile(r"^(?:\s+|--[^\n]*\n?|/\*.*?\*/)*", re.S)


def first_keyword(sql: str) -> str:
    s = _LEADING_COMMENTS.sub("", sql, count=1)
    m = re.match(r"\(*\s*([A-Za-z_]+)", s)
    return m.group(1).upper() if m else ""


def sql_string(value: str) -> str:
    out = value.replace("\\", "\\\\").replace("'", "\\'")
    out = out.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f"'{out}'"


def quote_ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def split_top_level_on(sql: str) -> tuple[str, str] | None:
    """For `REPLACE INTO t [(cols)] ON (keys) <source>`: (head through `ON (...)`, source)."""
    i, n = 0, len(sql)
    depth = 0
    while i < n:
        ch = sql[i]
        if ch in "'\"`":
            j = i + 1
            while j < n and sql[j] != ch:
                j += 2 if sql[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and sql[i : i + 2].upper() == "ON" and (i == 0 or not (sql[i - 1].isalnum() or sql[i - 1] == "_")):
            k = i + 2
            while k < n and sql[k].isspace():
                k += 1
            if k < n and sql[k] == "(":
                d = 0
                while k < n:
                    if sql[k] == "(":
                        d += 1
                    elif sql[k] == ")":
                        d -= 1
                        if d == 0:
                            return sql[: k + 1], sql[k + 1 :].strip()
                    k += 1
                return None
        i += 1
    return None


# --------------------------------------------------------------------------------------------------
# Result rendering: Databend's HTTP handler writes every value as text (FieldEncoderValues). For
# SELECT-like statements the front asks the engine itself to produce that text (casts to String),
# so numbers, decimals, dates and timestamps (in the session time zone) are Databend's own text.

_QUOTED_IN_NESTED = {"String", "Date", "Timestamp", "Variant", "Bitmap", "Geometry", "Geography", "Interval", "TimestampTz"}
_FLOATS = {"Float32", "Float64"}


def _leaf_expr(t: Node, e: str) -> str | None:
    n = t.name
    if n == "Boolean":
        return f"{e}::UInt8::String"
    if n == "Binary":
        return f"upper(to_hex({e}))"
    if n == "Variant":
        return f"CASE WHEN {e} IS NULL THEN NULL WHEN is_null_value({e}) THEN 'null' ELSE {e}::String END"
    if n == "String":
        return e
    if n in ("Null", "EmptyArray", "EmptyMap"):
        return e
    if n in ("Number", "Decimal", "Date", "Timestamp", "Interval", "Bitmap", "Geometry", "Geography", "TimestampTz"):
        return f"{e}::String"
    return None


def _is_leaf(t: Node) -> bool:
    return _leaf_expr(unwrap_nullable(t), "x") is not None


def render_expr(t: Node, e: str) -> tuple[str, str]:
    """(SQL expression giving the column's text, how Python finishes it: leaf|array|raw)."""
    u = unwrap_nullable(t)
    leaf = _leaf_expr(u, e)
    if leaf is not None:
        return leaf, "leaf"
    if u.name == "Array" and _is_leaf(u.args[0]):
        inner = unwrap_nullable(u.args[0])
        return f"array_transform({e}, _front_x -> {_leaf_expr(inner, '_front_x')})", "array"
    return e, "raw"


def _fix_float(t: Node, s: str) -> str:
    if t.name == "Number" and t.args[0].name in _FLOATS:
        if s in ("inf", "+inf"):
            return "Infinity"
        if s == "-inf":
            return "-Infinity"
        if s.lower() == "nan":
            return "NaN"
    return s


def _nested_text(t: Node, s: str | None) -> str:
    if s is None:
        return "NULL"
    u = unwrap_nullable(t)
    if u.name in _QUOTED_IN_NESTED:
        return "'" + s.replace("'", "''") + "'"
    return _fix_float(u, s)


def finish_value(t: Node, how: str, v: Any, tz: str) -> str | None:
    if v is None:
        return None
    u = unwrap_nullable(t)
    if how == "leaf":
        if u.name in ("EmptyArray",):
            return "[]"
        if u.name in ("EmptyMap",):
            return "{}"
        return _fix_float(u, v)
    if how == "array":
        return "[" + ",".join(_nested_text(u.args[0], x) for x in v) + "]"
    return python_text(t, v, tz, nested=False)


def python_text(t: Node, v: Any, tz: str, nested: bool) -> str | None:
    """Text of a value the engine returned as Arrow (results that cannot be re-selected)."""
    if v is None:
        return "NULL" if nested else None
    u = unwrap_nullable(t)
    n = u.name
    if n == "Boolean":
        return "1" if v else "0"
    if n == "Number":
        if isinstance(v, float):
            if v != v:
                return "NaN"
            if v in (float("inf"), float("-inf")):
                return "Infinity" if v > 0 else "-Infinity"
            return repr(v) if not v.is_integer() else str(int(v))
        return str(v)
    if n == "Decimal":
        return format(v, "f") if isinstance(v, decimal.Decimal) else str(v)
    if n == "Binary":
        return v.hex().upper()
    if n in ("String", "Date", "Timestamp"):
        if n == "Date":
            s = v.isoformat()
        elif n == "Timestamp":
            s = _timestamp_text(v, tz)
        else:
            s = v
        return "'" + s.replace("'", "''") + "'" if nested else s
    if n == "Array":
        return "[" + ",".join(python_text(u.args[0], x, tz, True) for x in v) + "]"
    if n == "Map":
        k_t, v_t = u.args[0].args[0]
        return "{" + ",".join(f"{python_text(k_t, k, tz, True)}:{python_text(v_t, x, tz, True)}" for k, x in v) + "}"
    if n == "Tuple":
        items = list(v.values()) if isinstance(v, dict) else list(v)
        return "(" + ",".join(python_text(ft, x, tz, True) for ft, x in zip(u.args[0], items)) + ")"
    if n == "EmptyArray":
        return "[]"
    if n == "EmptyMap":
        return "{}"
    raise DatabendError(UNIMPLEMENTED, f"the local Databend front cannot render values of type {type_name(t)} here")


def _timestamp_text(v: dt.datetime, tz: str) -> str:
    try:
        from zoneinfo import ZoneInfo

        aware = v.replace(tzinfo=dt.timezone.utc) if v.tzinfo is None else v
        v = aware.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    except Exception:  # unknown zone name: keep UTC
        pass
    return v.strftime("%Y-%m-%d %H:%M:%S.%f")


def arrow_rows(df: Any) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for batch in df.to_py_arrow():
        cols = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        rows.extend([list(r) for r in zip(*cols)])
    return rows


# --------------------------------------------------------------------------------------------------
# Engine and sessions


class Engine:
    def __init__(self, data_dir: str):
        import databend  # noqa: F401  (the import starts nothing; the first context starts the engine)
        from databend import SessionContext

        self.data_dir = os.path.abspath(data_dir)
        self._new = lambda: SessionContext(data_path=self.data_dir)._ctx
        admin = self._new()
        admin.sql(f"CREATE DATABASE IF NOT EXISTS {FRONT_DB}").collect()
        self.version = str(arrow_rows(admin.sql("SELECT version()"))[0][0])
        m = re.search(r"v(\d+\.\d+\.\d+(?:-[0-9A-Za-z-]+)?)", self.version)
        if not m:
            raise RuntimeError(f"cannot read a version from the engine's `SELECT version()`: {self.version!r}")
        # What a server of this build reports at login (its semantic version, e.g. 1.2.895-nightly-363a49c1dd).
        self.semver = m.group(1)

    def new_context(self) -> Any:
        return self._new()

    def user_stage_dir(self) -> str:
        # The engine keeps the root user's stage (`@~`) in its fs storage root.
        return os.path.join(self.data_dir, "data", "stage", "user", "root")

    def internal_stage_dir(self, name: str) -> str:
        return os.path.join(self.data_dir, "data", "stage", "internal", name)

    def stage_file(self, location: str) -> str:
        """The file behind `@~/path` or `@stage/path`, as the engine's fs storage keeps it."""
        m = re.fullmatch(r"@(~|[A-Za-z0-9_]+)/(.+)", location)
        if not m:
            raise DatabendError(BAD_ARGUMENTS, f"the local Databend front loads only from @~/<path> or @<internal stage>/<path>, got {location!r}")
        root = self.user_stage_dir() if m.group(1) == "~" else self.internal_stage_dir(m.group(1))
        relative = os.path.normpath(m.group(2))
        if relative.startswith("..") or os.path.isabs(relative):
            raise DatabendError(BAD_ARGUMENTS, f"bad stage path {location!r}")
        return os.path.join(root, relative)


class Session:
    def __init__(self, engine: Engine, sid: str):
        self.id = sid
        self.engine = engine
        self.ctx = engine.new_context()
        self.lock = threading.Lock()
        self.database = "default"
        self.settings: dict[str, str] = {}
        self.txn_state = "AutoCommit"
        self.last_used = time.time()

    def sql(self, q: str) -> Any:
        try:
            return self.ctx.sql(q)
        except BaseException as exc:  # PanicException is a BaseException
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            raise engine_error(exc) from None

    def run(self, q: str) -> list[list[Any]]:
        df = self.sql(q)
        try:
            return arrow_rows(df)
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            raise engine_error(exc) from None

    def execute(self, q: str) -> None:
        df = self.sql(q)
        try:
            df.collect()
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            raise engine_error(exc) from None

    def refresh_state(self) -> None:
        self.database = str(self.run("SELECT current_database()")[0][0])
        self.settings = {str(k): str(v) for k, v in self.run("SELECT name, value FROM system.settings WHERE level = 'SESSION'")}

    def apply_client_state(self, state: dict[str, Any] | None) -> None:
        """The server takes the session state the client sends (database, settings)."""
        if not state:
            return
        changed = False
        for key, value in (state.get("settings") or {}).items():
            if self.settings.get(key) != str(value):
                self.execute(f"SET {quote_ident(key)} = {sql_string(str(value))}")
                changed = True
        db = state.get("database")
        if db and db != self.database:
            self.execute(f"USE {quote_ident(db)}")
            changed = True
        if changed:
            self.refresh_state()

    def state(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "settings": dict(self.settings),
            "txn_state": self.txn_state,
            "need_sticky": False,
            "need_keep_alive": False,
        }


class QueryResult:
    def __init__(self) -> None:
        self.schema: list[dict[str, str]] = []
        self.data: list[list[str | None]] = []
        self.write_rows = 0
        self.write_bytes = 0
        # The engine's own Arrow batches, for a client that asked for Arrow results (current protocol).
        self.batches: list[Any] | None = None


_AFFECTED = {"number of rows inserted", "number of rows deleted", "number of rows updated"}
_VERSION_QUERY = re.compile(r"^SELECT\s+version\s*\(\s*\)$", re.I)


def run_statement(front: "Front", sess: Session, sql: str, attachment: dict[str, Any] | None, want_arrow: bool = False) -> QueryResult:
    sql = strip_sql(sql)
    kw = first_keyword(sql)
    if attachment:
        return run_stage_load(sess, sql, attachment)
    if front.legacy and _VERSION_QUERY.match(sql):
        return legacy_version_result(front)
    if kw == "PRESIGN":
        presigned = front.presign_upload(sql)
        if presigned is not None:
            return presigned
    load = _STAGE_LOAD_STATEMENT.match(sql)
    if load:
        if front.legacy:
            raise DatabendError(
                SYNTAX_ERROR,
                f"`{load.group('verb').upper()} … VALUES FROM @stage FILE_FORMAT = (…)` is not known to Databend {LEGACY_VERSION} "
                "(the local front emulates that server: --protocol legacy)",
            )
        if load.group("verb").upper() == "INSERT":
            return run_upload_load(sess, sql, load)
        # REPLACE … FROM @stage goes to the engine as it is, which refuses it as a server does ([1002]).
    replace_rows = count_replace_source(sess, sql) if kw == "REPLACE" else None

    df = sess.sql(sql)
    cols = parse_schema(repr(df.schema()))
    res = QueryResult()
    res.schema = [{"name": name, "type": type_name(t)} for name, t in cols]
    tz = sess.settings.get("timezone", "UTC")

    if cols and want_arrow and kw in ("SELECT", "WITH"):
        try:
            res.batches = list(df.to_py_arrow())
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            raise engine_error(exc) from None
        return res

    if cols and kw in ("SELECT", "WITH"):
        rendered = [render_expr(t, f"_t.{quote_ident(f'c{i}')}") for i, (_, t) in enumerate(cols)]
        aliases = ", ".join(quote_ident(f"c{i}") for i in range(len(cols)))
        exprs = ", ".join(e for e, _ in rendered)
        wrapped = None
        try:
            wrapped = sess.sql(f"SELECT {exprs} FROM ({sql}) AS _t({aliases})")
        except DatabendError as err:
            if DEBUG:
                log(f"render query not planned ({err}); formatting in Python")
        if wrapped is not None:
            rows = sess_rows(wrapped)
            res.data = [[finish_value(t, how, v, tz) for (_, t), (_, how), v in zip(cols, rendered, row)] for row in rows]
            return res

    if not cols:
        try:
            df.collect()
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            raise engine_error(exc) from None
    else:
        rows = sess_rows(df)
        res.data = [[python_text(t, v, tz, nested=False) for (_, t), v in zip(cols, row)] for row in rows]
        names = [name for name, _ in cols]
        if kw in ("INSERT", "DELETE", "UPDATE", "MERGE"):
            res.write_rows = sum(int(row[i] or 0) for row in rows for i, name in enumerate(names) if name in _AFFECTED)
        elif kw == "COPY" and "Rows_loaded" in names:
            i = names.index("Rows_loaded")
            res.write_rows = sum(int(row[i] or 0) for row in rows)
    if replace_rows is not None:
        res.write_rows = replace_rows
    return res


def legacy_version_result(front: "Front") -> QueryResult:
    """An old server answers `SELECT version()` with its own version; the legacy front says what it emulates."""
    res = QueryResult()
    res.schema = [{"name": "version()", "type": "String"}]
    res.data = [[f"Databend Query v{LEGACY_VERSION}-legacy-front (local front emulating Databend {LEGACY_VERSION} over {front.engine.version})"]]
    return res


# What databend-driver sends above 1.2.781 after uploading (and what `/v1/streaming_load` runs once its
# placeholder is replaced): `INSERT|REPLACE INTO t [(cols)] [ON (keys)] VALUES FROM @loc FILE_FORMAT = (…)`.
_STAGE_LOAD_STATEMENT = re.compile(
    r"^(?P<verb>INSERT|REPLACE)\s+INTO\s+"
    r"(?P<table>(?:`[^`]*`|\"[^\"]*\"|[\w$]+)(?:\s*\.\s*(?:`[^`]*`|\"[^\"]*\"|[\w$]+)){0,2})\s*"
    r"(?P<cols>\([^()]*\))?\s*(?P<on>ON\s*\([^()]*\))?\s*VALUES\s+FROM\s+(?P<loc>@[^\s]+)\s+"
    r"FILE_FORMAT\s*=\s*\((?P<fmt>[^()]*)\)$",
    re.I | re.S,
)


def run_upload_load(sess: Session, sql: str, load: re.Match[str]) -> QueryResult:
    """Runs the statement as the client sent it; the engine binds it as a server does (a COPY of the
    uploaded file with PURGE and FORCE). The engine's result block for it cannot be read through the
    embedded binding, so the front counts the file's records first and reports that as rows written.
    A load with no file, or with a non-empty file and no records, is an error: never success with
    nothing done."""
    location = load.group("loc")
    path = sess.engine.stage_file(location)
    if not os.path.isfile(path):
        raise DatabendError(BAD_ARGUMENTS, f"nothing was uploaded to {location} (the local Databend front refuses a load with no file)")
    size = os.path.getsize(path)
    rows = count_stage_records(sess, location, load.group("fmt")) if size > 0 else 0
    if size > 0 and rows == 0:
        raise DatabendError(BAD_BYTES, f"the file at {location} has {size} bytes but no records in FILE_FORMAT = ({load.group('fmt')})")
    sess.execute(sql)
    res = QueryResult()
    res.write_rows = rows
    res.write_bytes = size
    return res


def count_stage_records(sess: Session, location: str, fmt: str) -> int:
    """Records in a staged file as the engine reads it with that file format."""
    if re.fullmatch(r"\s*type\s*=\s*'?csv'?\s*", fmt, re.I):
        return int(sess.run(f"SELECT count(*) FROM (SELECT $1 FROM {location} (FILE_FORMAT => 'CSV')) AS _front_n")[0][0])
    name = f"_front_fmt_{uuid.uuid4().hex}"
    sess.execute(f"CREATE FILE FORMAT {name} {fmt}")
    try:
        return int(sess.run(f"SELECT count(*) FROM (SELECT $1 FROM {location} (FILE_FORMAT => '{name}')) AS _front_n")[0][0])
    finally:
        sess.execute(f"DROP FILE FORMAT IF EXISTS {name}")


def sess_rows(df: Any) -> list[list[Any]]:
    try:
        return arrow_rows(df)
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise engine_error(exc) from None


def count_replace_source(sess: Session, sql: str) -> int | None:
    """REPLACE returns no row count from the engine; count its source rows the engine will write."""
    parts = split_top_level_on(sql)
    if not parts:
        return None
    source = parts[1]
    skw = first_keyword(source)
    if skw not in ("VALUES", "SELECT", "WITH"):
        return None
    try:
        return int(sess.run(f"SELECT count(*) FROM ({source}) AS _front_src")[0][0])
    except DatabendError:
        return None  # the REPLACE itself reports the error, if any


_LOAD_SQL = re.compile(
    r"^(?P<verb>INSERT|REPLACE)\s+INTO\s+"
    r"(?P<table>(?:`[^`]*`|\"[^\"]*\"|[\w$]+)(?:\s*\.\s*(?:`[^`]*`|\"[^\"]*\"|[\w$]+)){0,2})\s*"
    r"(?P<cols>\([^()]*\))?\s*(?P<on>ON\s*\([^()]*\))?\s*VALUES(?:\s*\((?P<marks>\s*\?(?:\s*,\s*\?)*\s*)\))?$",
    re.I | re.S,
)


def file_format_sql(options: dict[str, Any]) -> str:
    parts = []
    for key, value in options.items():
        v = str(value)
        if key.lower() in ("type", "compression") or re.fullmatch(r"-?\d+", v):
            parts.append(f"{key} = {v}")
        else:
            parts.append(f"{key} = {sql_string(v)}")
    return "(" + " ".join(parts) + ")"


def run_stage_load(sess: Session, sql: str, att: dict[str, Any]) -> QueryResult:
    """`INSERT|REPLACE INTO t [(cols)] [ON (keys)] VALUES [(?, …)]` + stage_attachment, on the engine's
    own COPY. `VALUES (?, ?, …)` (databend-jdbc's prepared insert) takes each file column in turn, as
    the server binds it; a placeholder list with constants in it is refused."""
    m = _LOAD_SQL.match(sql)
    if not m:
        raise DatabendError(
            UNIMPLEMENTED,
            "the local Databend front loads stage attachments only for `INSERT INTO t [(cols)] VALUES [(?, …)]` "
            "and `REPLACE INTO t [(cols)] ON (keys) VALUES [(?, …)]` (a VALUES list with constants is not served)",
        )
    if m.group("marks") is not None and m.group("cols"):
        marks = m.group("marks").count("?")
        listed = len([c for c in m.group("cols")[1:-1].split(",") if c.strip()])
        if marks != listed:
            raise DatabendError(BAD_ARGUMENTS, f"VALUES has {marks} placeholders for {listed} columns")
    location = att.get("location") or ""
    if not location.startswith("@"):
        raise DatabendError(BAD_ARGUMENTS, f"stage attachment location must be a stage path, got {location!r}")
    fmt = file_format_sql(att.get("file_format_options") or {"type": "CSV"})
    copy_opts = att.get("copy_options") or {}
    purge = str(copy_opts.get("purge", "false")).lower() == "true"
    cols = m.group("cols") or ""
    table = m.group("table")
    res = QueryResult()
    copy_tail = f"FROM {location} FILE_FORMAT = {fmt} FORCE = TRUE PURGE = {'TRUE' if purge else 'FALSE'}"
    if m.group("verb").upper() == "INSERT":
        rows = sess.run(f"COPY INTO {table} {cols} {copy_tail}")
        res.write_rows = sum(int(r[1] or 0) for r in rows)
        return res
    if not m.group("on"):
        raise DatabendError(BAD_ARGUMENTS, "REPLACE INTO needs an ON (keys) clause")
    tmp = f"{FRONT_DB}.load_{uuid.uuid4().hex}"
    sess.execute(f"CREATE TABLE {tmp} LIKE {table}")
    try:
        rows = sess.run(f"COPY INTO {tmp} {cols} {copy_tail}")
        res.write_rows = sum(int(r[1] or 0) for r in rows)
        select_cols = cols[1:-1] if cols else "*"
        sess.execute(f"REPLACE INTO {table} {cols} {m.group('on')} SELECT {select_cols} FROM {tmp}")
    finally:
        try:
            sess.execute(f"DROP TABLE IF EXISTS {tmp} ALL")
        except DatabendError as err:
            log(f"could not drop load table {tmp}: {err}")
    return res


# --------------------------------------------------------------------------------------------------
# HTTP


class Front:
    def __init__(self, engine: Engine, user: str, password: str, protocol: str, request_log: str | None):
        self.engine = engine
        self.user = user
        self.password = password
        self.legacy = protocol == "legacy"
        self.protocol = protocol
        # What the login answers: the engine's own version, or the old server the legacy mode emulates.
        self.reported_version = LEGACY_VERSION if self.legacy else engine.semver
        self.sessions: dict[str, Session] = {}
        self.lock = threading.Lock()
        self.base_url = ""  # http://host:port, set once the listener is bound (presigned URLs point here)
        self._presign_key = os.urandom(32)
        self._request_log = open(request_log, "a", encoding="utf-8") if request_log else None
        self._log_lock = threading.Lock()

    def session(self, sid: str | None) -> tuple[Session, bool]:
        """(session, is_shared): a known session, or a fresh one for an unknown/absent id."""
        with self.lock:
            self._expire()
            if sid and sid in self.sessions:
                s = self.sessions[sid]
                s.last_used = time.time()
                return s, True
            s = Session(self.engine, sid or str(uuid.uuid4()))
            self.sessions[s.id] = s
            return s, False

    def _expire(self) -> None:
        """Drops sessions idle for an hour, and the least recently used beyond 512 (each holds an engine session)."""
        cutoff = time.time() - 3600
        for sid in [k for k, s in self.sessions.items() if s.last_used < cutoff]:
            del self.sessions[sid]
        if len(self.sessions) > 512:
            for sid, _ in sorted(self.sessions.items(), key=lambda kv: kv[1].last_used)[: len(self.sessions) - 512]:
                del self.sessions[sid]

    def authorized(self, header: str | None) -> bool:
        if not header or not header.lower().startswith("basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:].strip()).decode().partition(":")
        except Exception:
            return False
        return hmac.compare_digest(user, self.user) and hmac.compare_digest(password, self.password)

    def record(self, entry: dict[str, Any]) -> None:
        """One JSON line per request served (`--request-log`): what the suite reads to prove a path."""
        if not self._request_log:
            return
        line = json.dumps({"t": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"), **entry})
        with self._log_lock:
            self._request_log.write(line + "\n")
            self._request_log.flush()

    # -- presigned uploads: the engine's local storage cannot presign ([3902]); a server on object
    # storage answers `PRESIGN UPLOAD` with a signed URL of that storage, so the front signs URLs of its
    # own that store the PUT body where the engine reads the stage.

    def _signature(self, location: str, expires: int) -> str:
        return hmac.new(self._presign_key, f"PUT\n{location}\n{expires}".encode(), "sha256").hexdigest()

    def presign_upload(self, sql: str) -> QueryResult | None:
        m = _PRESIGN_UPLOAD.match(sql)
        if not m:
            return None  # PRESIGN [DOWNLOAD] goes to the engine, which refuses it as its storage cannot presign
        location = m.group("loc")
        self.engine.stage_file(location)  # refuses what the front could not store
        expires = int(time.time()) + int(m.group("expire") or 3600)
        query = urlencode({"location": location, "expires": expires, "signature": self._signature(location, expires)})
        res = QueryResult()
        res.schema = [{"name": "method", "type": "String"}, {"name": "headers", "type": "Variant"}, {"name": "url", "type": "String"}]
        host = urlparse(self.base_url).netloc
        res.data = [["PUT", json.dumps({"host": host}), f"{self.base_url}{PRESIGNED_PATH}?{query}"]]
        return res

    def presigned_target(self, query: str) -> str:
        """The stage file a presigned PUT may write, or DatabendError when the URL is not one the front signed."""
        q = parse_qs(query)
        location = (q.get("location") or [""])[0]
        try:
            expires = int((q.get("expires") or ["0"])[0])
        except ValueError:
            expires = 0
        signature = (q.get("signature") or [""])[0]
        if not location or not hmac.compare_digest(signature, self._signature(location, expires)):
            raise DatabendError(AUTHENTICATE_FAILURE, "presigned URL signature does not match")
        if expires < time.time():
            raise DatabendError(AUTHENTICATE_FAILURE, "presigned URL expired")
        return self.engine.stage_file(location)


PRESIGNED_PATH = "/_front/presigned"
_PRESIGN_UPLOAD = re.compile(r"^PRESIGN\s+UPLOAD\s+(?P<loc>@\S+)(?:\s+EXPIRE\s*=\s*(?P<expire>\d+))?(?:\s+CONTENT_TYPE\s*=\s*'[^']*')?$", re.I)
ARROW_STREAM = "application/vnd.apache.arrow.stream"
STREAMING_LOAD_PLACEHOLDER = "@_databend_load"


def error_body(code: int, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "detail": ""}}


def make_handler(front: Front, connections: Connections) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "databend-front"

        def setup(self) -> None:
            super().setup()
            connections.add(self.connection)

        def finish(self) -> None:
            connections.discard(self.connection)
            super().finish()

        def log_message(self, fmt: str, *args: Any) -> None:  # quiet access log unless debugging
            if DEBUG:
                log("http " + fmt % args)

        # -- plumbing
        def _body(self) -> bytes:
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                # A streamed body of unknown length (databend-driver's streaming_load part).
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass  # trailers
                        return b"".join(chunks)
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n) if n else b""

        def _send(
            self,
            status: int,
            payload: Any,
            content_type: str = "application/json",
            session_id: str | None = None,
            headers: dict[str, str] | None = None,
        ) -> None:
            raw = payload if isinstance(payload, bytes) else (json.dumps(payload).encode() if content_type == "application/json" else str(payload).encode())
            path = urlparse(self.path).path.rstrip("/") or "/"
            if path != "/health":
                # Recorded before the client has its answer: whoever reads the log after a response finds the request in it.
                session = self._session_id({})
                front.record({"method": self.command, "path": path, "status": status, **({"session": session} if session else {}), **self._served})
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if session_id:
                # As the server does: the driver's cookie store sends it back, which keys the session.
                self.send_header("Set-Cookie", f"session_id={session_id}; Path=/; HttpOnly")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _auth(self) -> bool:
            if front.authorized(self.headers.get("Authorization")):
                return True
            self._body()
            self._send(401, error_body(AUTHENTICATE_FAILURE, "wrong user name or password"))
            return False

        def _route(self, method: str) -> None:
            self._served: dict[str, Any] = {}
            path = urlparse(self.path).path.rstrip("/") or "/"
            try:
                self._dispatch(method, path)
            except BrokenPipeError:
                pass
            except Exception as exc:  # noqa: BLE001
                log("internal error: " + "".join(traceback.format_exception(exc)))
                try:
                    self._send(500, error_body(INTERNAL, f"databend-front internal error: {exc}"))
                except Exception:
                    pass

        def _dispatch(self, method: str, path: str) -> None:
            if DEBUG:
                log(f"{method} {self.path} headers={dict(self.headers)}")
            if path == "/health" and method == "GET":
                self._body()
                return self._send(200, "ok", "text/plain")
            if path == "/" and method == "GET":
                self._body()
                return self._send(200, f"databend-front: Databend {front.engine.version} (embedded) over HTTP\n", "text/plain")
            if path == PRESIGNED_PATH and method == "PUT":
                # Authorised by its signature, as an object store's presigned URL is (no Basic auth).
                return self._presigned_put()
            if not self._auth():
                return
            if path == "/v1/session/login" and method == "POST":
                return self._login()
            if path in ("/v1/session/logout", "/v1/session/heartbeat", "/v1/session/refresh") and method == "POST":
                self._body()
                return self._send(200, {})
            if path == "/v1/query" and method == "POST":
                return self._query()
            if path == "/v1/upload_to_stage" and method in ("PUT", "POST"):
                return self._upload()
            if path == "/v1/streaming_load" and method == "PUT" and not front.legacy:
                return self._streaming_load()
            m = re.fullmatch(r"/v1/query/([^/]+)(?:/(final|kill|page/\d+))?", path)
            if m and method in ("GET", "POST"):
                self._body()
                return self._query_followup(m.group(1), m.group(2) or "")
            self._body()
            self._send(404, error_body(HTTP_NOT_FOUND, f"not found: {method} {path}"))

        def do_GET(self) -> None:
            self._route("GET")

        def do_POST(self) -> None:
            self._route("POST")

        def do_PUT(self) -> None:
            self._route("PUT")

        def do_DELETE(self) -> None:
            self._route("DELETE")

        # -- endpoints
        def _login(self) -> None:
            body = json.loads(self._body() or b"{}")
            sid = str(uuid.uuid4())
            sess, _ = front.session(sid)
            try:
                with sess.lock:
                    sess.apply_client_state({"database": body.get("database"), "settings": body.get("settings") or {}})
            except DatabendError as err:
                with front.lock:
                    front.sessions.pop(sid, None)
                self._served = {"error": err.code}
                # As the server does (login_handler: HttpErrorCode::bad_request).
                return self._send(400, error_body(err.code, err.message))
            self._served = {"version": front.reported_version, "session": sid}
            self._send(200, {"version": front.reported_version, "session_id": sid, "tokens": None}, session_id=sid)

        def _session_id(self, body: dict[str, Any]) -> str | None:
            sid = self.headers.get("X-DATABEND-SESSION-ID")
            if sid:
                return sid
            cookie = self.headers.get("Cookie") or ""
            m = re.search(r"(?:^|;\s*)session_id=([^;]+)", cookie)
            if m:
                return m.group(1)
            state = body.get("session") or {}
            internal = state.get("internal")
            if isinstance(internal, str) and internal.startswith("front-session:"):
                return internal.split(":", 1)[1]
            return None

        def _run(self, sess: Session, sql: str, client_state: dict[str, Any] | None, attachment: dict[str, Any] | None, want_arrow: bool) -> tuple[QueryResult | None, DatabendError | None]:
            """Runs one statement in the session as a server does (state from the client first)."""
            res: QueryResult | None = None
            err: DatabendError | None = None
            with sess.lock:
                try:
                    sess.apply_client_state(client_state)
                    kw = first_keyword(sql)
                    if sess.txn_state == "Fail" and kw not in ("COMMIT", "ROLLBACK", "ABORT"):
                        # As a server does (auto_commit_if_not_allowed_in_transaction): after an
                        # error the transaction takes nothing but its end. The embedded engine
                        # would go on running statements in it.
                        raise DatabendError(CURRENT_TRANSACTION_IS_ABORTED, "Current transaction is aborted, commands ignored until end of transaction block")
                    # A server's COMMIT of a failed transaction commits nothing (the transaction is
                    # no longer active) and succeeds; the engine would commit what did run.
                    res = run_statement(front, sess, "ROLLBACK" if sess.txn_state == "Fail" else sql, attachment, want_arrow)
                    if kw in ("USE", "SET", "UNSET"):
                        sess.refresh_state()
                    elif kw == "BEGIN" or (kw == "START" and re.match(r"\s*START\s+TRANSACTION", sql, re.I)):
                        sess.txn_state = "Active"
                    elif kw in ("COMMIT", "ROLLBACK", "ABORT"):
                        sess.txn_state = "AutoCommit"
                except DatabendError as e:
                    err = e
                    # A COMMIT that fails (a conflict) still ends the transaction, as on a server.
                    if first_keyword(sql) in ("COMMIT", "ROLLBACK", "ABORT"):
                        sess.txn_state = "AutoCommit"
                    elif sess.txn_state == "Active":
                        sess.txn_state = "Fail"
            self._served.update({"sql": sql[:500], "rows": res.write_rows if res else 0, **({"error": err.code} if err else {})})
            return res, err

        def _query(self) -> None:
            started = time.time()
            body = json.loads(self._body() or b"{}")
            qid = self.headers.get("X-DATABEND-QUERY-ID") or uuid.uuid4().hex
            sess, _ = front.session(self._session_id(body))
            sql = body.get("sql") or ""
            attachment = body.get("stage_attachment")
            # databend-driver above 1.2.835 asks for Arrow with this Accept header when its DSN says body_format=arrow.
            want_arrow = not front.legacy and ARROW_STREAM in (self.headers.get("Accept") or "")
            if DEBUG:
                log(f"query {qid} session={sess.id} body={json.dumps(body)[:2000]}")
            res, err = self._run(sess, sql, body.get("session"), attachment, want_arrow)
            self._served.update({"attachment": bool(attachment), **({"result": "arrow"} if res and res.batches else {})})
            response = query_response(qid, sess, res, err, started)
            if res is not None and res.batches:
                return self._send(200, arrow_body(response, res.batches), ARROW_STREAM, session_id=sess.id)
            self._send(200, response, session_id=sess.id)

        def _query_followup(self, qid: str, what: str) -> None:
            if what == "kill":
                return self._send(200, {})
            self._send(
                200,
                {
                    "id": qid,
                    "session_id": None,
                    "session": None,
                    "schema": [],
                    "data": [],
                    "state": "Succeeded",
                    "error": None,
                    "warnings": [],
                    "stats": _stats(0, 0, 0, 0.0),
                    "affect": None,
                    "stats_uri": None,
                    "final_uri": None,
                    "next_uri": None,
                    "kill_uri": None,
                },
            )

        def _multipart_files(self, raw: bytes) -> list[tuple[str, bytes]] | None:
            """(file name, content) of each multipart part with a file name; None if the body is not multipart."""
            ctype = self.headers.get("Content-Type") or ""
            m = re.search(r"boundary=(?:\"([^\"]+)\"|([^;\s]+))", ctype)
            if not m:
                return None
            boundary = (m.group(1) or m.group(2)).encode()
            files = []
            for part in raw.split(b"--" + boundary):
                if not part or part.startswith(b"--"):
                    continue
                head, _, content = part.lstrip(b"\r\n").partition(b"\r\n\r\n")
                if content.endswith(b"\r\n"):
                    content = content[:-2]
                fn = re.search(r'filename="([^"]*)"', head.decode("utf-8", "replace"))
                if fn:
                    files.append((fn.group(1), content))
            return files

        def _arg(self, name: str) -> str | None:
            """A request argument as the server reads it: `X-DATABEND-<NAME>`, else the older `<name>` header."""
            return self.headers.get(f"X-DATABEND-{name.upper()}") or self.headers.get(name.replace("-", "_"))

        def _upload(self) -> None:
            raw = self._body()
            stage = (self._arg("stage-name") or "").strip()
            if not stage:
                return self._send(400, error_body(BAD_ARGUMENTS, "[HTTP-STAGE] Missing required parameter 'stage-name' in request headers"))
            files = self._multipart_files(raw)
            if files is None:
                return self._send(400, error_body(BAD_ARGUMENTS, "upload_to_stage needs a multipart/form-data body"))
            prefix = "@~" if stage in ("~", "@~") else "@" + stage.lstrip("@")
            relative = (self._arg("relative-path") or "").strip("/")
            stored = []
            for name, content in files:
                location = f"{prefix}/{relative}/{name.strip('/')}" if relative else f"{prefix}/{name.strip('/')}"
                try:
                    target = front.engine.stage_file(location)
                except DatabendError as err:
                    return self._send(400, error_body(err.code, err.message))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as f:
                    f.write(content)
                stored.append(name)
                self._served.setdefault("files", []).append({"location": location, "bytes": len(content)})
            self._send(200, {"id": uuid.uuid4().hex, "stage_name": stage, "state": "SUCCESS", "files": stored})

        def _presigned_put(self) -> None:
            content = self._body()
            try:
                target = front.presigned_target(urlparse(self.path).query)
            except DatabendError as err:
                return self._send(403, f"<Error><Code>AccessDenied</Code><Message>{err.message}</Message></Error>", "application/xml")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(content)
            self._served = {"location": parse_qs(urlparse(self.path).query)["location"][0], "bytes": len(content)}
            self._send(200, b"", "text/plain")

        def _streaming_load(self) -> None:
            """`PUT /v1/streaming_load`: the SQL (with `@_databend_load`) in a header, the data as a
            multipart file. The front stores the data in the user stage and runs the statement against it."""
            started = time.time()
            raw = self._body()
            sql = self.headers.get("X-DATABEND-SQL") or ""
            qid = self.headers.get("X-DATABEND-QUERY-ID") or uuid.uuid4().hex
            files = self._multipart_files(raw)
            if STREAMING_LOAD_PLACEHOLDER not in sql.lower():
                return self._send(400, error_body(BAD_ARGUMENTS, f"streaming_load needs {STREAMING_LOAD_PLACEHOLDER} in its SQL"))
            if not files:
                return self._send(400, error_body(BAD_ARGUMENTS, "streaming_load needs a multipart file part named upload"))
            context_header = self.headers.get("X-DATABEND-QUERY-CONTEXT")
            client_state = json.loads(context_header) if context_header and context_header.startswith("{") else None
            sess, _ = front.session(self._session_id({}))
            location = f"@~/.databend-front/streaming_load/{uuid.uuid4().hex}"
            target = front.engine.stage_file(location)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            content = files[0][1]
            with open(target, "wb") as f:
                f.write(content)
            try:
                statement = re.sub(re.escape(STREAMING_LOAD_PLACEHOLDER), location, sql, flags=re.I)
                res, err = self._run(sess, statement, client_state, None, False)
            finally:
                if os.path.exists(target):
                    os.remove(target)
            self._served["bytes"] = len(content)
            state = {"X-DATABEND-QUERY-CONTEXT": json.dumps(sess.state())}
            if err:
                return self._send(400, error_body(err.code, err.message), headers=state)
            if DEBUG:
                log(f"streaming_load {qid} in {time.time() - started:.3f}s")
            self._send(200, {"id": qid, "stats": {"rows": res.write_rows if res else 0, "bytes": len(content)}}, headers=state)

    return Handler


def arrow_body(response: dict[str, Any], batches: list[Any]) -> bytes:
    """The server's Arrow result: an IPC stream of the result batches whose schema metadata
    `response_header` carries the JSON response (without data)."""
    import pyarrow as pa

    header = dict(response, data=[])
    schema = batches[0].schema.with_metadata({"response_header": json.dumps(header)})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema) as writer:
        for batch in batches:
            writer.write_batch(batch.replace_schema_metadata(schema.metadata))
    return sink.getvalue().to_pybytes()


def _stats(write_rows: int, write_bytes: int, result_rows: int, ms: float) -> dict[str, Any]:
    zero = {"rows": 0, "bytes": 0}
    return {
        "scan_progress": dict(zero),
        "write_progress": {"rows": write_rows, "bytes": write_bytes},
        "result_progress": {"rows": result_rows, "bytes": 0},
        "total_scan": dict(zero),
        "spill_progress": {"file_nums": 0, "bytes": 0},
        "running_time_ms": ms,
    }


def query_response(qid: str, sess: Session, res: QueryResult | None, err: DatabendError | None, started: float) -> dict[str, Any]:
    ms = (time.time() - started) * 1000.0
    return {
        "id": qid,
        "session_id": sess.id,
        "node_id": "databend-front",
        "session": sess.state(),
        "schema": res.schema if res else [],
        "data": res.data if res else [],
        "state": "Failed" if err else "Succeeded",
        "error": {"code": err.code, "message": err.message, "detail": ""} if err else None,
        "warnings": [],
        "stats": _stats(res.write_rows if res else 0, res.write_bytes if res else 0, result_rows(res), ms),
        "affect": None,
        "stats_uri": f"/v1/query/{qid}",
        "final_uri": f"/v1/query/{qid}/final",
        "next_uri": None,
        "kill_uri": f"/v1/query/{qid}/kill",
    }


def result_rows(res: QueryResult | None) -> int:
    if res is None:
        return 0
    return sum(b.num_rows for b in res.batches) if res.batches is not None else len(res.data)


class Connections:
    """The client connections being served, so that going unavailable can drop them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open: set[socket.socket] = set()

    def add(self, conn: socket.socket) -> None:
        with self.lock:
            self.open.add(conn)

    def discard(self, conn: socket.socket) -> None:
        with self.lock:
            self.open.discard(conn)

    def drop_all(self) -> None:
        with self.lock:
            for conn in self.open:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class Listener:
    """The HTTP side of the front, which can go away and come back on the same port.

    `close()` is what a Databend restart looks like to clients (connections refused, open ones
    dropped, a statement in flight gets no answer) while the engine and its in-memory catalog stay,
    which a real restart would keep on disk: the local environment's `pause('databend')`.
    """

    def __init__(self, host: str, port: int, front: Front):
        self.address = (host, port)
        self.connections = Connections()
        self.handler = make_handler(front, self.connections)
        self.server: ThreadingHTTPServer | None = None

    def open(self) -> None:
        if self.server:
            return
        server = ThreadingHTTPServer(self.address, self.handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
        self.server = server

    def close(self) -> None:
        if not self.server:
            return
        self.server.shutdown()
        self.server.server_close()
        self.server = None
        self.connections.drop_all()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--user", default="databend")
    ap.add_argument("--password", default="databend")
    ap.add_argument(
        "--protocol",
        choices=("current", "legacy"),
        default="current",
        help=f"current: report the engine's own version, as a server does; legacy: report {LEGACY_VERSION} (an old server)",
    )
    ap.add_argument("--request-log", help="append one JSON line per request served to this file")
    args = ap.parse_args()

    os.makedirs(args.data_dir, exist_ok=True)
    t0 = time.time()
    engine = Engine(args.data_dir)
    log(f"engine {engine.version} started in {time.time() - t0:.2f}s, data dir {engine.data_dir}")
    front = Front(engine, args.user, args.password, args.protocol, args.request_log)
    front.base_url = f"http://{args.host}:{args.port}"
    listener = Listener(args.host, args.port, front)
    listener.open()
    log(f"protocol {args.protocol}: login reports version {front.reported_version}")

    # Signal handlers only queue the request (SimpleQueue.put is safe there); the main thread acts.
    requests: queue.SimpleQueue[int] = queue.SimpleQueue()
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(signum, lambda n, _frame: requests.put(n))
    print(f"databend-front ready on http://{args.host}:{args.port}", flush=True)
    while True:
        try:
            signum = requests.get(timeout=1.0)
        except queue.Empty:
            continue
        if signum == signal.SIGUSR1:
            listener.close()
            log("SIGUSR1: unavailable (port closed, connections dropped; the engine keeps its catalog)")
        elif signum == signal.SIGUSR2:
            listener.open()
            log(f"SIGUSR2: serving again on http://{args.host}:{args.port}")
        else:
            log(f"signal {signum}: stopping")
            listener.close()
            break
    log("stopped")
    sys.stdout.flush()
    sys.stderr.flush()
    # The engine's runtime threads do not stop on their own; leave without waiting for them.
    os._exit(0)


if __name__ == "__main__":
    main()
