"""Blind indexes: keyed, deterministic, separated by purpose and keyring; normalisation."""
from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfreg.crypto import (
    Keyring,
    blind_index,
    code_lookup_hash,
    normalise_duf,
    normalise_name_dob,
)


def _reference_index(index_key: bytes, purpose: str, value: str) -> bytes:
    """Independent RFC 5869 HKDF + HMAC with the standard library, per docs/CRYPTO-FORMATS.md."""
    prk = hmac.new(b"\x00" * 32, index_key, hashlib.sha256).digest()  # extract, salt = zeros
    info = b"selfreg blind index " + purpose.encode("ascii")
    subkey = hmac.new(prk, info + b"\x01", hashlib.sha256).digest()  # expand, one block
    return hmac.new(subkey, value.encode("utf-8"), hashlib.sha256).digest()[:16]


def test_matches_documented_construction(keyring: Keyring) -> None:
    for purpose, value in [("duf", "201912345678"), ("name-dob", "åse\x1f1990"), ("x", "")]:
        assert blind_index(keyring, purpose, value) == _reference_index(
            keyring.index_key, purpose, value
        )


def test_deterministic_and_16_bytes(keyring: Keyring) -> None:
    a = blind_index(keyring, "duf", "201912345678")
    assert a == blind_index(keyring, "duf", "201912345678")
    assert len(a) == 16


def test_differs_per_value_purpose_and_keyring(keyring: Keyring) -> None:
    base = blind_index(keyring, "duf", "201912345678")
    assert blind_index(keyring, "duf", "201912345679") != base
    assert blind_index(keyring, "name-dob", "201912345678") != base
    assert blind_index(Keyring.generate(), "duf", "201912345678") != base


def test_not_a_plain_hash(keyring: Keyring) -> None:
    value = "201912345678"
    assert blind_index(keyring, "duf", value) != hashlib.sha256(value.encode()).digest()[:16]


def test_stable_across_save_load_and_kek_rotation(tmp_path: Path, keyring: Keyring) -> None:
    before = blind_index(keyring, "duf", "123")
    keyring.add_kek()
    path = tmp_path / "keyring.json"
    keyring.save(path)
    assert blind_index(Keyring.load(path), "duf", "123") == before


def test_code_lookup_hash(keyring: Keyring) -> None:
    code = "K7QP-2M9X"
    assert code_lookup_hash(keyring, code) == blind_index(keyring, "resident-code", code)
    assert code_lookup_hash(keyring, code) != blind_index(keyring, "duf", code)
    assert code_lookup_hash(keyring, code) != code_lookup_hash(keyring, "K7QP-2M9Y")
    with pytest.raises(ValueError):
        code_lookup_hash(keyring, "")


def test_argument_validation(keyring: Keyring) -> None:
    with pytest.raises(ValueError):
        blind_index(keyring, "", "x")
    with pytest.raises(ValueError):
        blind_index(keyring, "duf number", "x")
    with pytest.raises(TypeError):
        blind_index(keyring, "duf", b"123")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("١٢٣", "123"),  # Arabic-Indic
        ("۱۲۳", "123"),  # Extended Arabic-Indic (Persian, Urdu)
        ("１２３", "123"),  # full-width
        ("१२३", "123"),  # Devanagari
        ("2019 1234-5678", "201912345678"),
        ("DUF: 2019.1234.5678\n", "201912345678"),
        ("12²3", "123"),  # superscript two is not a decimal digit
        ("", ""),
        ("abc", ""),
    ],
)
def test_normalise_duf(raw: str, expected: str) -> None:
    assert normalise_duf(raw) == expected


@given(st.text())
def test_normalise_duf_properties(text: str) -> None:
    result = normalise_duf(text)
    assert all(ch in "0123456789" for ch in result)
    assert normalise_duf(result) == result
    assert len(result) == sum(ch.isdecimal() for ch in text)


def test_same_duf_in_any_script_gives_same_index(keyring: Keyring) -> None:
    variants = ["201912345678", "٢٠١٩١٢٣٤٥٦٧٨", "2019-1234-5678", "２０１９ １２３４ ５６７８"]
    indexes = {blind_index(keyring, "duf", normalise_duf(v)) for v in variants}
    assert len(indexes) == 1


@pytest.mark.parametrize(
    "variant",
    [
        "ali hassan",
        "  Ali  Hassan ",
        "ALI HASSAN",
        "Ali-Hassan",
        "Ali\tHassan\n",
        "Ali\u00a0Hassan",  # no-break space
        "Ali\u200bHassan",  # zero-width space
        "Ａｌｉ Ｈａｓｓａｎ",  # full-width letters
        "ali.hassan",
        "Ali 'Hassan'",
    ],
)
def test_normalise_name_variants_match(variant: str) -> None:
    assert normalise_name_dob(variant, "1990") == normalise_name_dob("ali hassan", "1990")


def test_normalise_name_details() -> None:
    assert normalise_name_dob("  Ali  Hassan ", "1990") == "alihassan\x1f1990"
    assert normalise_name_dob("Straße", "1990") == normalise_name_dob("STRASSE", "1990")
    assert normalise_name_dob("José", "1990") == normalise_name_dob("Jose\u0301", "1990")
    assert normalise_name_dob("José", "1990") != normalise_name_dob("Jose", "1990")
    assert normalise_name_dob("ﬁrdaus", "1990") == normalise_name_dob("Firdaus", "1990")
    assert normalise_name_dob("محمد", "1990") == "محمد\x1f1990"
    assert normalise_name_dob("زهرا\u200cاحمدی", "1990") == normalise_name_dob("زهرا احمدی", "1990")


def test_normalise_birth() -> None:
    assert normalise_name_dob("Ali", " 1990-05-01 ") == "ali\x1f1990-05-01"
    assert normalise_name_dob("Ali", "١٩٩٠") == normalise_name_dob("Ali", "1990")
    assert normalise_name_dob("Ali", "1990") != normalise_name_dob("Ali", "1990-05-01")
    assert normalise_name_dob("Ali", "1990") != normalise_name_dob("Ali", "1991")


def test_name_birth_boundary_is_unambiguous() -> None:
    assert normalise_name_dob("Ali1", "990") != normalise_name_dob("Ali", "1990")
    assert normalise_name_dob("Ali\x1f1", "990") != normalise_name_dob("Ali", "1\x1f990")


@given(st.text(), st.text())
def test_normalised_name_has_no_separators(name: str, birth: str) -> None:
    clean_name, _, _ = normalise_name_dob(name, birth).partition("\x1f")
    assert not any(ch.isspace() for ch in clean_name)
    assert "\x1f" not in clean_name
