"""The explorer in a real browser: Playwright driving Debian's chromium (found on PATH;
`make browser` installs it, and .ci/run calls that) against the server on 127.0.0.1. Skipped
on a developer's machine without chromium; under CI a missing browser fails the test."""

import os
import shutil
import socket
import threading
import time

import pytest

from tests.test_report import SCENARIO

IN_CI = bool(os.environ.get("CI"))
if IN_CI:
    import playwright.sync_api as playwright  # installed by the test extras: never skipped
else:
    playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None and not IN_CI,
                                reason="no chromium (run `make browser`)")
ARGS = ["--headless", "--no-sandbox", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from channelsim.app.server import create_app

    root = tmp_path_factory.mktemp("browser")
    (root / "scenarios").mkdir()
    (root / "scenarios" / "pair.toml").write_text(SCENARIO)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(root / "results", root / "scenarios"),
                            host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    thread.join(10)


def test_change_a_lever_run_and_see_the_chart_and_effects_update(server, tmp_path):
    assert CHROMIUM, "no chromium on PATH: `make browser` installs it"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        outside = []
        page.on("request", lambda r: outside.append(r.url)
                if not r.url.startswith(server) else None)
        page.goto(server)
        page.wait_for_selector("body[data-ready='1']", timeout=30_000)
        page.fill("[data-key='sites.calais.officers']", "600")
        page.click("#run")
        page.wait_for_selector("body[data-done='1']", timeout=120_000)
        assert page.inner_text("#error") == ""
        rows = page.locator("#effects tbody tr")
        assert rows.count() >= 5
        first = page.inner_text("#effects tbody")
        assert "interceptions" in first
        assert page.locator("#chart .main-svg").count() > 0
        assert page.locator("#map .main-svg").count() > 0

        page.fill("[data-key='sites.calais.officers']", "3000")
        page.click("#run")
        page.wait_for_selector("body[data-done='2']", timeout=120_000)
        assert page.inner_text("#effects tbody") != first  # the table follows the lever

        page.fill("[data-key='sites.calais.officers']", "-4")
        page.click("#run")
        page.wait_for_function("document.getElementById('error').textContent.length > 0")
        assert "out of range" in page.inner_text("#error")
        page.screenshot(path=str(tmp_path / "explorer.png"), full_page=True)
        browser.close()
    assert (tmp_path / "explorer.png").stat().st_size > 10_000
    assert outside == []  # nothing but the local server was asked for anything
