"""Field AEAD: round trips, no plaintext leak, and every tamper or swap rejected."""
from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from selfreg.crypto import DecryptionError, FieldCipher, field_dek_id, new_dek

CELL = {"table": "registration", "column": "full_name", "row_id": "17"}
MARKER = "UNIQUE-PLAINTEXT-MARKER-7f3c9a1e-ÆØÅ-محمد-" * 3

coordinate = st.text(min_size=1, max_size=40)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=20,
)
# One DEK for the property tests: hypothesis forbids function-scoped fixtures in @given.
PROPERTY_CIPHER = FieldCipher(new_dek(), "reg-prop")


@settings(max_examples=150, deadline=None)
@given(plaintext=st.binary(max_size=2000), table=coordinate, column=coordinate, row_id=coordinate)
def test_round_trip_bytes(plaintext: bytes, table: str, column: str, row_id: str) -> None:
    blob = PROPERTY_CIPHER.encrypt(plaintext, table=table, column=column, row_id=row_id)
    assert PROPERTY_CIPHER.decrypt(blob, table=table, column=column, row_id=row_id) == plaintext


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=500))
def test_round_trip_text(text: str) -> None:
    blob = PROPERTY_CIPHER.encrypt_text(text, **CELL)
    assert PROPERTY_CIPHER.decrypt_text(blob, **CELL) == text
    if len(text.encode("utf-8")) >= 16:
        assert text.encode("utf-8") not in blob


@settings(max_examples=150, deadline=None)
@given(value=json_values)
def test_round_trip_json(value: Any) -> None:
    blob = PROPERTY_CIPHER.encrypt_json(value, **CELL)
    assert PROPERTY_CIPHER.decrypt_json(blob, **CELL) == value


@settings(max_examples=50, deadline=None)
@given(plaintext=st.binary(max_size=100), row_a=coordinate, row_b=coordinate)
def test_other_row_always_fails(plaintext: bytes, row_a: str, row_b: str) -> None:
    assume(row_a != row_b)
    blob = PROPERTY_CIPHER.encrypt(plaintext, table="t", column="c", row_id=row_a)
    with pytest.raises(DecryptionError):
        PROPERTY_CIPHER.decrypt(blob, table="t", column="c", row_id=row_b)


def test_json_is_compact_utf8(cipher: FieldCipher, dek: bytes) -> None:
    blob = cipher.encrypt_json({"navn": "Åse", "by": ["Oslo", 1]}, **CELL)
    raw = cipher.decrypt(blob, **CELL)
    assert raw == '{"navn":"Åse","by":["Oslo",1]}'.encode("utf-8")


def test_json_refuses_nan(cipher: FieldCipher) -> None:
    with pytest.raises(ValueError):
        cipher.encrypt_json(float("nan"), **CELL)


def test_empty_plaintext(cipher: FieldCipher) -> None:
    blob = cipher.encrypt(b"", **CELL)
    assert cipher.decrypt(blob, **CELL) == b""


def test_ciphertext_never_contains_plaintext(cipher: FieldCipher) -> None:
    plaintext = MARKER.encode("utf-8")
    chunks = {plaintext[i : i + 8] for i in range(len(plaintext) - 7)}
    for blob in (
        cipher.encrypt(plaintext, **CELL),
        cipher.encrypt_text(MARKER, **CELL),
        cipher.encrypt_json({"name": MARKER}, **CELL),
    ):
        assert plaintext not in blob
        leaked = [chunk for chunk in chunks if chunk in blob]
        assert leaked == []


def test_layout_and_randomised_nonce(cipher: FieldCipher) -> None:
    plaintext = b"x" * 37
    a = cipher.encrypt(plaintext, **CELL)
    b = cipher.encrypt(plaintext, **CELL)
    assert a != b
    header = b"\x01" + bytes([len("reg-1")]) + b"reg-1"
    assert a.startswith(header)
    assert len(a) == len(header) + 12 + len(plaintext) + 16
    assert a[len(header) : len(header) + 12] != b[len(header) : len(header) + 12]
    assert field_dek_id(a) == "reg-1"


def test_every_byte_flip_detected(cipher: FieldCipher) -> None:
    blob = cipher.encrypt(MARKER.encode("utf-8"), **CELL)
    for position in range(len(blob)):
        for mask in (0x01, 0x80, 0xFF):
            tampered = bytearray(blob)
            tampered[position] ^= mask
            with pytest.raises(DecryptionError) as info:
                cipher.decrypt(bytes(tampered), **CELL)
            assert MARKER[:10] not in str(info.value)


