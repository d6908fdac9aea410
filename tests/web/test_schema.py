"""Schemathesis: generated requests against every operation of ``/openapi.json``, writes included (with the token).

Every response must conform to the schema (status codes, content types, bodies), no input may cause a
server error, and invalid input must be rejected.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from marsad.store.db import open_store
from marsad.web.app import create_app
from tests.web.conftest import TOKEN
from tests.web.corpus import fill


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "marsad.db"
    with open_store(path) as store:
        fill(store)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(str(path), token=TOKEN))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"})
