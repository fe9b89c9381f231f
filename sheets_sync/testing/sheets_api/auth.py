"""OAuth as a service account meets it: the JWT-bearer token endpoint, the bearer tokens
it issues, and the regional access boundary lookup that google-auth >= 2.55 makes.

``POST /token`` takes ``grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`` and an
``assertion``: a JWT whose ``iss`` is the service account's email and whose ``aud`` is
this token endpoint (or Google's, for clients that rewrite Google's hosts). When service
accounts are registered, only they are accepted, and a registered public key makes the
RS256 signature checked too; with none registered, any well-formed assertion is taken.
The answer is Google's: ``{"access_token", "expires_in", "token_type": "Bearer"}``, or
``{"error": "invalid_grant", "error_description": ...}`` with 400.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
GOOGLE_TOKEN_URIS = (
    "https://oauth2.googleapis.com/token",
    "https://www.googleapis.com/oauth2/v4/token",
    "https://accounts.google.com/o/oauth2/token",
)
NO_BOUNDARY = {"locations": [], "encodedLocations": "0x0"}
_SKEW = 300


class GrantError(Exception):
    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.body = {"error": error, "error_description": description}


@dataclass
class Tokens:
    """Registered service accounts and the access tokens issued to them."""

    lifetime: int = 3600
    accounts: dict[str, Any] = field(default_factory=dict)  # email -> public key or None
    issued: dict[str, tuple[str, float]] = field(default_factory=dict)  # token -> (email, expiry)

    def register(self, email: str, public_key: Any = None) -> None:
        self.accounts[email] = _load_key(public_key) if public_key is not None else None

    def issue(self, email: str) -> str:
        now = time.time()
        for old in [t for t, (_, expiry) in self.issued.items() if expiry <= now]:
            del self.issued[old]  # a long-running stand-in does not keep dead tokens
        token = "ya29.standin-" + secrets.token_urlsafe(32)
        self.issued[token] = (email, now + self.lifetime)
        return token

    def grant(self, form: Mapping[str, str], audiences: set[str]) -> dict[str, Any]:
        """Answers a token request's form, or raises `GrantError`."""
        grant_type = form.get("grant_type", "")
        if grant_type != JWT_BEARER:
            raise GrantError("unsupported_grant_type", f"Invalid grant_type: {grant_type}")
        email = self._check_assertion(form.get("assertion", ""), audiences)
        return {
            "access_token": self.issue(email),
            "expires_in": self.lifetime,
            "token_type": "Bearer",
        }

    def _check_assertion(self, assertion: str, audiences: set[str]) -> str:
        header, payload, signed, signature = _decode(assertion)
        if header.get("alg") != "RS256":
            raise GrantError("invalid_grant", "Invalid JWT: the signing algorithm must be RS256.")
        email = payload.get("iss")
        if not isinstance(email, str) or not email:
            raise GrantError("invalid_grant", "Invalid JWT: no iss claim.")
        if payload.get("aud") not in audiences:
            raise GrantError(
                "invalid_grant",
                f"Invalid JWT: Failed audience check. The right audience is {sorted(audiences)[0]}",
            )
        _check_times(payload)
        if self.accounts:
            if email not in self.accounts:
                raise GrantError("invalid_grant", "Invalid grant: account not found")
            key = self.accounts[email]
            if key is not None and not _verify(key, signed, signature):
                raise GrantError("invalid_grant", "Invalid JWT Signature.")
        return email

    def caller(self, authorization: str | None) -> str | None:
        """The email a request's ``Authorization`` header stands for; None if not valid."""
        if not authorization or not authorization.startswith("Bearer "):
            return None
        token = authorization[len("Bearer ") :].strip()
        found = self.issued.get(token)
        if found is not None:
            email, expiry = found
            return email if time.time() < expiry else None
        return self._self_signed(token)

    def _self_signed(self, token: str) -> str | None:
        """A self-signed JWT used as the bearer token (google-auth's ``always_use_jwt_access``)."""
        try:
            _, payload, signed, signature = _decode(token)
            _check_times(payload)
        except GrantError:
            return None
        email = payload.get("iss")
        key = self.accounts.get(email) if isinstance(email, str) else None
        if key is None or not _verify(key, signed, signature):
            return None
        return str(email)


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _decode(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    parts = token.split(".")
    if len(parts) != 3:
        raise GrantError("invalid_grant", "Invalid JWT: the assertion is not a JWT.")
    try:
        header = json.loads(_b64(parts[0]))
        payload = json.loads(_b64(parts[1]))
        signature = _b64(parts[2])
    except (ValueError, binascii.Error) as error:
        raise GrantError("invalid_grant", f"Invalid JWT: {error}") from error
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise GrantError("invalid_grant", "Invalid JWT: header and claims must be objects.")
    return header, payload, f"{parts[0]}.{parts[1]}".encode(), signature


def _check_times(payload: Mapping[str, Any]) -> None:
    now = time.time()
    iat, exp = payload.get("iat"), payload.get("exp")
    if not isinstance(iat, int | float) or not isinstance(exp, int | float):
        raise GrantError("invalid_grant", "Invalid JWT: iat and exp are required.")
    if iat > now + _SKEW or exp < now - _SKEW or exp - iat > 3600 + _SKEW:
        raise GrantError(
            "invalid_grant",
            "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
            "timeframe. Check your iat and exp values in the JWT claim.",
        )


def _load_key(key: Any) -> Any:
    """A public key from PEM text/bytes, or a key object from `cryptography` as it is."""
    if isinstance(key, str | bytes):
        # cryptography comes with google-auth; imported here so the stand-in runs without it
        # as long as no public key is registered.
        from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

        data = key.encode() if isinstance(key, str) else key
        return serialization.load_pem_public_key(data)
    return key


def _verify(key: Any, signed: bytes, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature  # noqa: PLC0415 (see _load_key)
    from cryptography.hazmat.primitives import hashes  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric import padding  # noqa: PLC0415

    try:
        key.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
