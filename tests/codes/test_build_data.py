"""The shipped data files are exactly what the generator makes from the shared sources.

CI checks out shared/ beside the clone (../shared); without it these tests skip.
"""

import json
from pathlib import Path

import babel
import pytest

from selfreg.codes import build_data

SHIPPED = build_data.DATA_DIR
CANDIDATE_SOURCES = (
    build_data.DEFAULT_SOURCE_DIR,
    Path("/work/shared/data/classifications"),
)


def _source_dir() -> Path | None:
    for candidate in CANDIDATE_SOURCES:
        if (candidate / "isco08_groups.csv").is_file():
            return candidate
    return None


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = _source_dir()
    if source is None:
        pytest.skip("shared/data/classifications not found beside the repository")
    out = tmp_path_factory.mktemp("codes-data")
    build_data.build(source, out)
    return out


@pytest.mark.parametrize(
    "name", [n for n in build_data.GENERATED_FILES if n not in build_data.CLDR_FILES]
)
def test_shipped_file_matches_the_generator(rebuilt: Path, name: str):
    assert (SHIPPED / name).read_bytes() == (rebuilt / name).read_bytes(), (
        f"{name} is stale: run `python -m selfreg.codes.build_data`"
    )


@pytest.mark.parametrize("name", build_data.CLDR_FILES)
def test_shipped_cldr_file_matches_the_generator(rebuilt: Path, name: str):
    shipped = json.loads((SHIPPED / name).read_text(encoding="utf-8"))
    if shipped["babel_version"] != babel.__version__:
        pytest.skip(f"{name} was built with Babel {shipped['babel_version']}; rerun build_data")
    assert (SHIPPED / name).read_bytes() == (rebuilt / name).read_bytes()


def test_generator_writes_nothing_else(rebuilt: Path):
    assert sorted(p.name for p in rebuilt.iterdir()) == sorted(build_data.GENERATED_FILES)


def test_shipped_data_stays_small():
    total = sum((SHIPPED / name).stat().st_size for name in build_data.GENERATED_FILES)
    assert total < 1_000_000


def test_sources_document_names_every_shipped_file():
    sources = (SHIPPED / "SOURCES.md").read_text(encoding="utf-8")
    for name in build_data.GENERATED_FILES:
        assert f"`{name}`" in sources


def test_command_line_writes_into_the_out_folder(rebuilt: Path, tmp_path: Path, capsys):
    source = _source_dir()
    assert build_data.main([str(source), "--out", str(tmp_path)]) == 0
    assert (tmp_path / "isco08.csv").read_bytes() == (rebuilt / "isco08.csv").read_bytes()
    assert "isco08.csv" in capsys.readouterr().out


def test_command_line_rejects_a_missing_source_folder(tmp_path: Path):
    with pytest.raises(SystemExit):
        build_data.main([str(tmp_path / "missing"), "--out", str(tmp_path / "out")])
    assert not (tmp_path / "out").exists()


def test_pruning_keeps_every_word_of_the_unit_group():
    terms = [
        "door carpenter and joiner",
        "door installer",
        "carpenter",
        "joiner",
        "and",
        "Carpenter",
        "door fitter and joiner",
    ]
    kept = build_data._prune_terms(terms)
    assert "door carpenter and joiner" not in kept  # every word is in a shorter term
    assert "door fitter and joiner" in kept  # "fitter" is new
    assert kept.count("carpenter") + kept.count("Carpenter") == 1
    words = {w for term in terms for w in term.casefold().split()}
    assert words == {w for term in kept for w in term.casefold().split()}
