import pytest

from selfreg import access_codes


def test_generated_codes_are_well_formed_and_distinct():
    codes = {access_codes.generate() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(access_codes.is_well_formed(code) for code in codes)
    assert all(set(code) <= set(access_codes.ALPHABET) for code in codes)


def test_alphabet_has_no_look_alikes():
    for char in "01ILOU":
        assert char not in access_codes.ALPHABET


def test_formatting_and_normalising_round_trip():
    code = access_codes.generate()
    shown = access_codes.format_code(code)
    assert shown.count("-") == 2 and len(shown) == 14
    assert access_codes.normalise(shown.lower()) == code
    assert access_codes.normalise(" " + shown.replace("-", " ") + "\n") == code


def test_normalise_accepts_arabic_indic_digits():
    code = "23456789ABCD"
    arabic = "٢٣٤٥٦٧٨٩ABCD"
    assert access_codes.normalise(arabic) == code


@pytest.mark.parametrize("position", range(12))
def test_every_single_wrong_character_is_caught(position):
    code = access_codes.generate()
    for char in access_codes.ALPHABET:
        if char != code[position]:
            typo = code[:position] + char + code[position + 1:]
            assert not access_codes.is_well_formed(typo)


def test_swapped_neighbours_are_caught():
    code = access_codes.generate()
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2:]
            assert not access_codes.is_well_formed(swapped)


def test_wrong_length_and_foreign_characters_are_refused():
    assert not access_codes.is_well_formed("")
    assert not access_codes.is_well_formed(access_codes.generate()[:-1])
    assert not access_codes.is_well_formed("O" * 12)
