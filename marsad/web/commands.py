"""``marsad serve``: the REST API and the dashboard over a store, with uvicorn."""

from __future__ import annotations

from typing import Optional

import typer


def serve_command(
    db: Optional[str] = typer.Option(None, "--db", help="SQLite file or PostgreSQL URL (default: $MARSAD_DB or marsad.db)"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8000, "--port", help="port to listen on"),
    token: Optional[str] = typer.Option(
        None, "--token", help="bearer token for write endpoints (default: $MARSAD_API_TOKEN; none = writes disabled)"),
) -> None:
    """Serve the REST API (/api, schema at /openapi.json) and the Arabic dashboard."""
    import uvicorn

    from marsad.api.deps import TOKEN_ENV, configured_token
    from marsad.store.db import StoreError, database_url
    from marsad.web.app import create_app

    try:
        app = create_app(db, token=token)
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    writes = "enabled (bearer token)" if configured_token(token) else f"disabled (set --token or ${TOKEN_ENV})"
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    typer.echo(f"marsad: {database_url(db).split('@')[-1]} — dashboard http://{shown}:{port}/ · "
               f"API http://{shown}:{port}/api · writes {writes}")
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)