def test_truncation_and_extension_detected(cipher: FieldCipher) -> None:
    blob = cipher.encrypt(b"some personal value", **CELL)
    for length in range(len(blob)):
        with pytest.raises(DecryptionError):
            cipher.decrypt(blob[:length], **CELL)
    for suffix in (b"\x00", b"\x00" * 16, blob[-16:]):
        with pytest.raises(DecryptionError):
            cipher.decrypt(blob + suffix, **CELL)


@pytest.mark.parametrize(
    "elsewhere",
    [
        {"row_id": "18"},
        {"row_id": "170"},
        {"row_id": "1"},
        {"column": "duf_number"},
        {"table": "answer"},
        {"table": "answer", "column": "full_name", "row_id": "17"},
        {"column": "Full_name"},
    ],
)
def test_swap_between_cells_fails(cipher: FieldCipher, elsewhere: dict[str, str]) -> None:
    blob = cipher.encrypt(b"Ali Hassan", **CELL)
    with pytest.raises(DecryptionError, match="authentication"):
        cipher.decrypt(blob, **{**CELL, **elsewhere})


def test_length_prefix_prevents_boundary_shift(cipher: FieldCipher) -> None:
    blob = cipher.encrypt(b"v", table="ab", column="c", row_id="1")
    with pytest.raises(DecryptionError):
        cipher.decrypt(blob, table="a", column="bc", row_id="1")
    blob = cipher.encrypt(b"v", table="t", column="c1", row_id="2")
    with pytest.raises(DecryptionError):
        cipher.decrypt(blob, table="t", column="c", row_id="12")


def test_wrong_dek_same_id_fails(cipher: FieldCipher) -> None:
    blob = cipher.encrypt(b"secret", **CELL)
    other = FieldCipher(new_dek(), cipher.dek_id)
    with pytest.raises(DecryptionError, match="authentication"):
        other.decrypt(blob, **CELL)


def test_wrong_dek_id_fails_with_clear_message(cipher: FieldCipher, dek: bytes) -> None:
    blob = cipher.encrypt(b"secret", **CELL)
    with pytest.raises(DecryptionError, match="reg-1"):
        FieldCipher(dek, "reg-2").decrypt(blob, **CELL)


def test_rewritten_dek_id_in_header_fails(cipher: FieldCipher, dek: bytes) -> None:
    """Same DEK, header edited to another id of the same length: the header is authenticated."""
    blob = cipher.encrypt(b"secret", **CELL)
    forged = blob.replace(b"reg-1", b"reg-2", 1)
    with pytest.raises(DecryptionError, match="authentication"):
        FieldCipher(dek, "reg-2").decrypt(forged, **CELL)


def test_unknown_version_refused(cipher: FieldCipher) -> None:
    blob = bytearray(cipher.encrypt(b"secret", **CELL))
    for version in (0, 2, 255):
        blob[0] = version
        with pytest.raises(DecryptionError, match="version"):
            cipher.decrypt(bytes(blob), **CELL)


def test_bytes_like_inputs(cipher: FieldCipher) -> None:
    blob = cipher.encrypt(bytearray(b"abc"), **CELL)
    assert cipher.decrypt(memoryview(blob), **CELL) == b"abc"


def test_argument_validation(dek: bytes, cipher: FieldCipher) -> None:
    with pytest.raises(ValueError):
        FieldCipher(dek[:16], "reg-1")
    with pytest.raises(ValueError):
        FieldCipher(dek, "")
    with pytest.raises(ValueError):
        FieldCipher(dek, "has space")
    with pytest.raises(TypeError):
        cipher.encrypt(b"x", table="t", column="c", row_id=17)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        cipher.encrypt(b"x", table="", column="c", row_id="1")
    with pytest.raises(TypeError):
        cipher.encrypt("text is not bytes", **CELL)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cipher.decrypt("not bytes", **CELL)  # type: ignore[arg-type]


def test_decrypt_text_and_json_reject_wrong_payloads(cipher: FieldCipher) -> None:
    not_utf8 = cipher.encrypt(b"\xff\xfe", **CELL)
    with pytest.raises(DecryptionError):
        cipher.decrypt_text(not_utf8, **CELL)
    not_json = cipher.encrypt(b"{not json", **CELL)
    with pytest.raises(DecryptionError):
        cipher.decrypt_json(not_json, **CELL)


def test_repr_hides_key(cipher: FieldCipher, dek: bytes) -> None:
    assert dek.hex() not in repr(cipher) and repr(dek) not in repr(cipher)


def test_json_helper_matches_json_module(cipher: FieldCipher) -> None:
    value = {"språk": ["norsk", "العربية"], "år": 3}
    raw = cipher.decrypt(cipher.encrypt_json(value, **CELL), **CELL)
    assert json.loads(raw) == value
    assert b"\\u" not in raw
