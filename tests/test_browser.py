"""The explorer in a real browser: Playwright driving Debian's chromium (found on PATH;
`make browser` installs it, and .ci/run calls that) against the server on 127.0.0.1. Skipped
on a developer's machine without chromium; under CI a missing browser fails the test."""

import os
import shutil
import socket
import threading
import time

import httpx
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
    config = uvicorn.Config(create_app(root / "results", root / "scenarios"),  # as served
                            host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    # the baseline the server warms at start (its workers load the engine meanwhile): done
    # before the page asks, as for a user who opens the page after the server started
    httpx.post(f"http://127.0.0.1:{port}/api/compare", json={"scenario": "pair"},
               timeout=300).raise_for_status()
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    thread.join(10)


def click_to_chart(page, done: int) -> float:
    """Seconds from the click on Run to the chart drawn for the `done`-th answer."""
    t0 = time.perf_counter()
    page.click("#run")
    page.wait_for_selector(f"body[data-done='{done}']", timeout=120_000)
    page.wait_for_selector("#chart .main-svg")
    return time.perf_counter() - t0


def test_change_a_lever_run_and_see_the_chart_and_effects_update(server, tmp_path,
                                                                 record_property):
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
        new = click_to_chart(page, 1)
        assert page.inner_text("#error") == ""
        rows = page.locator("#effects tbody tr")
        assert rows.count() >= 5
        first = page.inner_text("#effects tbody")
        assert "interceptions" in first and "public cost (GBP)" in first  # named, with units
        assert page.locator("#chart .main-svg").count() > 0
        assert page.locator("#map .main-svg").count() > 0
        assert page.locator("#map .legend .traces").count() >= 3  # its routes, named

        page.fill("[data-key='sites.calais.officers']", "3000")
        click_to_chart(page, 2)
        assert page.inner_text("#effects tbody") != first  # the table follows the lever
        page.fill("[data-key='sites.calais.officers']", "600")
        repeated = click_to_chart(page, 3)
        assert page.inner_text("#effects tbody") == first
        assert "0 runs made" in page.inner_text("#status")
        record_property("click_to_chart_seconds", {"new": new, "repeated": repeated})
        print(f"click to chart: new question {new:.2f} s, repeated {repeated:.2f} s")

        # a long question shows its runs as they finish
        page.fill("#reps", "20")
        page.fill("[data-key='sites.calais.officers']", "1234")
        page.click("#run")
        page.wait_for_selector("body[data-progress]", timeout=60_000)
        assert " runs done" in page.inner_text("#status")
        page.wait_for_selector("body[data-partial]", timeout=300_000)  # drawn before the end
        page.wait_for_selector("body[data-done='4']", timeout=300_000)
        assert "of 20 replicates" not in page.inner_text("#ci-note")  # the whole answer now
        page.fill("#reps", "3")

        # an upload that is not a scenario is refused in the page; a good one is offered
        bad = tmp_path / "broken.toml"
        bad.write_text("name = [")
        page.set_input_files("#upload-file", str(bad))
        page.click("#upload")
        page.wait_for_function("document.getElementById('error').textContent.length > 0")
        assert "malformed TOML" in page.inner_text("#error")
        good = tmp_path / "mine.toml"
        good.write_text(SCENARIO.replace('name = "pair"', 'name = "mine"'))
        page.set_input_files("#upload-file", str(good))
        page.click("#upload")
        page.wait_for_selector("body[data-levers='mine']", timeout=30_000)
        assert page.input_value("#scenario") == "mine"
        assert "uploaded 'mine'" in page.inner_text("#upload-status")
        page.select_option("#scenario", "pair")
        page.wait_for_selector("body[data-levers='pair']", timeout=30_000)

        page.fill("[data-key='sites.calais.officers']", "-4")
        page.click("#run")
        page.wait_for_function("document.getElementById('error').textContent.length > 0")
        assert "out of range" in page.inner_text("#error")
        page.screenshot(path=str(tmp_path / "explorer.png"), full_page=True)
        browser.close()
    if os.environ.get("CHANNELSIM_SCREENSHOTS"):  # docs/explorer.png is made this way
        shutil.copy(tmp_path / "explorer.png", os.environ["CHANNELSIM_SCREENSHOTS"])
    assert (tmp_path / "explorer.png").stat().st_size > 10_000
    assert outside == []  # nothing but the local server was asked for anything


def test_text_in_a_number_box_is_refused_not_run_without_it(server):
    """A number box holding '1e' reads as empty, which the page took for 'as is': the question
    ran B = A with no error. The page says which box, and asks the server nothing."""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        jobs = []
        page.on("request", lambda r: jobs.append(r.url) if "/api/jobs" in r.url else None)
        page.goto(server)
        page.wait_for_selector("body[data-ready='1']", timeout=30_000)
        for box, what in (("[data-key='sites.calais.officers']", "sites.calais.officers"),
                          ("#seed", "first seed")):
            before = page.input_value(box)
            page.fill(box, "")
            page.type(box, "1e")
            page.click("#run")
            page.wait_for_function("document.getElementById('error').textContent.length > 0",
                                   timeout=10_000)
            assert page.inner_text("#error") == f"{what}: not a number"
            page.fill(box, before)
        page.fill("#reps", "")
        page.click("#run")
        page.wait_for_function("document.getElementById('error').textContent.includes('give')",
                               timeout=10_000)
        assert page.inner_text("#error") == "replicates: give a number"
        browser.close()
    assert jobs == []
