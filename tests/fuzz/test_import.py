"""Hostile JSON Lines for ``selfreg.exports.importer`` and ``flask --app selfreg import``: wrong
types, missing, unknown and duplicated keys, control and direction characters, invalid UTF-8,
deep nesting and overlong lines. Every line is imported or refused with its line number; none
stops the import, and nothing already stored changes."""
from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from selfreg import db, keys
from selfreg.cli_exports import import_command
from selfreg.exports.importer import read_lines
from selfreg.models import Centre, Registration
from selfreg.storage import PersonalStore

from .cases import fresh_case_file, import_lines
from .hostile import BIDI, CONTROLS, fuzz_settings, hostile_text, is_clean, json_values
from .support import snapshot


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    """Every place in a document a value sits."""
    found = [path]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, path + (key,))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, path + (index,))
    return found


def _set(document: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    *head, last = path
    target = document
    for step in head:
        target = target[step]
    if value is _DELETE:
        del target[last]
    else:
        target[last] = value
    return document


_DELETE = object()


@st.composite
def hostile_documents(draw, document: dict[str, Any], number: int) -> dict[str, Any] | Any:
    """A good case file with one to three things made wrong."""
    doc = fresh_case_file(document, number)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        current = doc
        for step in path:
            current = current[step]
        if isinstance(current, str) and draw(st.booleans()):
            spot = draw(st.integers(0, len(current)))
            char = draw(st.sampled_from(BIDI + CONTROLS + "\ud800\ufeff"))
            new = current[:spot] + char + current[spot:]
        else:
            new = draw(st.one_of(json_values(), st.just(_DELETE), hostile_text(30)))
        if not path and new is _DELETE:
            new = {}
        if path and isinstance(path[-1], int) and new is _DELETE:
            new = None
        doc = _set(doc, path, new)
        if not isinstance(doc, dict):
            break
    if isinstance(doc, dict) and draw(st.booleans()):
        doc[draw(hostile_text(10))] = draw(json_values())  # an unknown key
    return doc


RAW_LINES = [
    b"\n", b"   \n", b"{}\n", b"null\n", b"[]\n", b'"text"\n', b"1e999\n", b"NaN\n",
    b"{\"a\":NaN}\n",
    b"[" * 100_000 + b"\n", b"{\"a\":" * 50_000 + b"\n", b"\xff\xfe\x00\n", b"{\"\xc3\x28\": 1}\n",
    b'{"registration": {"id": "x"}, "registration": {}}\n', b"\x00" * 100 + b"\n",
    b'{"a": "\\ud800"}\n', b"{" + b" " * 10_000 + b"\n", b"\r\n", b"\x1e{}\n",
]


def _registrations(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Registration))


def _check_imported(app, before_ids: set[str]) -> None:
    """What came in is readable and holds only clean text."""
    with app.app_context():
        session = db.session()
        store = PersonalStore(session, keys.keyring())
        for registration in session.scalars(select(Registration)):
            if registration.id in before_ids:
                continue
            for values in store.load_all(registration).values():
                for text in _strings(values):
                    assert is_clean(text, multiline=True), text
        for centre in session.scalars(select(Centre)):
            assert is_clean(centre.name, multiline=False), centre.name


def _strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


def _ids(app) -> set[str]:
    with app.app_context():
        return set(db.session().scalars(select(Registration.id)))


@fuzz_settings(8)
@given(data=st.data())
def test_hostile_case_files(exported, data):
    app = exported.app
    documents = [data.draw(hostile_documents(exported.document, number), label=f"line {number}")
                 for number in range(1, 4)]
    raw = data.draw(st.lists(st.sampled_from(RAW_LINES), max_size=3), label="raw")
    ascii_only = data.draw(st.booleans(), label="ensure_ascii")
    lines = [json.dumps(doc, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass") + b"\n"
             for doc in documents] + raw
    good = json.dumps(fresh_case_file(exported.document, 99)).encode() + b"\n"
    lines.append(good)  # after all the bad ones
    before, ids = snapshot(app, exported.registration_id), _ids(app)
    counts, refusals = import_lines(app, lines)
    read = sum(1 for line in lines if line.strip())
    assert (counts.read, counts.imported + counts.refused) == (read, read)
    assert counts.imported >= 1  # the good line after all the bad ones
    assert len(refusals) == counts.refused and all(r.messages() for r in refusals)
    assert _registrations(app) == len(ids) + counts.imported
    assert snapshot(app, exported.registration_id) == before
    _check_imported(app, ids)
    _forget_imported(app, ids)


def _forget_imported(app, keep: set[str]) -> None:
    """Imported lines carry ids and DUF numbers the next example reuses."""
    with app.app_context():
        session = db.session()
        for registration in session.scalars(select(Registration)):
            if registration.id not in keep:
                session.delete(registration)
        session.commit()


@fuzz_settings(3)
@given(data=st.data())
@example(data=None)
def test_import_command(exported, tmp_path, data):
    """The command says which lines were refused and why, and exits 1; it never crashes."""
    app = exported.app
    if data is None:
        good = json.dumps(fresh_case_file(exported.document, 7)).encode() + b"\n"
        lines = [b"[" * 100_000 + b"\n", good]
    else:
        lines = [json.dumps(data.draw(hostile_documents(exported.document, 5))).encode("utf-8",
                 "surrogatepass") + b"\n"] + data.draw(st.lists(st.sampled_from(RAW_LINES),
                                                                max_size=2))
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"".join(lines))
    ids = _ids(app)
    result = app.test_cli_runner().invoke(import_command, [str(path), "--progress-every", "1"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1)
    assert "Imported" in result.stdout
    if result.exit_code == 1:
        assert "line " in result.stderr
    _forget_imported(app, ids)


def test_an_overlong_line_is_refused_and_the_next_one_read(exported):
    good = json.dumps(fresh_case_file(exported.document, 42)).encode() + b"\n"

    limit = len(good) + 10
    stream = io.BytesIO(b"{" + b"x" * (limit + 100) + b"\n" + good)
    counts, refusals = import_lines(exported.app, read_lines(stream, limit=limit))
    assert (counts.imported, counts.refused) == (1, 1), [r.messages() for r in refusals]
    assert refusals[0].messages()[0].startswith("line 1: longer than")
