"""``marsad serve``: options reach the app and uvicorn; a bad database is a clear error."""

from __future__ import annotations

import uvicorn
from typer.testing import CliRunner

from marsad.cli import app

runner = CliRunner()


def test_serve_passes_db_host_port_and_token(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda asgi, **kw: seen.update(app=asgi, **kw))
    monkeypatch.delenv("MARSAD_API_TOKEN", raising=False)
    res = runner.invoke(app, ["serve", "--db", str(tmp_path / "m.db"), "--host", "127.0.0.1", "--port", "8123",
                              "--token", "s3cret"])
    assert res.exit_code == 0, res.output
    assert "http://localhost:8123/" in res.output and "writes enabled" in res.output
    assert seen["port"] == 8123 and seen["host"] == "127.0.0.1"
    assert seen["app"].state.marsad.token == "s3cret"
    assert (tmp_path / "m.db").exists()


def test_serve_without_token_disables_writes(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda asgi, **kw: seen.update(app=asgi))
    monkeypatch.delenv("MARSAD_API_TOKEN", raising=False)
    res = runner.invoke(app, ["serve", "--db", str(tmp_path / "m.db")])
    assert res.exit_code == 0 and "writes disabled" in res.output
    assert seen["app"].state.marsad.token is None
    monkeypatch.setenv("MARSAD_API_TOKEN", "from-env")
    runner.invoke(app, ["serve", "--db", str(tmp_path / "m.db")])
    assert seen["app"].state.marsad.token == "from-env"


def test_serve_reports_an_unreachable_database(monkeypatch):
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: None)
    res = runner.invoke(app, ["serve", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    assert res.exit_code == 2
    assert "cannot open database" in res.output
