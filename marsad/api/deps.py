"""What every request needs: the open store, the operator's write token, the extractor.

Read endpoints are open. Write endpoints (ingest, delete) need ``Authorization: Bearer TOKEN``
where TOKEN is the one the operator configured (``marsad serve --token`` or ``$MARSAD_API_TOKEN``);
with no token configured, writes are disabled (403) so a forgotten token never means an open store.
"""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass
from typing import Callable

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from marsad.document import ArticleMeta
from marsad.schema import Report
from marsad.store.db import Store

TOKEN_ENV = "MARSAD_API_TOKEN"
Extractor = Callable[[str, ArticleMeta], Report]


@dataclass
class AppState:
    """The server's shared state (one per app)."""

    store: Store
    token: str | None
    extractor: Extractor


def configured_token(token: str | None) -> str | None:
    """The write token: the one given, else ``$MARSAD_API_TOKEN``; empty means none."""
    value = token if token is not None else os.environ.get(TOKEN_ENV)
    return value or None


def state(request: Request) -> AppState:
    """The app's state (set by ``marsad.web.app.create_app``)."""
    return request.app.state.marsad


def store(request: Request) -> Store:
    return state(request).store


_bearer = HTTPBearer(auto_error=False, description=f"the operator's write token (--token / ${TOKEN_ENV})")


def require_token(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    """Allow a write only with the configured bearer token (403 when writes are disabled, 401 when wrong)."""
    token = state(request).token
    if token is None:
        raise HTTPException(403, f"writes are disabled: start the server with --token or ${TOKEN_ENV}")
    given = creds.credentials if creds else ""
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})
