"""NOT ENCRYPTION. A stand-in for FieldCipher used only to benchmark the cost of encryption.

Why it exists: the benchmark runs the same code path twice, once with :class:`FieldCipher` and
once with this class, and the difference is the price of encryption. It must never be used to
store real data.

Safety net: its output starts with format byte 0x00, which :class:`FieldCipher` refuses
(DecryptionError), and it refuses real ciphertexts itself, so data written by one can never be
read as if written by the other.
"""
from __future__ import annotations

from ._header import BytesLike, as_bytes
from ._typed_values import TypedValuesMixin
from .errors import DecryptionError
from .fields import check_context

__all__ = ["NullFieldCipher"]

_NULL_MARKER = b"\x00"


class NullFieldCipher(TypedValuesMixin):
    """INSECURE: stores plaintext behind a 0x00 marker. Benchmarks only, never production.

    Accepts (and ignores) the same constructor arguments as FieldCipher so it is a drop-in
    replacement in a benchmark.
    """

    __slots__ = ("dek_id",)

    def __init__(self, dek: BytesLike | None = None, dek_id: str = "null") -> None:
        self.dek_id = dek_id

    def encrypt(self, plaintext: BytesLike, *, table: str, column: str, row_id: str) -> bytes:
        data = as_bytes(plaintext, "plaintext")
        check_context(table, column, row_id)
        return _NULL_MARKER + data

    def decrypt(self, ciphertext: BytesLike, *, table: str, column: str, row_id: str) -> bytes:
        blob = as_bytes(ciphertext, "ciphertext")
        check_context(table, column, row_id)
        if not blob.startswith(_NULL_MARKER):
            raise DecryptionError("not a NullFieldCipher value (refusing real ciphertext)")
        return blob[1:]

    def __repr__(self) -> str:
        return "NullFieldCipher(INSECURE, benchmarks only)"
