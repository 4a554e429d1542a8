"""Countries from CLDR: which codes count as countries, and their names per reader."""

import pytest

from selfreg.codes import countries


def test_all_codes_are_iso_countries_plus_kosovo():
    codes = countries.all_codes()
    assert len(codes) == 250  # ISO 3166-1's 249 + XK
    assert list(codes) == sorted(codes)
    assert all(len(code) == 2 and code.isalpha() and code.isupper() for code in codes)
    assert {"XK", "PS", "SY", "AF", "ER", "SO", "UA", "NO", "IQ", "IR", "SS"} <= set(codes)


@pytest.mark.parametrize("code", ["ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "IC", "EA", "001"])
def test_groupings_and_placeholders_are_not_countries(code):
    assert not countries.is_valid(code)
    assert code not in countries.all_codes()


@pytest.mark.parametrize(
    ("code", "locale", "expected"),
    [
        ("NO", "nb", "Norge"),
        ("NO", "ar", "النرويج"),
        ("SY", "ar", "سوريا"),
        ("SY", "nb", "Syria"),
        ("PS", "nb", "Det palestinske området"),
        ("XK", "nb", "Kosovo"),
        ("ER", "ti", "ኤርትራ"),
        ("AF", "fa_AF", "افغانستان"),
        ("AF", "en-GB", "Afghanistan"),
    ],
)
def test_label_in_the_readers_language(code, locale, expected):
    assert countries.label(code, locale) == expected


def test_label_falls_back_to_english_then_to_the_code():
    assert countries.label("NO", "xx") == "Norway"
    assert countries.label("QQ", "nb") == "QQ"


def test_choices_cover_every_country_once():
    choices = countries.choices("nb")
    assert sorted(code for code, _label in choices) == list(countries.all_codes())


def test_choices_are_sorted_by_name_norwegian_letters_last():
    labels = [label for _code, label in countries.choices("nb")]
    assert labels[0] == "Afghanistan"
    assert labels[-3:] == ["Øst-Timor", "Østerrike", "Åland"]
    assert labels.index("Zimbabwe") < labels.index("Østerrike")


def test_choices_ignore_accents_when_sorting():
    labels = [label for _code, label in countries.choices("fr")]
    assert labels.index("Égypte") < labels.index("Érythrée") < labels.index("Espagne")


def test_choices_are_a_fresh_list():
    countries.choices("en").clear()
    assert len(countries.choices("en")) == 250
