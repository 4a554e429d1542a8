"""Ways to take the database away for a moment and give it back.

PostgreSQL: a small TCP proxy on 127.0.0.1 between the app and the server; ``cut()`` closes
every connection through it and refuses new ones (as when the server restarts or the network
drops), ``restore()`` lets connections through again.
SQLite: another connection holds the write lock (as a long maintenance transaction would), so
the app's writes wait out their busy timeout and fail.
"""
from __future__ import annotations

import socket
import sqlite3
import threading
from pathlib import Path

CHUNK = 65536


class TcpProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._down = False
        self._closed = False
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def _accept_loop(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # listener closed
            with self._lock:
                refuse = self._down or self._closed
            if refuse:
                client.close()  # the database is "gone": the driver sees the connection end
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(CHUNK):
                target.sendall(data)
        except OSError:
            pass
        finally:
            self._drop(source, target)

    def _drop(self, *sockets: socket.socket) -> None:
        for sock in sockets:
            with self._lock:
                self._open.discard(sock)
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def cut(self) -> None:
        with self._lock:
            self._down = True
            open_now = list(self._open)
        self._drop(*open_now)

    def restore(self) -> None:
        with self._lock:
            self._down = False

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self.cut()
        self._listener.close()


class SqliteWriteLock:
    """Holds SQLite's write lock from a second connection between ``cut()`` and ``restore()``."""

    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)

    def cut(self) -> None:
        self._connection.execute("BEGIN EXCLUSIVE")

    def restore(self) -> None:
        self._connection.execute("ROLLBACK")

    def close(self) -> None:
        if self._connection.in_transaction:
            self.restore()
        self._connection.close()
