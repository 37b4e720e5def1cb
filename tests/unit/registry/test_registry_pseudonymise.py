"""Keyed HMAC pseudonyms and the refusal to run without a key."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest

from painpath.registry.pseudonymise import (
    KEY_ENV,
    MIN_KEY_BYTES,
    RegistryKeyError,
    load_key,
    pseudonym,
)

KEY = b"x" * 32


def test_pseudonym_is_hmac_sha256_of_the_domain_and_id() -> None:
    expected = hmac.new(KEY, b"painpath-registry-patient:42", hashlib.sha256).hexdigest()
    assert pseudonym(KEY, 42) == expected
    assert len(pseudonym(KEY, 42)) == 64


def test_pseudonym_is_stable_and_depends_on_the_key() -> None:
    assert pseudonym(KEY, 1) == pseudonym(KEY, 1)
    assert pseudonym(KEY, 1) != pseudonym(KEY, 2)
    assert pseudonym(KEY, 1) != pseudonym(b"y" * 32, 1)
    assert pseudonym(KEY, 1) != hashlib.sha256(b"1").hexdigest()


def test_no_key_is_refused_with_a_clear_message() -> None:
    with pytest.raises(RegistryKeyError, match=f"--key-file FILE or set {KEY_ENV}"):
        load_key(None, environ={})


def test_key_from_environment_or_file(tmp_path: Path) -> None:
    assert load_key(None, environ={KEY_ENV: "e" * 40}) == b"e" * 40
    path = tmp_path / "key"
    path.write_bytes(b"f" * 40 + b"\n")
    assert load_key(path, environ={KEY_ENV: "e" * 40}) == b"f" * 40


def test_short_unreadable_or_inside_extract_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RegistryKeyError, match="at least 32"):
        load_key(None, environ={KEY_ENV: "short"})
    with pytest.raises(RegistryKeyError, match="cannot be read"):
        load_key(tmp_path / "missing", environ={})
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    (out / "sub" / "key").write_bytes(b"k" * 40)
    with pytest.raises(RegistryKeyError, match="outside the extract"):
        load_key(out / "sub" / "key", environ={}, out_dir=out)


def test_create_key_file_is_random_private_and_loadable(tmp_path: Path) -> None:
    import stat

    from painpath.registry.pseudonymise import create_key_file

    path = create_key_file(tmp_path / "k")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = load_key(path, environ={})
    assert len(key) == 2 * MIN_KEY_BYTES and int(key, 16) >= 0
    assert create_key_file(tmp_path / "k2").read_bytes() != path.read_bytes()
    with pytest.raises(RegistryKeyError, match="never overwritten"):
        create_key_file(path)
    with pytest.raises(RegistryKeyError, match="does not exist"):
        create_key_file(tmp_path / "missing" / "k")
