"""The ``marsad serve`` application: REST API under ``/api``, dashboard pages, static files, the font.

Every response carries a strict Content-Security-Policy (no inline script, nothing from another
origin), so even a rendering mistake with hostile article text could not run a script.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from marsad import __version__
from marsad.api.deps import AppState, Extractor, configured_token
from marsad.store.db import Store, open_store

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
DESCRIPTION = """مرصد — the record of Arabic conflict news: events, every claim with its source, entities, places.

Read endpoints are open. Write endpoints (`POST /api/articles`, `DELETE /api/articles/{id}`) need
`Authorization: Bearer TOKEN`, where TOKEN is set by the operator (`marsad serve --token` or
`$MARSAD_API_TOKEN`). With no token configured, writes are disabled and answer 403.
Every dashboard page has a JSON twin: add `?format=json`."""


def font_path():  # type: ignore[no-untyped-def]
    """The bundled Noto Sans Arabic variable font (from the ``fontpkg-noto-sans-arabic`` package)."""
    import fontpkg_noto_sans_arabic as font

    return next(font.ROOT.joinpath("files").glob("NotoSansArabic*.ttf"))


def create_app(db: str | Store | None = None, *, token: str | None = None, extractor: Extractor | None = None) -> FastAPI:
    """The app over the store ``db`` (path, URL, open ``Store``, or ``$MARSAD_DB``)."""
    from marsad import extract_document
    from marsad.api.routes import router as api_router
    from marsad.web.pages import router as page_router, render_error

    store = db if isinstance(db, Store) else open_store(db)
    # No Swagger UI: FastAPI loads it from a CDN, and nothing here may fetch from outside.
    app = FastAPI(title="marsad", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None)
    app.state.marsad = AppState(store=store, token=configured_token(token), extractor=extractor or extract_document)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        if response.status_code == 405:
            response.headers["Allow"] = ", ".join(allowed_methods(app, request))
        return response

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api") and request.query_params.get("format") != "json"

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_html(request):
            return render_error(request, exc.status_code, str(exc.detail))
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if wants_html(request):
            problems = "; ".join(f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
            return render_error(request, 422, problems)
        return JSONResponse({"detail": jsonable_errors(exc)}, status_code=422)

    app.include_router(api_router, prefix="/api", tags=["api"])
    app.include_router(page_router)

    fonts = font_path()

    @app.get("/fonts/NotoSansArabic.ttf", include_in_schema=False)
    def font() -> FileResponse:
        return FileResponse(fonts, media_type="font/ttf", headers={"Cache-Control": "public, max-age=604800"})

    app.mount("/static", StaticFiles(packages=[("marsad.web", "static")]), name="static")
    return app


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method some route accepts on this path (Starlette's 405 names only the first route's)."""
    from starlette.routing import Match

    methods: set[str] = set()
    for route in app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def jsonable_errors(exc: RequestValidationError) -> list[dict]:
    """Validation errors without the raw input objects (which may not be JSON-serialisable)."""
    return [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
