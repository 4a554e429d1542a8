"""ISCED 2011 levels, the NUS2000 mapping for exports, and ISCED-F 2013 fields."""

import warnings

import pytest

from selfreg.codes import education

# -- ISCED 2011 levels ------------------------------------------------------------------------


def test_levels_are_zero_to_eight_in_order():
    assert [level.code for level in education.isced_levels()] == list("012345678")


def test_level_labels_in_english_and_our_bokmal():
    assert education.isced_label("6", "en") == "Bachelor's or equivalent level"
    assert education.isced_label("6", "nb") == "Bachelorgrad eller tilsvarende"
    assert education.isced_label("3", "nb") == "Videregående skole"
    assert education.isced_label("8", "de") == "Doctoral or equivalent level"  # no draft: English
    assert all(education.isced_label(code, "nb") for code in "012345678")


def test_level_nine_is_not_a_level_and_unknown_codes_label_as_themselves():
    assert not education.is_valid_isced("9")
    assert education.isced_label("9", "nb") == "9"


# -- NUS2000 ----------------------------------------------------------------------------------


def test_nus_mapping_is_the_documented_table():
    mapped = {code: education.nus_level_for_isced(code) for code in "012345678"}
    assert mapped == {
        "0": "0",
        "1": "1",
        "2": "2",
        "3": "3",
        "4": "5",
        "5": "5",
        "6": "6",
        "7": "7",
        "8": "8",
    }


def test_completed_upper_secondary_is_nus_four():
    assert education.nus_level_for_isced("3", completed=True) == "4"
    # Completion changes nothing elsewhere.
    assert education.nus_level_for_isced("6", completed=True) == "6"


def test_nus_mapping_accepts_ints_and_gives_nine_for_anything_else():
    assert education.nus_level_for_isced(7) == "7"
    assert education.nus_level_for_isced("9") == "9"
    assert education.nus_level_for_isced("") == "9"


def test_every_mapped_nus_level_has_a_label():
    assert education.nus_label("4") == "Videregående, avsluttende utdanning"
    assert education.nus_label("9") == "Uoppgitt"
    assert education.nus_label(5) == "Påbygging til videregående utdanning"
    for code in "012345678":
        assert education.nus_label(education.nus_level_for_isced(code)) != ""
    assert len(education.nus_levels()) == 10


# -- ISCED-F 2013 fields ----------------------------------------------------------------------


def test_field_counts_per_level():
    assert len(education.fields("broad")) == 12
    assert len(education.fields("narrow")) == 58
    assert len(education.fields("detailed")) == 150


def test_fields_rejects_unknown_level():
    with pytest.raises(ValueError):
        education.fields("medium")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "Languages"),
        ("nb", "Språk"),
        ("nb_NO", "Språk"),
        ("fr", "Langues"),
        ("es", "Idiomas"),
        ("uk", "Мови"),
        ("de", "Languages"),  # no official label and no draft
    ],
)
def test_field_label_per_locale(locale, expected):
    assert education.field_label("023", locale) == expected


def test_field_validity_includes_residual_codes():
    assert education.is_valid_field("0613")
    assert education.is_valid_field("99")
    assert education.is_valid_field("999")
    assert education.is_valid_field("9999")
    assert not education.is_valid_field("1234")
    assert education.field_label("1234", "nb") == "1234"


def test_field_hierarchy_follows_the_code():
    field = education.get_field("0613")
    assert field.level == "detailed"
    assert field.broad == "06"
    assert field.narrow == "061"
    assert education.get_field("06").narrow is None


def test_field_choices_group_narrow_fields_under_broad_fields():
    choices = education.field_choices("nb")
    assert list(choices)[:3] == [
        "Generelle programmer og kvalifikasjoner",
        "Utdanning",
        "Kunst- og humanistiske fag",
    ]
    assert choices["Kunst- og humanistiske fag"]["023"] == "Språk"
    broad_codes = [f.code for f in education.fields("broad") if f.code != "99"]
    assert len(choices) == len(broad_codes) == 11
    for broad_code, (group_label, options) in zip(broad_codes, choices.items()):
        assert group_label == education.field_label(broad_code, "nb")
        assert options, group_label
        assert all(code[:2] == broad_code and len(code) == 3 for code in options)


def test_field_choices_leave_out_field_unknown_but_keep_not_further_defined():
    codes = {code for options in education.field_choices("en").values() for code in options}
    assert "999" not in codes
    assert "020" in codes  # "Arts and humanities not further defined"
    assert len(codes) == 57


def test_field_choices_are_a_fresh_copy():
    education.field_choices("en").clear()
    assert education.field_choices("en")


def test_field_choices_render_as_optgroups_in_wtforms_without_warnings():
    wtforms = pytest.importorskip("wtforms")

    class FieldForm(wtforms.Form):
        field = wtforms.SelectField(choices=education.field_choices("nb"))

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        html = FieldForm().field()
    assert '<optgroup label="Utdanning">' in html
    assert '<option value="023">Språk</option>' in html
