"""Pseudonymous patient ids: keyed HMAC-SHA256, with the key kept outside every extract.

The same key gives the same pseudonym across extracts (so a researcher can follow a patient
between releases); without the key the pseudonym cannot be reversed or recomputed from an NHS
number or database id (ADR 0081). The key comes from ``--key-file`` or the environment variable
``PAINPATH_REGISTRY_KEY``; nothing runs without one, and the extract never generates one on its
own (a key made silently, in the wrong place, would either travel with the data or be lost).
``painpath registry keygen --out FILE`` makes one on purpose: 32 random bytes as 64 hex
characters, mode 0600, refusing to overwrite an existing file.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

KEY_ENV = "PAINPATH_REGISTRY_KEY"
#: Shortest acceptable key (bytes). 32 bytes matches the HMAC-SHA256 block security level.
MIN_KEY_BYTES = 32
#: Domain separation: a pseudonym for a patient can never equal one made for another purpose.
DOMAIN = b"painpath-registry-patient:"


class RegistryKeyError(ValueError):
    """The pseudonymisation key is missing, unreadable, too short or inside the extract."""


def load_key(
    key_file: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
) -> bytes:
    """Read the key from ``key_file`` or ``PAINPATH_REGISTRY_KEY``; refuse to go on without one.

    A key file inside ``out_dir`` is refused: the key must never travel with the extract.
    """
    env = os.environ if environ is None else environ
    if key_file is not None:
        path = Path(key_file).resolve()
        if out_dir is not None:
            out = Path(out_dir).resolve()
            if path == out or out in path.parents:
                raise RegistryKeyError(
                    f"--key-file {key_file} is inside the extract folder {out_dir}; "
                    "keep the key outside the extract"
                )
        try:
            key = path.read_bytes().strip()
        except OSError as exc:
            raise RegistryKeyError(f"--key-file {key_file} cannot be read: {exc.strerror}") from exc
        source = f"--key-file {key_file}"
    elif env.get(KEY_ENV):
        key = env[KEY_ENV].strip().encode()
        source = KEY_ENV
    else:
        raise RegistryKeyError(
            f"no pseudonymisation key: pass --key-file FILE or set {KEY_ENV} "
            f"(at least {MIN_KEY_BYTES} bytes; create one outside the extract folder with "
            "`painpath registry keygen --out FILE`)"
        )
    if len(key) < MIN_KEY_BYTES:
        raise RegistryKeyError(
            f"the key from {source} is {len(key)} bytes; at least {MIN_KEY_BYTES} needed"
        )
    return key


def pseudonym(key: bytes, patient_id: int | str) -> str:
    """64-hex-character HMAC-SHA256 of the internal patient id under ``key``."""
    message = DOMAIN + str(patient_id).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def create_key_file(path: str | os.PathLike[str]) -> Path:
    """Write a new random key (64 hex characters) to ``path``, readable by its owner only."""
    target = Path(path)
    if not target.parent.is_dir():
        raise RegistryKeyError(f"--out {path}: folder {target.parent} does not exist")
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise RegistryKeyError(
            f"--out {path} already exists; a key is never overwritten (pseudonyms depend on it)"
        ) from None
    except OSError as exc:
        raise RegistryKeyError(f"--out {path} cannot be written: {exc.strerror}") from None
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(MIN_KEY_BYTES) + "\n")
    return target
