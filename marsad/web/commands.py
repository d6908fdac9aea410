"""STUB (owner: web helper) — `marsad serve`."""


def serve_command() -> None:
    """Serve the REST API and dashboard."""
    raise NotImplementedError
