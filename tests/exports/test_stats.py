"""Statistics: known counts from twelve people, suppression, the command's CSV and JSON, the page.

The twelve people are written through the store and submitted as a resident would leave them;
three more registrations (one in progress, one erased, one new) must not be counted.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

import pytest
from flask import Flask
from sqlalchemy import select

from selfreg import create_app, db, keys, registrations
from selfreg.cli import init_database
from selfreg.cli_stats import stats_command
from selfreg.exports import stats
from selfreg.exports.stats_count import age_band
from selfreg.exports.stats_suppress import Family, suppress
from selfreg.models import AuditEvent, Centre, Role
from selfreg.storage import PersonalStore
from tests.staff.conftest import login, make_user, world  # noqa: F401  (fixtures)

TODAY = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)

BIRTHS = ["2009", "2008-07-15", "2008-05-01", "1995", "1995", "1995", "1995", "1985-01-01",
          "1985-01-01", "1970", "1959-06-01", "1959-06-02"]
SPEAK_NORWEGIAN = ["none"] * 3 + ["A1"] * 5 + ["B2"] * 3 + ["C1"]


def _entries(*entries):
    return {"entries": [{"id": f"{n:012x}", **entry} for n, entry in enumerate(entries)]}


def _person(i: int) -> dict:
    """Person i (1 to 12): the answers the expected counts below are worked out from."""
    n = i - 1
    answers = {
        "name": {"given_names": f"Zebulon{i}", "family_name": f"Quoxley{i}"},
        "birth": {"birth_date": BIRTHS[n]},
        "origin": {"country_of_origin": "ER", "duf_number": f"2023{i:08d}"},
        "contact": {"phone": f"+47 900 00 {i:03d}", "municipality": "Bergenvik"},
        "literacy": {"reads": "yes", "writes": "yes"},
        "norwegian": {"understand": "A1", "speak": SPEAK_NORWEGIAN[n], "read": "A1",
                      "write": "none"},
        "english": {"understand": "B1", "speak": "A2", "read": "B1", "write": "A2"},
        "training_any": {"any": "no"},
        "driving": {"classes": ["none"]},
        "digital": {"digital": ["messages"], "numeracy": "basic"},
        "other_skills": {"skills": f"Secret skill of person {i}", "volunteering": ""},
    }
    if i <= 10:
        answers["mother_tongue"] = _entries({"language": "ar" if i <= 6 else "ti"})
    elif i == 11:
        answers["mother_tongue"] = _entries({"language": "ar"}, {"language": "ti"})
    else:
        answers["mother_tongue"] = _entries({"language_text": "Ownwordlang"})
    if i <= 5:
        answers["other_languages_any"] = {"any": "yes"}
        extra = [{"language": "fr"}] + ([{"language": "de"}] if i == 1 else [])
        answers["other_languages"] = _entries(*extra)
    else:
        answers["other_languages_any"] = {"any": "no"}
        if i == 6:  # left over from an earlier "yes": no longer applies, not counted
            answers["other_languages"] = _entries({"language": "sw"})
    # Education: never at school (1-2), upper secondary finished (3-10), higher finished
    # (8-10), lower secondary only (11), upper secondary interrupted (12).
    if i <= 2:
        answers["school"] = {"attended": "never"}
    else:
        answers["school"] = {"attended": "yes"}
        answers["school_details"] = {"years": 9, "country": "ER", "completed": "yes"}
        if 3 <= i <= 10:
            answers["upper"] = {"kind": "general"}
            answers["upper_details"] = {"field": "053", "country": "ER", "years": 3,
                                        "status": "completed", "documents": "no"}
        elif i == 11:
            answers["upper"] = {"kind": "none"}
        else:
            answers["upper"] = {"kind": "vocational"}
            answers["upper_details"] = {"field": "071", "country": "ER", "years": 1,
                                        "status": "interrupted", "documents": "no"}
        answers["higher_any"] = {"any": "yes" if 8 <= i <= 10 else "no"}
        if 8 <= i <= 10:
            answers["higher"] = _entries({"level": "6", "field": "091", "country": "ER",
                                          "years": 4, "status": "completed",
                                          "institution": f"College{i}", "documents": "lost"})
    if i <= 9:
        answers["work_any"] = {"any": "yes"}
        if i <= 5:
            work = [{"occupation": "2221"}]
        elif i <= 7:
            work = [{"occupation": "7411"}]
        elif i == 8:
            work = [{"occupation": "7411"}, {"occupation": "2221"}]
        else:
            work = [{"occupation_text": "Goatherdingwords"}]
        answers["work"] = _entries(*[{**w, "arrangement": "employed", "years": 2,
                                      "country": "ER", "licence": "no"} for w in work])
    else:
        answers["work_any"] = {"any": "no"}
    if i <= 4:
        answers["wishes_work"] = {"work": "2221", "work_text": "nurse"}
    elif i <= 9:
        answers["wishes_work"] = {"work": "5120"}
    elif i == 10:
        answers["wishes_work"] = {"work_text": "Ownwordwish"}
    else:
        answers["wishes_work"] = {}
    need = "yes" if i <= 6 else "unsure" if i <= 8 else "no"
    needs = (["norwegian", "recognition"] if i <= 3 else ["norwegian"] if i <= 6
             else ["higher"] if i == 7 else [] if i == 8 else ["vocational"])  # 9+: not asked
    answers["wishes_education"] = {"education": "Norwegian course" if i <= 7 else "",
                                   "need": need, "needs": needs}
    return answers


EXPECTED = {
    "centre": {"A": 8, "B": 4},
    "municipality": {"Kommune A": 8, "Kommune B": 4},
    "age_band": {"16-17": 2, "18-24": 1, "25-34": 4, "35-44": 2, "55-66": 2, "67+": 1},
    "education_nus": {"0": 2, "2": 1, "3": 1, "4": 5, "6": 3},
    "education_field": {"05": 8, "09": 3, "07": 1, "none": 3},
    "mother_tongue": {"ar": 7, "ti": 5, "uncoded": 1},
    "other_languages": {"fr": 5, "de": 1, "none": 7},
    "norwegian_level": {"none": 3, "A1-A2": 5, "B1-B2": 3, "C1-C2": 1},
    "english_level": {"A1-A2": 12},
    "occupation_group": {"2": 6, "7": 3, "uncoded": 1, "none": 3},
    "wish_work_group": {"2": 4, "5": 5, "uncoded": 1, "none": 2},
    "wish_education": {"yes": 7, "none": 5},
    "training_need": {"yes": 6, "unsure": 2, "no": 4},
    "training_needs": {"norwegian": 6, "recognition": 3, "higher": 1, "none": 5},
}
SECRETS = ["Zebulon", "Quoxley", "202300000", "Bergenvik", "Secret skill", "Ownwordlang",
           "Goatherdingwords", "Ownwordwish", "College", "+47 900"]


def _populate(app, centre_a: int, centre_b: int) -> None:
    """Twelve submitted people (8 in centre A, 4 in B) and three that must not count."""
    with app.app_context():
        session = db.session()
        store = PersonalStore(session, keys.keyring())
        centres = {"A": session.get(Centre, centre_a), "B": session.get(Centre, centre_b)}

        def make(centre, answers, *, submit=True):
            registration = registrations.create_registrations(
                session, keys.keyring(), centre)[0].registration
            with session.no_autoflush:  # one flush per person, not one per step
                for step, values in answers.items():
                    store.save_step(registration, step, values)
            if submit:
                registrations.submit(registration)
            return registration

        for i in range(1, 13):
            make(centres["A" if i <= 8 else "B"], _person(i))
        make(centres["B"], {"name": {"given_names": "Zebulon", "family_name": "Inprogress"}},
             submit=False).status = "in_progress"
        registrations.erase(session, keys.keyring(), make(centres["B"], _person(1)))
        registrations.create_registrations(session, keys.keyring(), centres["B"])
        session.commit()


@dataclass(frozen=True)
class Dataset:
    app: Flask
    centre_a: int
    centre_b: int


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """One app with the twelve people, shared by the tests that only read it (building it
    is most of this file's time)."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("stats") / "instance"
        folder.mkdir()
        patch.setenv("SELFREG_INSTANCE", str(folder))
        patch.setenv("SELFREG_SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")
        for name in ("SELFREG_DATABASE_URL", "SELFREG_KEYRING", "SELFREG_KEYRING_JSON",
                     "SELFREG_ENV", "SELFREG_STATS_MIN_CELL"):
            patch.delenv(name, raising=False)
        app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
        init_database(app)
        with app.app_context():
            session = db.session()
            centre_a = Centre(name="Mottak A", municipality="Kommune A")
            centre_b = Centre(name="Mottak B", municipality="Kommune B")
            session.add_all([centre_a, centre_b])
            session.commit()
            ids = centre_a.id, centre_b.id
        _populate(app, *ids)
        yield Dataset(app, *ids)


@pytest.fixture
def people(app, world):
    _populate(app, world.centre_a, world.centre_b)
    return world


def _raw(app):
    with app.app_context():
        return stats.count(db.session(), keys.keyring(), today=TODAY, batch_size=5)


def test_counts_match_the_known_answers(data):
    counts = _raw(data.app)  # pages of 5: paging is crossed twice
    assert counts.people == 12 and counts.unreadable == 0
    centre_names = {"A": str(data.centre_a), "B": str(data.centre_b)}
    for dimension, expected in EXPECTED.items():
        got = {key: value for key, value in counts.by_dimension[dimension].items() if value}
        if dimension == "centre":
            expected = {centre_names[name]: value for name, value in expected.items()}
        assert got == expected, dimension


def test_age_bands_at_their_edges():
    assert age_band("2010-06-01", TODAY) == "16-17"  # 16 today
    assert age_band("2008-06-02", TODAY) == "16-17"  # 18 tomorrow
    assert age_band("2008-06-01", TODAY) == "18-24"
    assert age_band("2001-06-02", TODAY) == "18-24" and age_band("2001-06-01", TODAY) == "25-34"
    assert age_band("1971-06-01", TODAY) == "55-66" and age_band("1959-06-02", TODAY) == "55-66"
    assert age_band("1959", TODAY) == "67+"  # a year alone: born 1 January
    assert age_band(None, TODAY) == "unknown" and age_band("", TODAY) == "unknown"


def _cells(result, dimension):
    table = next(t for t in result.tables if t.dimension == dimension)
    return {cell.category: cell for cell in table.cells}


def test_labels_are_norwegian(data):
    with data.app.app_context():
        result = stats.build(_raw(data.app), min_cell=2, generated_at=NOW)
    assert _cells(result, "occupation_group")["2"].label_nb == "Akademiske yrker"
    assert _cells(result, "mother_tongue")["ar"].label_nb == "arabisk"
    assert _cells(result, "education_field")["05"].label_en.startswith("Natural sciences")
    assert _cells(result, "centre")[str(data.centre_a)].label_nb == "Mottak A"
    assert _cells(result, "age_band")["67+"].label_nb == "67 år og eldre"


def test_primary_and_secondary_suppression_on_the_dataset(data):
    with data.app.app_context():
        result = stats.build(_raw(data.app), min_cell=5, generated_at=NOW)
    assert result.people == 12
    centres = _cells(result, "centre")
    # B has 4 (primary); A's 8 would give it away (12 - 8), so A is hidden too.
    assert centres[str(data.centre_b)].suppressed and centres[str(data.centre_b)].count is None
    assert centres[str(data.centre_a)].suppressed
    assert all(cell.suppressed for cell in _cells(result, "municipality").values())
    # Mother tongue: uncoded 1 (primary), ti 5 is the smallest shown: hidden too; ar stays.
    tongues = _cells(result, "mother_tongue")
    assert tongues["uncoded"].suppressed and tongues["ti"].suppressed
    assert tongues["ar"].count == 7 and not tongues["ar"].suppressed
    # Zero is shown; 45-54 is empty.
    assert _cells(result, "age_band")["45-54"].count == 0
    wishes = _cells(result, "wish_education")
    assert wishes["yes"].count == 7 and wishes["none"].count == 5
    # Every table: never exactly one suppressed cell while the total is shown.
    for table in result.tables:
        assert sum(cell.suppressed for cell in table.cells) != 1, table.dimension
    # With fewer than min_cell people even the number of people is hidden.
    with data.app.app_context():
        assert stats.build(_raw(data.app), min_cell=13, generated_at=NOW).people is None


def test_suppression_rules_on_counts():
    # Primary, zero shown, one hidden -> smallest shown above zero hidden too.
    counts = {"T": 30, "a": 3, "b": 0, "c": 20, "d": 7}
    assert suppress(counts, [Family("T", ("a", "b", "c", "d"))], 5) == {"a", "d"}
    # Two hidden already: nothing more.
    counts = {"T": 30, "a": 3, "b": 2, "c": 25}
    assert suppress(counts, [Family("T", ("a", "b", "c"))], 5) == {"a", "b"}


def test_suppression_of_linked_centres_and_municipalities():
    people_family = lambda *members: Family("P", members)  # noqa: E731
    # A second centre of the same municipality protects the first.
    counts = {"P": 32, "M1": 12, "M2": 20, "c1": 3, "c2": 9, "c3": 20}
    families = [people_family("M1", "M2"), people_family("c1", "c2", "c3"),
                Family("M1", ("c1", "c2")), Family("M2", ("c3",))]
    assert suppress(counts, families, 5, fixed=frozenset({"P"})) == {"c1", "c2"}
    # A hidden centre alone in its municipality: the municipality goes too, and then another
    # municipality (the people total would give it away) and one of that one's centres.
    counts = {"P": 45, "M1": 12, "M2": 33, "c1": 12, "c2": 3, "c3": 30}
    families = [people_family("M1", "M2"), people_family("c1", "c2", "c3"),
                Family("M1", ("c1",)), Family("M2", ("c2", "c3"))]
    assert suppress(counts, families, 5, fixed=frozenset({"P"})) == {"c1", "c2", "c3", "M1", "M2"}
    # A total hidden by rule 2 whose members are all shown: its smallest member is hidden.
    counts = {"P": 43, "M": 12, "N": 28, "O": 3, "c1": 5, "c2": 7}
    families = [people_family("M", "N", "O"), Family("M", ("c1", "c2"))]
    assert suppress(counts, families, 5, fixed=frozenset({"P"})) == {"O", "M", "c1"}
    # Overlapping categories: the rule still hides a second cell, but never the total.
    assert suppress({"P": 10, "a": 3, "b": 0}, [Family("P", ("a", "b"), exact=False)], 5) == {"a"}


def _run(app, *args):
    result = app.test_cli_runner().invoke(stats_command, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _no_person_level_data(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret
    assert not re.search(r"\d{12}", text)  # no DUF number, however written
    assert "Inprogress" not in text


def _exports(app) -> list[AuditEvent]:
    with app.app_context():
        return db.session().scalars(
            select(AuditEvent).where(AuditEvent.action == "stats.export")).all()


def test_json_output_is_documented_and_holds_counts_only(data):
    before = len(_exports(data.app))
    output = _run(data.app, "--format", "json", "--min-cell", "3")
    _no_person_level_data(output)
    document = json.loads(output)
    assert document["format"] == "selfreg-statistics" and document["format_version"] == 1
    assert document["min_cell"] == 3
    assert document["people"] == {"count": 12, "suppressed": False}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["generated_at"])
    tables = {table["dimension"]: table for table in document["tables"]}
    assert list(tables) == list(stats.DIMENSIONS)
    ages = {cell["category"]: cell for cell in tables["age_band"]["cells"]}
    assert ages["25-34"] == {"category": "25-34", "label_nb": "25–34 år", "count": 4,
                             "suppressed": False}
    assert ages["18-24"]["count"] is None and ages["18-24"]["suppressed"] is True
    assert tables["mother_tongue"]["multiple"] is True and tables["age_band"]["multiple"] is False
    for table in document["tables"]:
        for cell in table["cells"]:
            assert set(cell) == {"category", "label_nb", "count", "suppressed"}
            assert (cell["count"] is None) == cell["suppressed"]
            assert cell["count"] is None or cell["count"] == 0 or cell["count"] >= 3
    events = _exports(data.app)
    assert len(events) == before + 1 and events[-1].registration_id is None


def test_csv_output_parses_and_suppresses(data):
    output = _run(data.app)  # csv is the default, min cell 5 the default
    _no_person_level_data(output)
    rows = list(csv.DictReader(io.StringIO(output)))
    assert list(rows[0]) == list(stats.CSV_HEADER)
    assert rows[0]["dimension"] == "people" and rows[0]["count"] == "12"
    by_key = {(row["dimension"], row["category"]): row for row in rows}
    assert by_key[("mother_tongue", "ar")]["count"] == "7"
    assert by_key[("mother_tongue", "ti")] == {"dimension": "mother_tongue", "category": "ti",
                                               "label_nb": "tigrinja", "count": "",
                                               "suppressed": "true"}
    for row in rows:
        assert row["suppressed"] in ("true", "false")
        assert (row["count"] == "") == (row["suppressed"] == "true")
        assert row["count"] == "" or int(row["count"]) == 0 or int(row["count"]) >= 5


def test_min_cell_below_the_floor_is_refused(app):
    result = app.test_cli_runner().invoke(stats_command, ["--min-cell", "1"])
    assert result.exit_code != 0


def test_admin_page_draws_svg_charts_and_is_audited(app, people, make_user, login):
    admin = make_user(Role.ADMIN)
    client = login(app.test_client(), admin)
    response = client.get("/staff/statistics")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    _no_person_level_data(page)
    assert page.count("<svg") == len(stats.DIMENSIONS)
    assert page.count('role="img"') == len(stats.DIMENSIONS) and "<title" in page
    hidden_tables = re.findall(r'<div class="visually-hidden">\s*<table>', page)
    assert len(hidden_tables) == len(stats.DIMENSIONS)
    assert "under 5" in page and not re.search(r"\sstyle=", page) and "<script" not in page
    assert 'viewBox="0 0 320 ' in page
    assert ">arabic<" in page.lower() or "Arabic" in page
    with app.app_context():
        events = db.session().scalars(
            select(AuditEvent).where(AuditEvent.action == "stats.view")).all()
    assert [(e.user_id, e.registration_id) for e in events] == [(admin, None)]
    app.config["SELFREG_STATS_MIN_CELL"] = 3
    assert "under 3" in client.get("/staff/statistics").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.GUIDE, Role.COUNSELLOR])
def test_page_is_not_there_for_guides_and_counsellors(app, world, make_user, login, role):
    scope = {"centres": [world.centre_a]} if role == Role.GUIDE else {"region": world.region_a}
    client = login(app.test_client(), make_user(role, **scope))
    assert client.get("/staff/statistics").status_code == 404


def test_page_needs_a_login(client):
    response = client.get("/staff/statistics")
    assert response.status_code == 302 and "/staff/" in response.headers["Location"]
