"""The explorer's HTTP side: a JSON API and a static page, plotly.js served from the
installed plotly package so the page works offline. Bad input answers 4xx with a message the
page shows; no traceback reaches a user."""

from __future__ import annotations

from contextlib import asynccontextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from ..scenario import ScenarioError
from . import levers, uploads
from .explore import MAX_REPS, WORKERS, Explorer

MAX_BODY = 64 * 1024  # a question is a few levers, an upload at most 48 KiB; larger: unread
WAIT_SECONDS = 10.0  # the longest a progress request waits for its job to change
DEFAULT = "channel-history"  # the page's first scenario, warmed at start-up


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenario: str = Field(max_length=80)
    levers: dict[str, Any] = Field(default_factory=dict, max_length=64)
    reps: int = Field(default=3, ge=1, le=MAX_REPS)
    seed: int = Field(default=0, ge=0, le=2**62)


class Upload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=40)
    text: str


@cache
def _plotly_js() -> str:
    import plotly.offline

    return plotly.offline.get_plotlyjs()


def create_app(results: Path, scenarios: Path | None = None, workers: int = WORKERS,
               warm: bool = True) -> FastAPI:
    """The app over a results folder (its cache and uploads) and the bundled scenarios (or a
    folder of them, for tests); `workers` processes run (0: in the runner thread)."""
    explorer = Explorer(results, scenarios, workers)

    def default() -> str:
        names = explorer.names()
        return DEFAULT if DEFAULT in names else names[0]

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        explorer.start(default() if warm else None)
        yield
        explorer.close()

    app = FastAPI(title="channelsim explorer", docs_url=None, redoc_url=None,
                  openapi_url=None, lifespan=lifespan)
    app.state.explorer = explorer

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        size = request.headers.get("content-length")
        if size is not None and (not size.isdigit() or int(size) > MAX_BODY):
            return _error(413, f"the request is over {MAX_BODY // 1024} KiB")
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        parts = [f"{'.'.join(str(p) for p in e['loc'] if p != 'body')}: {e['msg']}"
                 for e in exc.errors()]
        return _error(422, "; ".join(parts) or "malformed request")

    @app.exception_handler(levers.LeverError)
    async def bad_lever(request: Request, exc: levers.LeverError):
        return _error(400, str(exc))

    @app.exception_handler(ScenarioError)
    async def bad_scenario(request: Request, exc: ScenarioError):
        return _error(400, exc.render())

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception):
        return _error(500, f"the server failed on this question ({type(exc).__name__})")

    @app.get("/", response_class=HTMLResponse)
    def page() -> str:
        return (resources.files("channelsim.app") / "static" / "index.html").read_text(
            encoding="utf-8")

    @app.get("/plotly.js")
    def plotly_js() -> Response:
        return Response(_plotly_js(), media_type="application/javascript",
                        headers={"Cache-Control": "max-age=86400"})

    @app.get("/api/scenarios")
    def scenarios_list() -> dict[str, Any]:
        out = []
        for name in explorer.names():
            sc = explorer.load(name)
            out.append({"name": name, "description": sc.description,
                        "start": str(sc.start), "end": str(sc.end), "sites": list(sc.sites)})
        return {"scenarios": out, "default": default(), "max_reps": MAX_REPS,
                "max_upload": uploads.MAX_BYTES}

    @app.get("/api/levers/{name}")
    def lever_list(name: str) -> dict[str, Any]:
        return {"scenario": name, "levers": levers.catalogue(explorer.load(name))}

    @app.post("/api/compare")
    def compare(q: Question) -> Any:
        """The answer, once its runs are done (for scripts; the page uses the jobs)."""
        job = explorer.submit(q.scenario, q.levers, q.reps, q.seed)
        job.finished.wait()
        return _error(job.status, job.error) if job.error else job.answer

    @app.post("/api/jobs", status_code=202)
    def start_job(q: Question) -> dict[str, Any]:
        """A question's job at once: its progress (and answer when done) at /api/jobs/ID."""
        return explorer.submit(q.scenario, q.levers, q.reps, q.seed).view()

    @app.get("/api/jobs/{job_id}")
    def job_progress(job_id: str, after: int | None = None) -> Any:
        """The job now, or with `after` (a version the page has), once it has changed since
        (at most WAIT_SECONDS): the page hears of each run and of the answer as they come."""
        job = explorer.job(job_id)
        if job is None:
            return _error(404, f"no job '{job_id[:40]}' (jobs are kept while the server runs)")
        if after is not None:
            job.wait(after, WAIT_SECONDS)
        return job.view()

    @app.post("/api/upload")
    def upload(u: Upload) -> dict[str, Any]:
        sc = explorer.upload(u.name, u.text)
        return {"name": u.name, "description": sc.description, "start": str(sc.start),
                "end": str(sc.end), "sites": list(sc.sites)}

    return app


def _error(status: int, message: str) -> JSONResponse:
    retry = {"Retry-After": "1"} if status == 503 else None  # a worker died: ask again
    return JSONResponse({"error": message}, status_code=status, headers=retry)


def serve(results: Path, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(create_app(results), host=host, port=port, log_level="warning")
