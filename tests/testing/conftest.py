"""Fixtures for the stand-in's tests: a running stand-in and a service account for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from sheets_sync.testing.sheets_api import SheetsApiStandIn
from tests.testing.google_clients import new_key

ROBOT = "sheets-sync@district-test.iam.gserviceaccount.com"


@pytest.fixture(scope="session")
def robot_key() -> rsa.RSAPrivateKey:
    """One RSA key for the session: making one takes a noticeable fraction of a second."""
    return new_key()


@pytest.fixture
def api(robot_key: rsa.RSAPrivateKey) -> Iterator[SheetsApiStandIn]:
    """A running stand-in that knows the test service account and its public key."""
    with SheetsApiStandIn() as stand_in:
        stand_in.register_service_account(ROBOT, robot_key.public_key())
        yield stand_in
