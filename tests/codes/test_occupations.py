"""ISCO-08 occupations: the shipped list, its Norwegian titles and the resident's search."""

import dataclasses

import pytest

from selfreg.codes import occupations


def codes(query: str, locale: str = "en", limit: int = 20) -> list[str]:
    return [o.code for o in occupations.search(query, locale, limit)]


# -- the list -------------------------------------------------------------------------------


def test_all_436_unit_groups_and_their_parents_are_there():
    unit_groups = occupations.unit_groups()
    assert len(unit_groups) == 436
    assert [g.code for g in unit_groups] == sorted(g.code for g in unit_groups)
    levels = [len(code) for code in ("0", "01", "011", "0110")]
    assert [occupations.get(c).level for c in ("0", "01", "011", "0110")] == levels
    for group in unit_groups:
        for parent in (group.code[:1], group.code[:2], group.code[:3]):
            assert occupations.get(parent) is not None, parent


def test_every_group_has_titles_in_all_three_languages():
    for group in occupations.unit_groups():
        assert group.title_en and group.title_fr and group.title_nb, group.code


def test_is_valid_accepts_unit_groups_only():
    assert occupations.is_valid("2221")
    assert occupations.is_valid("0110")
    assert not occupations.is_valid("222")  # a minor group, not storable
    assert not occupations.is_valid("2223")  # STYRK-08 only, not ISCO-08
    assert not occupations.is_valid("9999")
    assert not occupations.is_valid("")


def test_labels_in_english_french_and_bokmal():
    assert occupations.label("2221", "en") == "Nursing professionals"
    assert occupations.label("2221", "fr") == "Cadres infirmiers"
    # STYRK-08's own title for 2221; SSB puts general nurses in 2223 "Sykepleiere".
    assert occupations.label("2221", "nb") == "Spesialsykepleiere"
    assert occupations.label("7115", "nb") == "Tømrere og snekkere"
    assert occupations.label("5120", "nb") == "Kokker"


@pytest.mark.parametrize("locale", ["nb", "nb_NO", "nb-NO", "no", "nn"])
def test_norwegian_locales_get_bokmal(locale):
    assert occupations.label("5120", locale) == "Kokker"


@pytest.mark.parametrize("locale", ["de", "", "xx"])
def test_locales_without_official_or_draft_labels_get_english(locale):
    assert occupations.label("5120", locale) == "Cooks"


def test_unknown_code_labels_as_itself():
    assert occupations.label("9999", "nb") == "9999"
    assert occupations.get("9999") is None
    assert occupations.styrk_code("9999") is None
    assert occupations.major_group("9999") is None


def test_styrk_code_is_the_same_code_when_ssb_has_it():
    assert occupations.styrk_code("2221") == "2221"
    assert occupations.styrk_code("7115") == "7115"


def test_codes_ssb_left_out_have_no_styrk_code_and_the_parents_title():
    police = occupations.get("5412")
    assert police.styrk_code is None
    assert occupations.styrk_code("5412") is None
    assert police.nb_from == "541"
    assert police.title_nb == "Sikkerhetsarbeidere"
    # Subsistence farmers: STYRK has neither 63 nor 631, so the major group's title.
    assert occupations.get("6310").nb_from == "6"
    assert occupations.label("6310", "nb") == "Bønder, fiskere mv."


def test_thirty_three_unit_groups_are_missing_from_styrk():
    missing = [g.code for g in occupations.unit_groups() if g.styrk_code is None]
    assert len(missing) == 33
    assert {"1113", "3221", "5412", "6310", "6340", "9624"} <= set(missing)


def test_major_group():
    assert occupations.major_group("2221") == "2"
    assert occupations.major_group("0110") == "0"
    assert occupations.major_group("22") == "2"


def test_results_are_immutable():
    group = occupations.get("2221")
    with pytest.raises(dataclasses.FrozenInstanceError):
        group.title_nb = "x"  # type: ignore[misc]
    hit = occupations.search("nurse", "en")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.code = "x"  # type: ignore[misc]


# -- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nurse", "2221"),
        ("nurs", "2221"),
        ("NURSE", "2221"),
        ("sykepleier", "2221"),
        ("sykepleiere", "2221"),
        ("infirmier", "2221"),
        ("électricien", "7411"),
        ("electricien", "7411"),
        ("carpenter", "7115"),
        ("soldier", "0310"),
        ("driver", "8322"),
        ("truck driver", "8332"),
        ("police officer", "5412"),
        ("kokk", "5120"),
        ("hairdresser", "5141"),
        ("frisør", "5141"),
        ("plumber", "7126"),
        ("tailor", "7531"),
        ("journalist", "2642"),
        ("midwife", "2222"),
        ("jordm", "2222"),
    ],
)
def test_search_puts_the_right_unit_group_first(query, expected):
    assert codes(query)[0] == expected


def test_farmer_finds_farming_unit_groups():
    found = codes("farmer", limit=5)
    assert found[0] == "6130"
    assert all(code.startswith("6") for code in found)


def test_driver_finds_bus_and_truck_drivers_near_the_top():
    assert {"8322", "8331", "8332"} <= set(codes("driver", limit=5))


def test_norwegian_letters_can_be_typed_without_them():
    # "sjåfør" sits inside the compound titles of bus and truck drivers.
    assert set(codes("sjafor", "nb")[:2]) == {"8331", "8332"}
    assert codes("sjafor") == codes("SJÅFØR")


def test_accents_and_case_do_not_matter():
    assert codes("ÉLECTRICIEN") == codes("electricien") == codes("électricien")


def test_results_show_the_title_in_the_readers_language():
    assert occupations.search("nurse", "nb")[0].label == "Spesialsykepleiere"
    assert occupations.search("sykepleier", "en")[0].label == "Nursing professionals"
    assert occupations.search("nurse", "fr")[0].label == "Cadres infirmiers"


def test_results_say_which_term_matched():
    hit = occupations.search("soldier", "en")[0]
    assert "soldier" in hit.matched.casefold()


def test_each_unit_group_appears_once_and_limit_holds():
    found = codes("engineer", limit=15)
    assert len(found) == 15
    assert len(set(found)) == 15
    assert all(occupations.is_valid(code) for code in found)


@pytest.mark.parametrize("query", ["", "  ", "x", "zzzzqqq"])
def test_nothing_found_is_an_empty_list(query):
    assert occupations.search(query, "en") == []


def test_preload_builds_the_index_once():
    occupations.preload()
    info = occupations._index.cache_info()
    occupations.preload()
    assert occupations._index.cache_info().hits == info.hits + 1
