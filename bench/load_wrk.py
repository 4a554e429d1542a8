"""Driving ``wrk`` for ``bench.load``: one Lua script per scenario, one resident per thread.

wrk (C, epoll, LuaJIT) is the load generator because it competes with the server for the same
two cores: per request it spends a few microseconds where a Python client spends a hundred or
more. Each wrk thread has exactly one connection and one resident (``-t N -c N``), so a
resident's requests go one after the other, as from one phone, and the thread can follow its
resident's revisions from the answers. By default each request says "Connection: close", as
the documented nginx (docs/OPERATIONS.md, no upstream keepalive) talks to gunicorn. Cookies,
CSRF tokens and owner tags are made in Python first (``bench.load_residents``) and written into
the script.

Every answer other than 200 counts as an error (and so does a save answer without a revision);
the script prints one ``WRK_RESULT`` line with the totals and the latency percentiles.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .load_residents import Resident, Walk

WRK = "wrk"
HELLO, START, PAGE, SAVE = "hello", "start", "page", "save"

_LUA = r"""
local mode = "__MODE__"
local connection = "__CONNECTION__"
local pages = __PAGES__
local saves = __SAVES__
local sessions = __SESSIONS__

local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  me = sessions[((id - 1) % #sessions) + 1]
  turn = id  -- threads start at different steps
  errors = 0
  statuses = ""
  pending = nil
  math.randomseed(id * 7919 + os.time())
end

local function uuid()
  return string.format("%04x%04x-%04x-4%03x-%04x-%06x%06x",
    math.random(0, 0xffff), math.random(0, 0xffff), math.random(0, 0xffff),
    math.random(0, 0xfff), math.random(0x8000, 0xbfff),
    math.random(0, 0xffffff), math.random(0, 0xffffff))
end

function request()
  turn = turn + 1
  if mode == "hello" then
    return wrk.format("GET", "/", {["Accept-Encoding"] = "gzip", ["Connection"] = connection})
  end
  if mode == "page" then
    return wrk.format("GET", pages[(turn % #pages) + 1],
      {["Cookie"] = me.cookie, ["Accept-Encoding"] = "gzip", ["Connection"] = connection})
  end
  local save = saves[(turn % #saves) + 1]
  pending = save.step
  local body = save.fields .. "&csrf_token=" .. me.csrf .. "&owner=" .. me.owner ..
    "&revision=" .. me.rev[save.step] .. "&idempotency_key=" .. uuid()
  return wrk.format("POST", "/q/" .. save.step .. "/save", {
    ["Cookie"] = me.cookie, ["Accept-Encoding"] = "gzip", ["Accept"] = "application/json",
    ["Connection"] = connection,
    ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end

function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
    if #statuses < 200 then statuses = statuses .. status .. "," end
    return
  end
  if mode == "save" then
    local revision = string.match(body, '"revision":%s*(%d+)')
    if revision then
      me.rev[pending] = tonumber(revision)
    else
      errors = errors + 1
      if #statuses < 200 then statuses = statuses .. "norev," end
    end
  end
end

function done(summary, latency, requests)
  local failed, seen = 0, ""
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("errors")
    seen = seen .. thread:get("statuses")
  end
  local e = summary.errors
  io.write(string.format("WRK_RESULT %d %d %d %d %d %d %d %d %d %d %d %s\n",
    summary.duration, summary.requests, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), failed,
    seen == "" and "-" or seen))
end
"""


@dataclass(frozen=True)
class Result:
    scenario: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int  # socket errors + timeouts + answers other than 200
    error_detail: str
    server_cpu_seconds: float = 0.0  # gunicorn's CPU time during the run (load_server)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        """Server CPU milliseconds per request."""
        return 1000 * self.server_cpu_seconds / self.requests if self.requests else 0.0


def available() -> bool:
    return shutil.which(WRK) is not None


def _lua_string(text: str) -> str:
    if not re.fullmatch(r"[\x20-\x7e]*", text) or '"' in text or "\\" in text:
        raise ValueError("only plain printable ASCII goes into the script")
    return f'"{text}"'


def script(mode: str, residents: list[Resident], walk: Walk | None, *,
           keepalive: bool = False) -> str:
    """``keepalive`` False: every request on a new connection ("Connection: close"), as the
    documented nginx sends them to gunicorn (no upstream keepalive), so the workers share the
    requests by accepting them; True: one kept connection per resident (pinned to a worker)."""
    pages = walk.pages if walk else ()
    saves = walk.saves if walk else {}
    sessions = ",\n".join(
        "{cookie=%s, csrf=%s, owner=%s, rev={%s}}" % (
            _lua_string(r.cookie), _lua_string(r.csrf_token), _lua_string(r.owner),
            ", ".join(f"[{_lua_string(step)}]={r.revisions.get(step, 0)}" for step in saves))
        for r in residents)
    return (_LUA.replace("__MODE__", mode)
            .replace("__CONNECTION__", "keep-alive" if keepalive else "close")
            .replace("__PAGES__", "{" + ", ".join(_lua_string(p) for p in pages) + "}")
            .replace("__SAVES__", "{" + ", ".join(
                "{step=%s, fields=%s}" % (_lua_string(s), _lua_string(f))
                for s, f in saves.items()) + "}")
            .replace("__SESSIONS__", "{" + sessions + "}"))


def run(url: str, scenario: str, script_path: Path, clients: int, seconds: float) -> Result:
    """One wrk run: ``clients`` threads with one connection each, for ``seconds``."""
    command = [WRK, "-t", str(clients), "-c", str(clients), "-d", f"{max(1, round(seconds))}s",
               "--timeout", "10s", "-s", str(script_path), url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60,
                          check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("WRK_RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()[:500]}")
    fields = line.split()
    (duration_us, requests, connect, read, write, status, timeout, p50, p95, p99,
     failed) = (int(x) for x in fields[1:12])
    detail = fields[12]
    socket_errors = connect + read + write + timeout
    # ``status`` (non-2xx/3xx) is already among the Lua script's failures (anything not 200).
    errors = socket_errors + failed
    if status > failed:
        errors += status - failed
    if socket_errors:
        detail = f"{detail} connect={connect} read={read} write={write} timeout={timeout}"
    return Result(scenario, requests, duration_us / 1e6, p50 / 1000, p95 / 1000, p99 / 1000,
                  errors, "" if detail == "-" else detail)
