"""A service account for a Sheets API stand-in: a fresh RSA key, and the JSON key file a
district would download from Google Cloud, registered with the stand-in so that it signs in.

    with SheetsApiStandIn() as api:
        key_path = service_account_file(api, Path("keys"), "robot@district.iam.gserviceaccount.com")
        # [workbook] credentials = key_path, endpoint = api.url

The key file's `token_uri` is the stand-in's `/token`, so google-auth signs in there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sheets_sync.testing.sheets_api import SheetsApiStandIn


def new_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA key, as Google makes for a service account (takes a moment)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_key_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def service_account_info(email: str, key: rsa.RSAPrivateKey, token_uri: str) -> dict[str, Any]:
    """A service-account key file's content, as Google Cloud writes it."""
    project = email.partition("@")[2].split(".")[0] or "stand-in"
    return {
        "type": "service_account",
        "project_id": project,
        "private_key_id": "0123456789abcdef",
        "private_key": private_key_pem(key),
        "client_email": email,
        "client_id": "100000000000000000001",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "universe_domain": "googleapis.com",
    }


def service_account_file(
    api: SheetsApiStandIn,
    folder: Path,
    email: str,
    key: rsa.RSAPrivateKey | None = None,
    name: str = "service-account.json",
) -> Path:
    """Registers `email` (and its public key) with the stand-in and writes its key file."""
    key = key or new_key()
    api.register_service_account(email, key.public_key())
    path = folder / name
    path.write_text(json.dumps(service_account_info(email, key, api.token_url)), encoding="utf-8")
    path.chmod(0o600)  # private, as a real key must be
    return path
