"""Case files back in: lossless round trip, and every bad line refused with its line and field."""
from __future__ import annotations

import copy
import io
import json
from typing import Any

from selfreg import db, keys
from selfreg.cli_exports import import_command
from selfreg.exports import Refusal, import_case_files
from selfreg.exports.casefile import stored_answers
from selfreg.exports.importer import read_lines
from selfreg.models import Registration
from selfreg.questionnaire import flow
from selfreg.questionnaire.catalogue import CATALOGUE
from selfreg.storage import VERIFICATION, PersonalStore

from .helpers import add_staff_user, lines_of


def _stored(app, registration_id: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    with app.app_context():
        session = db.session()
        registration = session.get(Registration, registration_id)
        store = PersonalStore(session, keys.keyring())
        record = store.load_record(registration, VERIFICATION)
        return store.load_all(registration), record.values, store.changed_by(registration)


def _import(app, lines, **options) -> tuple[Any, list[Refusal]]:
    refusals: list[Refusal] = []
    with app.app_context():
        counts = import_case_files(db.session(), keys.keyring(), lines,
                                   on_refusal=refusals.append, **options)
    return counts, refusals


def _staff(app) -> int:
    with app.app_context():
        session = db.session()
        user_id = add_staff_user(session, "importer@example.org")
        session.commit()
        return user_id


def test_export_import_export_is_lossless(walked, other_app):
    documents = walked.export()
    counts, refusals = _import(other_app, lines_of(documents), staff_user_id=_staff(other_app))
    assert (counts.imported, counts.refused, refusals) == (1, 0, [])
    with other_app.app_context():
        from selfreg.exports import iter_case_files

        again = list(iter_case_files(db.session(), keys.keyring(), [walked.registration_id]))
    # Same id, same times, same answers, labels, verification and staff marks.
    assert again == documents

    original, original_marks, original_staff = _stored(walked.app, walked.registration_id)
    imported, imported_marks, imported_staff = _stored(other_app, walked.registration_id)
    assert imported == flow.prune(CATALOGUE, original)
    assert imported_marks == original_marks
    assert {k for k, v in imported_staff.items() if v} == {k for k, v in original_staff.items() if v}
    with other_app.app_context():
        moved = db.session().get(Registration, walked.registration_id)
        assert moved.is_submitted and moved.centre.name == "Testmottak"
        assert moved.steps_done == len(flow.applicable_steps(CATALOGUE, imported))
        assert moved.link_lookup is None


def test_stored_answers_invert_the_document(walked):
    from selfreg.exports.schemas import case_file_schema

    (document,) = walked.export()
    with walked.app.app_context():
        loaded = case_file_schema().load(document)
    original, marks, _staff_ids = _stored(walked.app, walked.registration_id)
    back = stored_answers(loaded)
    assert back.answers == flow.prune(CATALOGUE, original)
    assert back.statuses == marks
    assert back.staff_steps == {"contact"}


def _variant(document: dict[str, Any], number: int) -> dict[str, Any]:
    """The same person under another id and DUF number, so only the change made shows."""
    other = copy.deepcopy(document)
    other["registration"]["id"] = f"{number:032x}"
    duf = f"2024{number:08d}"
    other["answers"]["origin"]["duf_number"] = duf
    other["identity"]["duf_number"] = duf
    other["answers"]["contact"]["changed_by_staff"] = False
    other["answers"]["contact"]["municipality"]["locale"] = "nb"
    return other


def _line(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8") + b"\n"


def test_bad_lines_are_refused_with_line_number_and_field(walked, other_app):
    (good,) = walked.export()
    base = _variant(good, 1)
    missing = _variant(good, 2)
    del missing["registration"]["status"]
    unknown_code = _variant(good, 3)
    unknown_code["answers"]["work"]["entries"][0]["occupation"]["code"] = "9999"
    wrong_type = _variant(good, 4)
    wrong_type["answers"]["work"]["entries"][0]["years"] = "three"
    same_duf = _variant(good, 5)
    same_duf["answers"]["origin"]["duf_number"] = same_duf["identity"]["duf_number"] = "202400000001"
    same_id = _variant(good, 6)
    same_id["registration"]["id"] = base["registration"]["id"]
    hostile = _variant(good, 7)
    hostile["answers"]["name"]["given_names"]["text"] = "Amina\u202eanihsa"
    not_applying = _variant(good, 8)
    not_applying["answers"]["higher_any"]["any"] = {"code": "no", "label_nb": "Nei"}
    other_identity = _variant(good, 9)
    other_identity["identity"]["family_name"] = "Someone"
    lines = [
        _line(base),                                   # 1: imported
        b"{not json\n",                                # 2
        _line(missing),                                # 3
        b"\n",                                         # 4: blank, skipped
        _line(unknown_code),                           # 5
        _line(wrong_type),                             # 6
        _line(same_duf),                               # 7
        _line(same_id),                                # 8
        _line(hostile),                                # 9
        _line(not_applying),                           # 10
        _line(other_identity),                         # 11
        b"[1, 2]\n",                                   # 12
        b'{"format": 1, "format": 2}\n',               # 13
        _line(good)[:-2] + b"\xff}\n",                 # 14
    ]
    counts, refusals = _import(other_app, lines)
    assert (counts.read, counts.imported, counts.refused) == (13, 1, 12)
    said = {refusal.line: refusal.messages() for refusal in refusals}
    assert said[2] == ["line 2: not valid JSON: Expecting property name enclosed in double quotes (column 2)"]
    assert said[3] == ["line 3: registration.status: Missing data for required field"]
    assert said[5] == ["line 5: answers.work.entries.0.occupation: not a known ISCO-08 code: '9999'"]
    assert said[6] == ["line 6: answers.work.entries.0.years: Not a valid integer"]
    assert said[7] == ["line 7: answers.origin.duf_number: a registration with this DUF number exists already"]
    assert said[8] == ["line 8: registration.id: a registration with this id exists already"]
    assert said[9] == [
        "line 9: answers.name.given_names.text: contains a control or text-direction character (U+202E)"
    ]
    assert said[10] == ["line 10: answers.higher: this step does not apply given the other answers"]
    assert said[11] == ["line 11: identity.family_name: differs from the answers"]
    assert said[12] == ["line 12: a line must hold one JSON object (a case file)"]
    assert said[13] == ["line 13: the key 'format' appears twice in one object"]
    assert said[14][0].startswith("line 14: not UTF-8")
    with other_app.app_context():
        assert db.session().query(Registration).count() == 1


def test_staff_changes_need_someone_here_to_answer_for_them(walked, other_app):
    counts, refusals = _import(other_app, lines_of(walked.export()))
    assert counts.imported == 0
    assert refusals[0].messages() == [
        "line 1: answers.contact.changed_by_staff: staff changes need a staff user here who "
        "answers for them (--staff-user)"
    ]


def test_unknown_fields_and_versions_are_refused(walked, other_app):
    (good,) = walked.export()
    extra = _variant(good, 20)
    extra["answers"]["work"]["entries"][0]["salary"] = 1000
    later = _variant(good, 21)
    later["format_version"] = "2.0"
    counts, refusals = _import(other_app, [_line(extra), _line(later)])
    assert counts.imported == 0
    assert refusals[0].messages() == ["line 1: answers.work.entries.0.salary: Unknown field"]
    assert refusals[1].messages() == ["line 2: format_version: Must be one of: 1.0"]


def test_an_overlong_line_is_refused_without_being_held(other_app):
    stream = io.BytesIO(b"x" * 100 + b"\n" + b"{}\n")
    lines = list(read_lines(stream, limit=50))
    assert lines == [None, b"{}\n"]
    _counts, refusals = _import(other_app, lines)
    assert refusals[0].messages()[0].startswith("line 1: longer than")


def test_import_command_prints_refusals_and_progress_and_fails(walked, other_app, tmp_path):
    (good,) = walked.export()
    path = tmp_path / "case-files.jsonl"
    path.write_bytes(_line(_variant(good, 30)) + b"{broken\n" + _line(_variant(good, 31)))
    result = other_app.test_cli_runner().invoke(import_command, [str(path), "--progress-every", "1"])
    assert result.exit_code == 1
    assert "line 2: not valid JSON" in result.stderr
    assert "3 lines read: 2 imported, 1 refused" in result.stderr
    assert "Imported 2 of 3 case files; 1 refused." in result.stdout


def test_import_command_succeeds_with_a_staff_user(walked, other_app, tmp_path):
    _staff(other_app)
    path = tmp_path / "case-files.jsonl"
    path.write_bytes(b"".join(lines_of(walked.export())))
    runner = other_app.test_cli_runner()
    result = runner.invoke(import_command, [str(path), "--staff-user", "Importer@example.org"])
    assert result.exit_code == 0, result.output
    unknown = runner.invoke(import_command, [str(path), "--staff-user", "nobody@example.org"])
    assert unknown.exit_code != 0 and "No active staff user" in unknown.output
