"""Secret ballots' keys, as pure functions: the documented derivation, one key per poll, the check of the secret."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from bot.core.ballot_keys import BallotKeys, BallotSeed, poll_key, voter_key

SECRET = bytes(range(32))


def hmac_sha256(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def test_the_keys_are_the_documented_hmacs():
    """The README states the construction; anyone auditing a secret poll can recompute it from this."""
    nonce = bytes.fromhex("ab" * 32)
    expected_poll_key = hmac_sha256(SECRET, b"poll:12:" + b"ab" * 32)
    assert poll_key(SECRET, 12, nonce) == expected_poll_key
    assert voter_key(expected_poll_key, 12, 345) == hmac_sha256(expected_poll_key, b"12:345")
    seed = BallotSeed(nonce=nonce, check=hmac_sha256(SECRET, b"check:" + b"ab" * 32))
    assert BallotKeys(SECRET).voter_key(12, seed, 345) == hmac_sha256(expected_poll_key, b"12:345")
    assert BallotKeys(SECRET).opens(seed)


def test_each_poll_member_nonce_and_secret_gives_another_key():
    keys = BallotKeys(SECRET)
    seed, other_seed = keys.new_seed(), keys.new_seed()
    assert len(seed.nonce) == 32 and seed.nonce != other_seed.nonce and seed.legacy_salt is None
    key = keys.voter_key(1, seed, 42)
    assert key == keys.voter_key(1, seed, 42)
    others = {
        keys.voter_key(2, seed, 42),
        keys.voter_key(1, seed, 43),
        keys.voter_key(1, other_seed, 42),
        BallotKeys(bytes(32)).voter_key(1, seed, 42),
    }
    assert len(others | {key}) == 5


def test_a_secret_opens_only_the_polls_created_under_it():
    seed = BallotKeys(SECRET).new_seed()
    assert BallotKeys(SECRET).opens(seed)
    assert not BallotKeys(bytes(32)).opens(seed)
    assert not BallotKeys(SECRET).opens(BallotSeed(nonce=seed.nonce))  # no check stored: never assumed


def test_a_poll_from_before_ballot_keys_keeps_its_salt_as_its_key():
    salt = bytes(range(100, 132))
    legacy = BallotSeed(legacy_salt=salt)
    assert BallotKeys(SECRET).opens(legacy)
    assert BallotKeys(SECRET).voter_key(7, legacy, 99) == hmac_sha256(salt, b"7:99")  # as before the change


def test_the_secret_is_long_enough_and_never_shown():
    with pytest.raises(ValueError, match="at least 32 bytes"):
        BallotKeys(bytes(31))
    assert SECRET.hex() not in repr(BallotKeys(SECRET)) and str(SECRET) not in repr(BallotKeys(SECRET))
    with pytest.raises(ValueError, match="holds no ballot key"):
        BallotKeys(SECRET).voter_key(1, BallotSeed(), 1)
