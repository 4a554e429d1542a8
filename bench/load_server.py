"""gunicorn for ``bench.load``: the project's ``gunicorn.conf.py``, on 127.0.0.1, started and
stopped by the benchmark (never left running)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def conf_sizing(env: dict[str, str]) -> tuple[int, int]:
    """(workers, threads) as gunicorn.conf.py sizes itself under ``env``."""
    code = ("import runpy, json; c = runpy.run_path(%r); print(json.dumps([c['workers'], "
            "c['threads']]))" % str(CONF))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    workers, threads = (int(x) for x in out.strip().strip("[]").split(","))
    return workers, threads


class Gunicorn:
    """``gunicorn -c gunicorn.conf.py APP`` with ``env``; ``url`` answers once it is ready."""

    def __init__(self, app: str, env: dict[str, str], log: Path, ready_path: str = "/") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "SELFREG_BIND": f"127.0.0.1:{self.port}"}
        self.workers, self.threads = conf_sizing(self.env)
        self.log = log
        self._handle = open(log, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(CONF), app], cwd=ROOT, env=self.env,
            stdout=self._handle, stderr=subprocess.STDOUT)
        try:
            self._wait(ready_path)
        except BaseException:
            self.stop()
            raise

    def _wait(self, path: str, limit: float = 60.0) -> None:
        """Until every worker has booted and ``path`` answers 200."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.tail()}")
            booted = self.log.read_text(errors="replace").count("Booting worker")
            if booted >= self.workers:
                try:
                    with urllib.request.urlopen(self.url + path, timeout=5) as answer:
                        if answer.status == 200:
                            return
                except OSError:
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready after {limit:.0f} s: {self.tail()}")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by gunicorn's master and its live workers.

        Per request, this is what the server costs whatever else runs on the machine; the
        throughput of a run also depends on how much of the cores the server got."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in [self.process.pid, *self._children()]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def _children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._handle.close()

    def __enter__(self) -> Gunicorn:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def server_env(base: dict[str, str] | None = None, **extra: str) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env.update(extra)
    return env
