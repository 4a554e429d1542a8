"""Languages from CLDR: names in the reader's language, autonyms and search."""

import json
from importlib import resources

import babel
import pytest

from selfreg.codes import languages


def test_all_codes_are_languages_without_regional_forms():
    codes = languages.all_codes()
    assert list(codes) == sorted(set(codes))
    assert len(codes) > 600
    assert {"ar", "fa", "fa_AF", "ps", "ckb", "ku", "ti", "tig", "am", "om", "so", "ln"} <= set(
        codes
    )
    assert not {"und", "zxx", "mul", "en_GB", "zh_Hans", "pt_BR"} & set(codes)


def test_is_valid():
    assert languages.is_valid("ti")
    assert languages.is_valid("fa_AF")
    assert not languages.is_valid("mul")
    assert not languages.is_valid("xx")


@pytest.mark.parametrize(
    ("code", "locale", "expected"),
    [
        ("ti", "nb", "tigrinja"),
        ("ti", "en", "Tigrinya"),
        ("ar", "fa", "عربی"),
        ("ar", "ar", "العربية"),
        ("fa_AF", "en", "Dari"),
        ("fa_AF", "nb", "dari"),
        ("ckb", "en", "Central Kurdish"),
        ("so", "fa_AF", "سومالیایی"),
    ],
)
def test_label_in_the_readers_language(code, locale, expected):
    assert languages.label(code, locale) == expected


@pytest.mark.parametrize("locale", ["", "xx", "zz_ZZ", "not a locale", "en-US"])
def test_label_falls_back_to_english_for_unknown_locales(locale):
    assert languages.label("ti", locale) == "Tigrinya"


def test_label_of_unknown_code_is_the_code():
    assert languages.label("qqq", "nb") == "qqq"


def test_label_of_an_alias_code_names_the_language_it_stands_for():
    # CLDR has no "kmr" (Kurmanji); it maps the code to "ku", whose CLDR name is Kurdish.
    assert languages.label("kmr", "en") == "Kurdish"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ti", "ትግርኛ"),
        ("ar", "العربية"),
        ("fa_AF", "دری"),
        ("ckb", "کوردیی ناوەندی"),
        ("nb", "norsk bokmål"),
    ],
)
def test_autonym(code, expected):
    assert languages.autonym(code) == expected


def test_autonym_is_none_where_cldr_has_no_name_of_its_own():
    assert languages.autonym("sr_ME") is None
    assert languages.autonym("qqq") is None


def test_shipped_autonyms_match_the_installed_cldr():
    data = resources.files("selfreg.codes").joinpath("data", "language_autonyms.json")
    shipped = json.loads(data.read_text(encoding="utf-8"))
    if shipped["babel_version"] != babel.__version__:
        pytest.skip("Babel differs from the one the autonyms were built with; rerun build_data")
    for code in ("ti", "ar", "ckb", "fa_AF", "am", "so", "ps"):
        assert shipped["autonyms"][code] == languages.live_autonym(code)


@pytest.mark.parametrize(
    ("query", "locale", "expected"),
    [
        ("lingala", "en", "ln"),
        ("LINGALA", "nb", "ln"),
        ("tigre", "en", "tig"),
        ("dari", "en", "fa_AF"),
        ("dari", "nb", "fa_AF"),
        ("kurmanji", "en", "ku"),
        ("kurmanji", "ar", "ku"),
        ("sorani", "nb", "ckb"),
        ("tigrinya", "en", "ti"),
        ("tigrinja", "nb", "ti"),
        ("tigri", "en", "ti"),
        ("ትግርኛ", "en", "ti"),
        ("ትግርኛ", "nb", "ti"),
        ("عربی", "fa", "ar"),
        ("عربی", "en", "ar"),
        ("العربية", "en", "ar"),
        ("العربيه", "nb", "ar"),
        ("arabisk", "nb", "ar"),
        ("farsi", "en", "fa"),
        ("persisk", "nb", "fa"),
        ("pashto", "ps", "ps"),
        ("somali", "so", "so"),
        ("oromo", "nb", "om"),
        ("amharic", "ti", "am"),
        ("ukrainsk", "nb", "uk"),
        ("русский", "uk", "ru"),
    ],
)
def test_search_finds_the_language_first(query, locale, expected):
    results = languages.search(query, locale)
    assert results, query
    assert results[0].code == expected


def test_search_results_are_labelled_in_the_readers_language():
    first = languages.search("ትግርኛ", "nb")[0]
    assert first.label == "tigrinja"
    assert first.matched == "ትግርኛ"


def test_tigre_and_tigrinya_are_told_apart():
    assert [r.code for r in languages.search("tigre", "en")] == ["tig"]
    assert [r.code for r in languages.search("tigrinya", "en")] == ["ti"]
    assert {"tig", "ti"} <= {r.code for r in languages.search("tigr", "en")}


def test_search_with_an_unknown_reader_locale_still_works():
    assert languages.search("lingala", "xx")[0].code == "ln"


def test_search_excludes_non_languages_and_respects_the_limit():
    assert all(r.code not in {"und", "zxx", "mul"} for r in languages.search("language", "en"))
    assert len(languages.search("a", "en")) == 0
    assert len(languages.search("an", "en", limit=3)) == 3
