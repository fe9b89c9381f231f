"""The real google-auth and gspread, pointed at a stand-in the way the backend does it."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import gspread
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.oauth2 import service_account
from requests.adapters import HTTPAdapter

from sheets_sync.testing.sheets_api import SheetsApiStandIn

SCOPES = ["https://www.googleapis.com/auth/spreadsheets"]


class RewriteToStandIn(HTTPAdapter):
    """Sends every ``https://*.googleapis.com`` request to the stand-in's root instead.

    google-auth deep-copies the token session for its background access boundary lookup,
    and an HTTPAdapter copies only the attributes listed in ``__attrs__``: hence ``root`` there.
    """

    __attrs__: ClassVar[list[str]] = [*HTTPAdapter.__attrs__, "root"]

    def __init__(self, root: str) -> None:
        super().__init__()
        self.root = urlsplit(root)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        url = urlsplit(request.url or "")
        if url.hostname and (
            url.hostname == "googleapis.com" or url.hostname.endswith(".googleapis.com")
        ):
            request.url = urlunsplit((self.root.scheme, self.root.netloc, url.path, url.query, ""))
        return super().send(request, **kwargs)


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def service_account_info(
    api: SheetsApiStandIn, email: str, key: rsa.RSAPrivateKey
) -> dict[str, str]:
    """The JSON a district downloads from Google Cloud, with the stand-in as token_uri."""
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return {
        "type": "service_account",
        "project_id": "stand-in",
        "private_key_id": "stand-in-key-1",
        "private_key": pem,
        "client_email": email,
        "client_id": "100000000000000000001",
        "token_uri": api.token_url,
    }


def gspread_client(api: SheetsApiStandIn, info: dict[str, str]) -> gspread.Client:
    """gspread 6 with google-auth's service-account credentials; both of the
    AuthorizedSession's sessions (requests, and token/boundary lookups) go to the stand-in."""
    credentials = service_account.Credentials.from_service_account_info(info, scopes=SCOPES)
    client = gspread.authorize(credentials)
    adapter = RewriteToStandIn(api.url)
    session = client.http_client.session
    session.mount("https://", adapter)
    auth_session = getattr(session, "_auth_request_session", None)
    if auth_session is not None:
        auth_session.mount("https://", adapter)
    return client
