"""The one digest helper: SHA-256 of the UTF-8 text, as lower-case hex."""

from __future__ import annotations

from plaint.core.digest import sha256_hex


def test_known_vectors():
    assert sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_text_is_encoded_as_utf8():
    assert sha256_hex("پرسش") == sha256_hex("پرسش".encode().decode("utf-8"))
    assert sha256_hex("ä") != sha256_hex("a")
