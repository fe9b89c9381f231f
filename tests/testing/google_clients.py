"""The real google-auth and gspread, pointed at a stand-in the way the backend does it."""

from __future__ import annotations

from typing import Any

import gspread
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.transport.requests import AuthorizedSession
from google.oauth2 import service_account as google_service_account

from sheets_sync.adapters.gsheets.retry import HttpSettings
from sheets_sync.adapters.gsheets.transport import EndpointAdapter, refresh_transport
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
    """gspread 6 with google-auth's service-account credentials, over the sessions the
    backend builds: the endpoint adapter on the Sheets session and on the sign-in transport
    (which google-auth also copies for its boundary lookup) sends both to the stand-in."""
    from_info = google_service_account.Credentials.from_service_account_info
    credentials = from_info(info, scopes=SCOPES)  # type: ignore[no-untyped-call]
    refresh = refresh_transport(api.url, HttpSettings())
    session = AuthorizedSession(credentials, auth_request=refresh)  # type: ignore[no-untyped-call]
    session.mount("https://", EndpointAdapter(api.url))
    return gspread.Client(credentials, session)
