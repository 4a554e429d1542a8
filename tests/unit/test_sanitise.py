from hypothesis import given, strategies as st

from selfreg.questionnaire.sanitise import clean_line, clean_multiline, to_ascii_digits

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def test_bidi_overrides_and_controls_are_removed():
    assert clean_line("abc\u202edcba\u202c") == "abcdcba"
    assert clean_line("a\x00b\x07c\x1bd") == "abcd"
    assert clean_line("\u2066evil\u2069") == "evil"


def test_zero_width_joiners_needed_by_persian_stay():
    word = "می\u200cخواهم"
    assert clean_line(word) == word


def test_spaces_are_folded_and_ends_stripped():
    assert clean_line("  Ali \t  Hassan  ") == "Ali Hassan"


def test_multiline_keeps_paragraphs_but_not_blank_runs():
    assert clean_multiline("one\r\ntwo\n\n\n\nthree ") == "one\ntwo\n\nthree"
    assert clean_line("one\ntwo") == "onetwo"


def test_text_is_nfc_normalised():
    assert clean_line("e\u0301") == "\u00e9"


def test_digits_of_any_script_become_ascii():
    assert to_ascii_digits("١٩٩٠") == "1990"
    assert to_ascii_digits("۱۳۶۹") == "1369"
    assert to_ascii_digits("१२") == "12"


@given(st.text())
def test_no_control_or_bidi_character_survives(text):
    cleaned = clean_multiline(text)
    assert not any(char in BIDI for char in cleaned)
    assert all(char == "\n" or ord(char) >= 0x20 for char in cleaned)
    assert not any(0x7F <= ord(char) < 0xA0 for char in cleaned)
