"""The `flask --app selfreg` commands operators and scripts rely on."""
from __future__ import annotations

import re

from selfreg import access_codes

CODE_LINE = re.compile(r"^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$")


def test_init_db_is_idempotent(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=["init-db"]).exit_code == 0


def test_create_centre_and_refuse_duplicates(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["create-centre", "Mottak Nord"]).exit_code == 0
    again = runner.invoke(args=["create-centre", "Mottak Nord"])
    assert again.exit_code != 0 and "exists already" in again.output


def test_new_registration_prints_one_valid_code_per_line(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["create-centre", "Mottak Nord"])
    result = runner.invoke(args=["new-registration", "--centre", "Mottak Nord", "--count", "5"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 5 and len(set(lines)) == 5
    for line in lines:
        assert CODE_LINE.match(line), line
        assert access_codes.is_well_formed(access_codes.normalise(line))
    client = app.test_client()
    assert client.post("/", data={"code": lines[0]}).status_code == 302


def test_new_registration_needs_a_known_centre(app):
    result = app.test_cli_runner().invoke(args=["new-registration", "--centre", "Nowhere"])
    assert result.exit_code != 0 and "No centre called" in result.output


def test_new_registration_with_links(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["create-centre", "Mottak Nord"])
    result = runner.invoke(args=["new-registration", "--centre", "Mottak Nord", "--links"])
    code, link = result.output.strip().split("\t")
    assert CODE_LINE.match(code) and link.startswith("/l/")
    assert app.test_client().get(link).status_code == 302


def test_demo_data_prints_a_code_to_try(app):
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0
    code = re.search(r"Try this resident code: (\S+)", result.output).group(1)
    assert app.test_client().post("/", data={"code": code}).status_code == 302


def test_wheel_ships_templates_static_translations_and_migrations(tmp_path):
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(root)],
        check=True,
    )
    wheel = next(tmp_path.glob("selfreg-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "selfreg/templates/base.html",
        "selfreg/static/css/app.css",
        "selfreg/translations/nb/LC_MESSAGES/messages.mo",
        "selfreg/translations/en/LC_MESSAGES/messages.mo",
        "selfreg/migrations/env.py",
        "selfreg/migrations/versions/0001_initial_schema.py",
        "selfreg/codes/data/isco08.csv",
    ):
        assert expected in names, expected
