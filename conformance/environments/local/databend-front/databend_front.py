#!/usr/bin/env python3
"""A thin HTTP front that speaks the subset of Databend's `/v1` REST protocol that databend-driver
uses, and runs every statement on the real Databend engine embedded from PyPI `databend`.

SQL semantics are the engine's own; this file only does transport, result rendering and the few
emulations listed in README.md. Contract: shared/spec/databend-front.md.
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
from urllib.parse import urlparse

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

# Reported to clients: <= 1.2.780 makes databend-driver 0.33 load through stage attachments and read
# JSON (not Arrow) results, which is what this front implements. `SELECT version()` is the engine's.
REPORTED_VERSION = "1.2.780"
FRONT_DB = "_databend_front"
DEBUG = os.environ.get("DATABEND_FRONT_DEBUG") == "1"

# ErrorCode codes used by the front itself (Databend's own numbers).
INTERNAL = 1001
UNIMPLEMENTED = 1002
BAD_ARGUMENTS = 1006
HTTP_NOT_FOUND = 1072
UNKNOWN_QUERY = 1127
AUTHENTICATE_FAILURE = 5100


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

    def new_context(self) -> Any:
        return self._new()

    def user_stage_dir(self) -> str:
        # The engine keeps the root user's stage (`@~`) in its fs storage root.
        return os.path.join(self.data_dir, "data", "stage", "user", "root")

    def internal_stage_dir(self, name: str) -> str:
        return os.path.join(self.data_dir, "data", "stage", "internal", name)


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


_AFFECTED = {"number of rows inserted", "number of rows deleted", "number of rows updated"}


def run_statement(sess: Session, sql: str, attachment: dict[str, Any] | None) -> QueryResult:
    sql = strip_sql(sql)
    kw = first_keyword(sql)
    if attachment:
        return run_stage_load(sess, sql, attachment)
    replace_rows = count_replace_source(sess, sql) if kw == "REPLACE" else None

    df = sess.sql(sql)
    cols = parse_schema(repr(df.schema()))
    res = QueryResult()
    res.schema = [{"name": name, "type": type_name(t)} for name, t in cols]
    tz = sess.settings.get("timezone", "UTC")

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
    r"(?P<cols>\([^()]*\))?\s*(?P<on>ON\s*\([^()]*\))?\s*VALUES$",
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
    """`INSERT|REPLACE INTO t [(cols)] [ON (keys)] VALUES` + stage_attachment, on the engine's own COPY."""
    m = _LOAD_SQL.match(sql)
    if not m:
        raise DatabendError(
            UNIMPLEMENTED,
            "the local Databend front loads stage attachments only for `INSERT INTO t [(cols)] VALUES` "
            "and `REPLACE INTO t [(cols)] ON (keys) VALUES`",
        )
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
    def __init__(self, engine: Engine, user: str, password: str):
        self.engine = engine
        self.user = user
        self.password = password
        self.sessions: dict[str, Session] = {}
        self.lock = threading.Lock()

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
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n) if n else b""

        def _send(self, status: int, payload: Any, content_type: str = "application/json", session_id: str | None = None) -> None:
            raw = payload if isinstance(payload, bytes) else (json.dumps(payload).encode() if content_type == "application/json" else str(payload).encode())
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if session_id:
                # As the server does: the driver's cookie store sends it back, which keys the session.
                self.send_header("Set-Cookie", f"session_id={session_id}; Path=/; HttpOnly")
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
            try:
                path = urlparse(self.path).path.rstrip("/") or "/"
                if DEBUG:
                    log(f"{method} {self.path} headers={dict(self.headers)}")
                if path == "/health" and method == "GET":
                    self._body()
                    return self._send(200, "ok", "text/plain")
                if path == "/" and method == "GET":
                    self._body()
                    return self._send(200, f"databend-front: Databend {front.engine.version} (embedded) over HTTP\n", "text/plain")
                if not self._auth():
                    return
                if path == "/v1/session/login" and method == "POST":
                    return self._login()
                if path in ("/v1/session/logout", "/v1/session/heartbeat", "/v1/session/refresh") and method == "POST":
                    self._body()
                    return self._send(200, {})
                if path == "/v1/query" and method == "POST":
                    return self._query()
                if path == "/v1/upload_to_stage" and method == "PUT":
                    return self._upload()
                m = re.fullmatch(r"/v1/query/([^/]+)(?:/(final|kill|page/\d+))?", path)
                if m and method in ("GET", "POST"):
                    self._body()
                    return self._query_followup(m.group(1), m.group(2) or "")
                self._body()
                self._send(404, error_body(HTTP_NOT_FOUND, f"not found: {method} {path}"))
            except BrokenPipeError:
                pass
            except Exception as exc:  # noqa: BLE001
                log("internal error: " + "".join(traceback.format_exception(exc)))
                try:
                    self._send(500, error_body(INTERNAL, f"databend-front internal error: {exc}"))
                except Exception:
                    pass

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
                return self._send(200, error_body(err.code, err.message))
            self._send(200, {"version": REPORTED_VERSION, "session_id": sid, "tokens": None}, session_id=sid)

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

        def _query(self) -> None:
            started = time.time()
            body = json.loads(self._body() or b"{}")
            qid = self.headers.get("X-DATABEND-QUERY-ID") or uuid.uuid4().hex
            sess, _ = front.session(self._session_id(body))
            sql = body.get("sql") or ""
            if DEBUG:
                log(f"query {qid} session={sess.id} body={json.dumps(body)[:2000]}")
            res: QueryResult | None = None
            err: DatabendError | None = None
            with sess.lock:
                try:
                    sess.apply_client_state(body.get("session"))
                    res = run_statement(sess, sql, body.get("stage_attachment"))
                    kw = first_keyword(sql)
                    if kw in ("USE", "SET", "UNSET"):
                        sess.refresh_state()
                    elif kw == "BEGIN" or (kw == "START" and re.match(r"\s*START\s+TRANSACTION", sql, re.I)):
                        sess.txn_state = "Active"
                    elif kw in ("COMMIT", "ROLLBACK", "ABORT"):
                        sess.txn_state = "AutoCommit"
                except DatabendError as e:
                    err = e
                    if sess.txn_state == "Active":
                        sess.txn_state = "Fail"
            self._send(200, query_response(qid, sess, res, err, started), session_id=sess.id)

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

        def _upload(self) -> None:
            stage = (self.headers.get("X-DATABEND-STAGE-NAME") or "~").strip()
            ctype = self.headers.get("Content-Type") or ""
            m = re.search(r"boundary=(?:\"([^\"]+)\"|([^;\s]+))", ctype)
            raw = self._body()
            if not m:
                return self._send(400, error_body(BAD_ARGUMENTS, "upload_to_stage needs a multipart/form-data body"))
            boundary = (m.group(1) or m.group(2)).encode()
            if stage in ("~", "@~"):
                root = front.engine.user_stage_dir()
            elif re.fullmatch(r"@?[A-Za-z0-9_]+", stage):
                root = front.engine.internal_stage_dir(stage.lstrip("@"))
            else:
                return self._send(400, error_body(BAD_ARGUMENTS, f"unsupported stage name {stage!r}"))
            relative = (self.headers.get("X-DATABEND-RELATIVE-PATH") or "").strip("/")
            files = []
            for part in raw.split(b"--" + boundary):
                if not part or part.startswith(b"--"):
                    continue
                head, _, content = part.lstrip(b"\r\n").partition(b"\r\n\r\n")
                if content.endswith(b"\r\n"):
                    content = content[:-2]
                headers = head.decode("utf-8", "replace")
                fn = re.search(r'filename="([^"]*)"', headers)
                if not fn:
                    continue
                name = fn.group(1).strip("/")
                target_rel = os.path.normpath(os.path.join(relative, name)) if relative else os.path.normpath(name)
                if target_rel.startswith("..") or os.path.isabs(target_rel):
                    return self._send(400, error_body(BAD_ARGUMENTS, f"bad file name {name!r}"))
                target = os.path.join(root, target_rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as f:
                    f.write(content)
                files.append(target_rel)
            self._send(200, {"id": uuid.uuid4().hex, "stage_name": stage, "state": "SUCCESS", "files": files})

    return Handler


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
        "stats": _stats(res.write_rows if res else 0, res.write_bytes if res else 0, len(res.data) if res else 0, ms),
        "affect": None,
        "stats_uri": f"/v1/query/{qid}",
        "final_uri": f"/v1/query/{qid}/final",
        "next_uri": None,
        "kill_uri": f"/v1/query/{qid}/kill",
    }


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
    args = ap.parse_args()

    os.makedirs(args.data_dir, exist_ok=True)
    t0 = time.time()
    engine = Engine(args.data_dir)
    log(f"engine {engine.version} started in {time.time() - t0:.2f}s, data dir {engine.data_dir}")
    listener = Listener(args.host, args.port, Front(engine, args.user, args.password))
    listener.open()

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
