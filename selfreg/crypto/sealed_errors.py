"""Exceptions of sealed export bundles and their key files.

Why several classes: an operator who runs ``open-export`` needs to know whether to ask for
another key (wrong recipient), to distrust the sender (signature), to fetch the file again
(truncated), or to report a broken exporter (format). Every class is a :class:`SealedBundleError`
so a caller that only needs "refuse the bundle" catches one class.

Messages name offsets, lengths, chunk numbers and key fingerprints, never plaintext or key
material, so they can be logged and shown as they are.
"""
from __future__ import annotations

from .errors import CryptoError

__all__ = [
    "SealedBundleError",
    "BundleFormatError",
    "BundleTruncatedError",
    "BundleSignatureError",
    "WrongRecipientError",
    "BundleTamperedError",
    "KeyFileError",
]


class SealedBundleError(CryptoError):
    """A bundle could not be verified or opened; no plaintext from it may be trusted."""


class BundleFormatError(SealedBundleError):
    """Not a bundle, an unsupported version or suite, a malformed field, or data after the end."""


class BundleTruncatedError(SealedBundleError):
    """The file ends before the bundle does (an interrupted copy or download)."""


class BundleSignatureError(SealedBundleError):
    """The signature does not verify, or the bundle was signed by a key an untrusted key."""


class WrongRecipientError(SealedBundleError):
    """The bundle was sealed to another recipient key, or its content key cannot be opened."""


class BundleTamperedError(SealedBundleError):
    """A chunk failed authentication, is out of order or missing, or the counts do not match.

    With a valid signature this means the signer produced a broken bundle or the file changed
    while it was being read.
    """


class KeyFileError(CryptoError):
    """A key file is missing, unreadable, garbled, of the wrong kind, or would be overwritten."""
