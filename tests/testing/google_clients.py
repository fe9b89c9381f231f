"""The real google-auth and gspread, pointed at a stand-in the way the backend does it."""

from __future__ import annotations

from typing import Any

import gspread
from cryptography.hazmat.primitives.asymmetric import rsa
from google.oauth2 import service_account as google_service_account

from sheets_sync.adapters.gsheets.transport import EndpointAdapter
from sheets_sync.testing import service_account
from sheets_sync.testing.service_account import new_key
from sheets_sync.testing.sheets_api import SheetsApiStandIn

SCOPES = ["https://www.googleapis.com/auth/spreadsheets"]
__all__ = ["gspread_client", "new_key", "service_account_info"]


def service_account_info(
    api: SheetsApiStandIn, email: str, key: rsa.RSAPrivateKey
) -> dict[str, Any]:
    """The JSON a district downloads from Google Cloud, with the stand-in as token_uri."""
    return service_account.service_account_info(email, key, api.token_url)


def gspread_client(api: SheetsApiStandIn, info: dict[str, Any]) -> gspread.Client:
    """gspread 6 with google-auth's service-account credentials; the product's endpoint
    adapter on both of the AuthorizedSession's sessions (requests, and the token session's
    background lookups) sends them to the stand-in."""
    from_info = google_service_account.Credentials.from_service_account_info
    credentials = from_info(info, scopes=SCOPES)  # type: ignore[no-untyped-call]
    client = gspread.authorize(credentials)
    adapter = EndpointAdapter(api.url)
    session = client.http_client.session
    session.mount("https://", adapter)
    auth_session = getattr(session, "_auth_request_session", None)
    if auth_session is not None:
        auth_session.mount("https://", adapter)
    return client
