"""Secure follow-up links (ADR 0078).

A link row holds a random nonce (``secrets.token_urlsafe``) and the SHA-256 of its token. The
token is ``HMAC-SHA256(secret key, nonce)``: unguessable, never stored, and derivable again by the
server alone, so every reminder of a set carries the same link and a message retried after a
crash does not break the link an earlier copy may have delivered. The URL carries the token
signed with Django's ``signing.Signer`` (its own salt): a forged or mistyped URL is rejected by
the signature check before any database query. A database copy without the secret key gives
neither tokens nor URLs.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from django.core import signing
from django.utils.crypto import salted_hmac

_TOKEN_SALT = "painpath.followup.link-token"
_URL_SALT = "painpath.followup.link-url"


def new_nonce() -> str:
    return secrets.token_urlsafe(32)


def token_for(nonce: str) -> str:
    digest = salted_hmac(_TOKEN_SALT, nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def url_token(nonce: str) -> str:
    """The signed token that goes into the link's URL."""
    return signing.Signer(salt=_URL_SALT).sign(token_for(nonce))


def unsign(value: str) -> str | None:
    """The token inside a URL token, or None when the signature does not match (forged)."""
    if not value or len(value) > 200:
        return None
    try:
        return signing.Signer(salt=_URL_SALT).unsign(value)
    except signing.BadSignature:
        return None
