"""Our draft labels fill the languages official sources lack, and never replace official ones."""
from __future__ import annotations

import json
from importlib import resources

import pytest

from selfreg.codes import draft_labels, education, occupations

SOURCE_CODES = {
    "isco08": {group.code for group in occupations.unit_groups()},
    "iscedf2013": {f.code for level in ("broad", "narrow") for f in education.fields(level)},
    "isced2011": {level.code for level in education.isced_levels()},
}


def shipped() -> list[str]:
    return list(draft_labels.all_locales())


def test_drafts_exist_for_the_interface_languages():
    assert {"ar", "fa", "fa_AF", "ps", "ru", "uk", "tr", "so"} <= set(shipped())


@pytest.mark.parametrize("name", shipped())
def test_each_draft_file_is_complete_and_marked_as_a_draft(name):
    folder = resources.files("selfreg.codes").joinpath("data", "draft_labels")
    data = json.loads(folder.joinpath(f"{name}.json").read_text(encoding="utf-8"))
    assert "draft" in data["provenance"]
    for section, codes in SOURCE_CODES.items():
        labels = data[section]
        missing = {c for c in codes if not (c.endswith("99") or c == "99")} - set(labels)
        assert not missing, (name, section, sorted(missing)[:5])
        assert all(value.strip() for value in labels.values()), (name, section)
        assert not any(ch in value for value in labels.values() for ch in "\u202a\u202b\u202c\u202d\u202e"), name


def test_drafts_fill_gaps_but_official_labels_win():
    assert occupations.label("2221", "ar") != occupations.label("2221", "en")
    assert occupations.label("2221", "fr") == occupations.get("2221").title_fr
    assert occupations.label("2221", "nb") == occupations.get("2221").title_nb
    assert education.field_label("091", "ar") != education.field_label("091", "en")
    assert education.field_label("091", "uk") == education.get_field("091").title_uk
    assert education.isced_label("6", "ru") != education.isced_label("6", "en")
    assert occupations.label("2221", "xx") == occupations.label("2221", "en")


def test_dari_has_its_own_labels():
    assert draft_labels.labels("fa_AF") and draft_labels.labels("fa_AF") != draft_labels.labels("fa")


def test_people_can_search_occupations_in_their_own_language():
    arabic_nurse = draft_labels.label("isco08", "2221", "ar")
    first_word = arabic_nurse.split()[0]
    codes = [hit.code for hit in occupations.search(first_word, "ar")]
    assert "2221" in codes
    russian = draft_labels.label("isco08", "7411", "ru").split()[0]
    assert "7411" in [hit.code for hit in occupations.search(russian, "ru", limit=50)]
