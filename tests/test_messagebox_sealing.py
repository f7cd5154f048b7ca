"""The message box's pickup codes and sealed text (chatserver/messagebox/codes.py, sealing.py)."""

from __future__ import annotations

import pytest

from chatserver.messagebox.codes import (
    CODE_BITS,
    CODE_DIGITS,
    CODE_WORDS,
    code_hash,
    new_code,
    normalize,
)
from chatserver.messagebox.sealing import Sealer, Unsealable
from chatserver.messagebox.words import WORDS

SECRET = "s" * 40


def test_a_code_is_five_listed_words_and_three_digits_with_at_least_48_bits() -> None:
    code = new_code()
    *words, digits = code.split("-")
    assert len(words) == CODE_WORDS and all(word in WORDS for word in words)
    assert len(digits) == CODE_DIGITS and digits.isdigit()
    assert CODE_BITS >= 48
    assert len(set(WORDS)) == len(WORDS) == 256


def test_codes_come_from_real_randomness() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    first_words = {code.split("-")[0] for code in codes}
    assert len(first_words) > 200  # 2,000 draws from 256 words miss almost none


@pytest.mark.parametrize(
    "typed",
    [
        "appel-brug-kaars-molen-vos-417",
        "Appel Brug  kaars.molen-VOS 417",
        "  appel brug kaars molen vos 417\n",
    ],
)
def test_a_code_may_be_typed_loosely(typed: str) -> None:
    assert normalize(typed) == "appel-brug-kaars-molen-vos-417"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "appel-brug-kaars-molen-417",  # four words
        "appel-brug-kaars-molen-vos-41",  # two digits
        "appel-brug-kaars-molen-vos-4170",
        "appel-brug-kaars-molen-mes-417",  # not a word of the list
        "appel-brug-kaars-molen-vos",
        "417-appel-brug-kaars-molen-vos",
        "appel-brug-kaars-molen-vos-417" + " " * 200,
        "äppel-brug-kaars-molen-vos-417",
    ],
)
def test_what_cannot_be_a_code_is_refused(typed: str) -> None:
    assert normalize(typed) is None


def test_the_code_is_stored_only_as_a_hash_keyed_by_the_server_secret() -> None:
    code = "appel-brug-kaars-molen-vos-417"
    stored = code_hash(SECRET, code)
    assert stored == code_hash(SECRET, code)
    assert stored != code_hash("t" * 40, code)
    assert stored != code_hash(SECRET, "appel-brug-kaars-molen-vos-418")
    assert "appel" not in stored and len(stored) == 64


def test_sealed_text_opens_only_with_its_key_and_place() -> None:
    sealer = Sealer(SECRET)
    sealed = sealer.seal("Ik durf niet naar huis.", "thread 7 message 1")
    assert b"durf" not in sealed
    assert sealer.open(sealed, "thread 7 message 1") == "Ik durf niet naar huis."
    with pytest.raises(Unsealable):
        sealer.open(sealed, "thread 8 message 1")
    with pytest.raises(Unsealable):
        Sealer("t" * 40).open(sealed, "thread 7 message 1")
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(Unsealable):
        sealer.open(tampered, "thread 7 message 1")
    with pytest.raises(Unsealable):
        sealer.open(b"", "thread 7 message 1")


def test_the_same_text_seals_differently_each_time() -> None:
    sealer = Sealer(SECRET)
    first, second = (sealer.seal("hallo", "thread 1 message 1") for _ in range(2))
    assert first != second
    assert sealer.open(first, "thread 1 message 1") == sealer.open(second, "thread 1 message 1")
