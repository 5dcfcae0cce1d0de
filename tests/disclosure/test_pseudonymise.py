"""Keyed HMAC-SHA256 pseudonyms and the pseudonym key (env variable or private key file)."""

from __future__ import annotations

import hmac
import os
import stat

import pandas as pd
import pyarrow as pa
import pytest

from healthgap.disclosure.pseudonymise import (
    KEY_ENV,
    VAR_DIR_ENV,
    PseudonymKey,
    PseudonymKeyError,
    hmac_pseudonyms,
    load_key,
    pseudonymise_nhs_numbers,
)
from healthgap.errors import InputDataError

KEY_TEXT = "a-test-key-that-is-long-enough-0123456789"
KEY = PseudonymKey(KEY_TEXT.encode(), "test")


def reference(secret: bytes, number: str) -> str:
    """The standard library's HMAC (RFC 2104), truncated to 32 hex characters."""
    return hmac.new(secret, number.encode("ascii"), "sha256").hexdigest()[:32]


@pytest.fixture
def key_env(monkeypatch, tmp_path):
    """No key in the environment; the var folder under tmp_path."""
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.setenv(VAR_DIR_ENV, str(tmp_path / "var"))
    return tmp_path / "var" / "pseudonym.key"


def test_pseudonym_is_the_standard_hmac_of_the_normalised_number():
    result = pseudonymise_nhs_numbers(pd.Series(["943 476 5919", "4010232137"]), KEY)
    expected = [reference(KEY.secret, "9434765919"), reference(KEY.secret, "4010232137")]
    assert result.tolist() == expected
    assert all(len(p) == 32 and set(p) <= set("0123456789abcdef") for p in result)


def test_same_key_same_pseudonym_and_formatting_does_not_matter():
    a = pseudonymise_nhs_numbers(pd.Series(["943 476 5919"]), KEY)
    b = pseudonymise_nhs_numbers(pd.Series(["9434765919"]), PseudonymKey(KEY.secret, "again"))
    assert a.tolist() == b.tolist()


def test_different_keys_give_different_pseudonyms():
    other = PseudonymKey(b"another-test-key-that-is-long-enough-987", "other")
    numbers = pd.Series(["9434765919", "4010232137"])
    assert set(pseudonymise_nhs_numbers(numbers, KEY)).isdisjoint(
        pseudonymise_nhs_numbers(numbers, other)
    )


def test_keys_longer_than_a_block_are_hashed_first_as_in_rfc_2104():
    long_key = PseudonymKey(b"k" * 100, "long")
    result = hmac_pseudonyms(pa.array(["9434765919", None]), long_key).to_pylist()
    assert result == [reference(b"k" * 100, "9434765919"), None]


def test_index_is_kept_and_invalid_numbers_are_refused_without_echoing_them():
    result = pseudonymise_nhs_numbers(pd.Series(["9434765919"], index=["p1"]), KEY)
    assert result.index.tolist() == ["p1"]
    with pytest.raises(InputDataError, match=r"valid NHS number.*offending: 'b'") as caught:
        pseudonymise_nhs_numbers(pd.Series(["9434765919", "9434765918"], index=["a", "b"]), KEY)
    assert "9434765918" not in str(caught.value)


def test_secret_is_not_in_repr_and_key_id_does_not_reveal_it():
    assert KEY_TEXT not in repr(KEY)
    assert len(KEY.key_id) == 16
    assert KEY_TEXT not in KEY.key_id
    assert KEY.key_id == PseudonymKey(KEY.secret, "elsewhere").key_id
    assert KEY.key_id != PseudonymKey(KEY.secret + b"x", "other").key_id


def test_short_keys_are_refused():
    with pytest.raises(PseudonymKeyError, match="too short: it needs at least 32"):
        PseudonymKey(b"short", "test")


def test_key_from_the_environment(key_env, monkeypatch):
    monkeypatch.setenv(KEY_ENV, f"  {KEY_TEXT}\n")
    key = load_key()
    assert key.secret == KEY_TEXT.encode()
    assert key.source == f"${KEY_ENV}"
    assert not key_env.exists()


def test_default_key_file_is_created_private_once(key_env):
    first = load_key()
    assert first.created
    assert stat.S_IMODE(key_env.stat().st_mode) == 0o600
    assert len(key_env.read_text().strip()) == 64  # 32 random bytes as hex
    second = load_key()
    assert not second.created
    assert second.secret == first.secret


def test_key_file_and_environment_give_the_same_key(key_env, monkeypatch, tmp_path):
    path = tmp_path / "my.key"
    path.write_text(KEY_TEXT + "\n")
    path.chmod(0o600)
    monkeypatch.setenv(KEY_ENV, KEY_TEXT)
    assert load_key(path).secret == load_key().secret


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_key_file_readable_by_others_is_refused(key_env, tmp_path):
    path = tmp_path / "open.key"
    path.write_text(KEY_TEXT)
    path.chmod(0o644)
    with pytest.raises(PseudonymKeyError, match=r"can be read by other users.*chmod 600"):
        load_key(path)


def test_explicit_key_file_must_exist(key_env, tmp_path):
    with pytest.raises(PseudonymKeyError, match="does not exist"):
        load_key(tmp_path / "missing.key")
