"""The explorer's API in process: each endpoint, the errors a user can make, and that its
paired comparison is the one `channelsim compare` gives for the same input."""

import json
import subprocess
import sys
import time

import pytest

from channelsim import cli, report_text
from tests.test_report import SCENARIO

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from channelsim.app.server import create_app  # noqa: E402

LEVERS = {"sites.calais.officers": 600, "sites.dunkirk.policy": "detain",
          "legal_route.quota_per_month": 50}


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("app")
    (root / "scenarios").mkdir()
    (root / "scenarios" / "pair.toml").write_text(SCENARIO)
    return root


@pytest.fixture(scope="module")
def client(folders):
    # one worker process, as the server has (two there), without warming a baseline: the
    # tests count the runs each question makes
    with TestClient(create_app(folders / "results", folders / "scenarios", workers=1,
                               warm=False)) as c:
        yield c


def test_page_and_plotly_are_served_from_the_server(client):
    page = client.get("/")
    assert page.status_code == 200 and '<script src="/plotly.js">' in page.text
    assert "http://" not in page.text and "https://" not in page.text
    js = client.get("/plotly.js")
    assert js.status_code == 200 and "plotly" in js.text[:2000].lower()


def test_scenarios_and_levers(client):
    data = client.get("/api/scenarios").json()
    assert [s["name"] for s in data["scenarios"]] == ["pair"]
    levers = {lv["key"]: lv for lv in client.get("/api/levers/pair").json()["levers"]}
    assert levers["sites.calais.officers"]["value"] == 100
    assert levers["sites.dunkirk.juxtaposed_controls"]["value"] is True
    assert {"uk_payments", "campaigns", "legal_route.quota_per_month",
            "sites.calais.clearances", "sites.calais.boat_supply"} <= set(levers)


def test_comparison_equals_channelsim_compare_and_is_cached(client, folders, capsys):
    q = {"scenario": "pair", "levers": LEVERS, "reps": 3, "seed": 1}
    first = client.post("/api/compare", json=q)
    assert first.status_code == 200, first.text
    got = first.json()
    assert got["ran"] == 6 and got["series"]["b"]["month"] and got["map"]["coast"]
    assert got["uncertainty"] == "chance only"  # no posterior beside pair.toml
    # Calais and Dunkirk are 0.44 degrees apart: their names set apart, as in the report
    assert {s["name"]: s["textposition"] for s in got["map"]["sites"]} == {
        "Calais": "bottom left", "Dunkirk": "middle right"}
    again = client.post("/api/compare", json=q).json()
    assert again["ran"] == 0 and again["comparison"] == got["comparison"]

    path = folders / "scenarios" / "pair.toml"
    args = ["compare", str(path), str(path), "--reps", "3", "--seed", "1", "--workers", "1",
            "--json", "--out", str(folders / "cli")]
    for item in got["overrides"]:
        args += ["--set-b", item]
    assert cli.main(args) == 0
    expected = json.loads(capsys.readouterr().out)
    assert got["comparison"]["effects"] == expected["effects"]
    # the table names each figure as the command line does, with its unit
    labels = {e["figure"]: e.pop("label") for e in got["effects"]}
    assert labels["public_cost"] == "public cost (GBP)"
    assert labels["peak_present"] == "peak people present (all sites)"
    crossings = next(e for e in got["effects"] if e["figure"] == "crossings")
    text = crossings.pop("text")
    assert crossings == {"figure": "crossings", **expected["effects"]["scorecard"]["crossings"]}
    # the table's numbers as the command line prints them: counts whole, ratios not
    assert text["a"] == report_text.fmt(crossings["a"], whole=True) and "." not in text["a"]
    share = next(e for e in got["effects"] if e["figure"] == "share_displaced")
    assert share["text"]["effect"] == report_text.fmt(share["effect"])


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"scenario": "pair", "levers": {"sites.calais.colour": 1}}, 400, "is not a lever"),
    ({"scenario": "pair", "levers": {"sites.paris.officers": 1}}, 400, "no site 'paris'"),
    ({"scenario": "pair", "levers": {"sites.calais.officers": -5}}, 400, "out of range"),
    ({"scenario": "pair", "levers": {"sites.calais.officers": "many"}}, 400, "not a number"),
    ({"scenario": "pair", "levers": {"sites.calais.policy": "shoot"}}, 400, "is not one of"),
    ({"scenario": "pair", "levers": {"campaigns": ["paris"]}}, 400, "list of sites"),
    # a lever the scenario has nothing for: refused, not accepted and ignored
    ({"scenario": "pair", "levers": {"sites.calais.clearances": True}}, 400,
     "no camp clearance rules at calais"),
    ({"scenario": "pair", "levers": {"uk_payments": 2}}, 400, "no UK payments to scale"),
    ({"scenario": "pair", "reps": 10_000}, 422, "reps"),
    ({"scenario": "../../etc/passwd"}, 400, "no scenario"),
    ({"scenario": "pair", "colour": "red"}, 422, "colour"),
])
def test_bad_questions_get_4xx_and_a_message(client, body, status, message):
    res = client.post("/api/compare", json=body)
    assert res.status_code == status and message in res.json()["error"]
    assert "Traceback" not in res.text


def test_oversize_and_malformed_requests(client):
    res = client.post("/api/compare", content=b"x" * 100_000,
                      headers={"Content-Type": "application/json"})
    assert res.status_code == 413 and "KiB" in res.json()["error"]
    res = client.post("/api/compare", content=b"{not json",
                      headers={"Content-Type": "application/json"})
    assert res.status_code == 422 and res.json()["error"]
    assert client.get("/api/levers/nothing").status_code == 400
    assert client.get("/etc/passwd").status_code == 404


def test_serve_binds_localhost_by_default():
    args = cli._parser().parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.port == 8050


def test_a_job_shows_its_progress_then_its_answer(client):
    q = {"scenario": "pair", "levers": {"sites.calais.officers": 900}, "reps": 2, "seed": 7}
    first = client.post("/api/jobs", json=q)
    assert first.status_code == 202, first.text
    job = first.json()
    assert job["state"] in ("queued", "running") and job["done"] == 0
    for _ in range(1200):
        job = client.get(f"/api/jobs/{job['job']}").json()
        if job["state"] not in ("queued", "running"):
            break
        time.sleep(0.1)
    assert job["state"] == "done" and job["done"] == job["total"] == 4, job
    assert job["answer"]["ran"] == 4 and job["answer"]["effects"]
    again = client.post("/api/jobs", json=q).json()  # asked before: done at once
    assert again["state"] == "done" and again["answer"]["ran"] == 0
    assert again["answer"]["comparison"] == job["answer"]["comparison"]
    missing = client.get("/api/jobs/nothing")
    assert missing.status_code == 404 and "no job" in missing.json()["error"]


def test_a_progress_request_answers_when_the_job_changes(client, monkeypatch):
    from channelsim.app import server

    q = {"scenario": "pair", "levers": {"sites.calais.officers": 910}, "reps": 1, "seed": 60}
    job = client.post("/api/jobs", json=q).json()
    while job["state"] in ("queued", "running"):
        seen = job["version"]
        job = client.get(f"/api/jobs/{job['job']}", params={"after": seen}).json()
        assert job["version"] > seen  # woken by a change: each run, then the answer
    assert job["state"] == "done" and job["answer"]["ran"] == 2
    # a finished job does not change again: the request waits out its bound, then answers
    from channelsim.app.jobs import Job

    waits, wait = [], Job.wait
    monkeypatch.setattr(server, "WAIT_SECONDS", 0.2)
    monkeypatch.setattr(Job, "wait", lambda self, seen, timeout: (waits.append((seen, timeout)),
                                                                 wait(self, seen, timeout)))
    again = client.get(f"/api/jobs/{job['job']}", params={"after": job["version"]}).json()
    assert again["version"] == job["version"] and waits == [(job["version"], 0.2)]


def test_the_workers_start_with_the_server_and_warm_themselves(folders, tmp_path):
    with TestClient(create_app(tmp_path, folders / "scenarios", workers=2)) as c:
        explorer = c.app.state.explorer
        assert explorer.warm is not None and explorer.warm.tables == ()
        assert len(explorer.pool.pool._processes) == 2  # no public handle on the workers


def test_the_same_question_twice_at_once_joins_one_job(client):
    q = {"scenario": "pair", "levers": {"sites.calais.officers": 950}, "reps": 1, "seed": 40}
    one, two = client.post("/api/jobs", json=q).json(), client.post("/api/jobs", json=q).json()
    assert one["job"] == two["job"]
    assert client.post("/api/compare", json=q).json()["ran"] == 2


def test_an_uploaded_scenario_is_checked_kept_and_asked(client, folders):
    text = SCENARIO.replace('name = "pair"', 'name = "mine"').replace("officers = 50",
                                                                      "officers = 70")
    res = client.post("/api/upload", json={"name": "mine", "text": text})
    assert res.status_code == 200, res.text
    assert res.json()["sites"] == ["calais", "dunkirk"]
    assert "mine" in [s["name"] for s in client.get("/api/scenarios").json()["scenarios"]]
    assert (folders / "results" / "uploads" / "mine.toml").read_text() == text
    got = client.post("/api/compare", json={"scenario": "mine", "reps": 1,
                                             "levers": {"sites.dunkirk.officers": 10}})
    assert got.status_code == 200 and got.json()["ran"] == 2


@pytest.mark.parametrize(("name", "text", "status", "message"), [
    ("bad", "name = [", 400, "malformed TOML"),
    ("bad", 'extends = "../../../etc/passwd"\nname = "x"', 400, "extend only a bundled"),
    ("bad", SCENARIO.replace("officers = 100", "officers = 100\ncolour = 1"), 400, "colour"),
    ("bad", SCENARIO.replace("2020-02-29", "2045-12-31").replace("2020 = 3000", "2020 = 60000"),
     400, "too large to run here"),
    ("../up", SCENARIO, 400, "name: 1 to 40"),
    ("pair", SCENARIO, 400, "is taken"),
    ("big", "# " + "x" * 50_000, 400, "an upload is at most"),
    ("huge", "# " + "x" * 70_000, 413, "KiB"),
])
def test_bad_uploads_get_4xx_and_a_message(client, folders, name, text, status, message):
    res = client.post("/api/upload", json={"name": name, "text": text})
    assert res.status_code == status, res.text
    assert message in res.json()["error"] and "Traceback" not in res.text
    assert not (folders / "results" / "uploads" / f"{name}.toml").exists()
    assert not list((folders / "results").glob("uploads/.*.part"))


def test_the_server_warms_the_first_question_at_start(folders, tmp_path):
    with TestClient(create_app(tmp_path, folders / "scenarios", workers=0)) as c:
        for _ in range(600):
            answer = c.post("/api/jobs", json={"scenario": "pair"}).json()
            if answer["state"] == "done":
                break
            time.sleep(0.1)
        assert answer["answer"]["ran"] == 0  # the baseline's runs were made at start-up


def test_a_restarted_server_answers_from_the_runs_it_stored(folders, tmp_path):
    """A question asked before the server restarted reads its runs back from the store (a
    new server holds none in memory): that read used an API duckdb 2 no longer has, and every
    question whose runs were stored failed with 'the server failed on this question'."""
    q = {"scenario": "pair", "levers": {"sites.calais.officers": 432}, "reps": 2, "seed": 3}
    answers = []
    for _ in range(2):
        with TestClient(create_app(tmp_path, folders / "scenarios", workers=0,
                                   warm=False)) as c:
            res = c.post("/api/compare", json=q)
            assert res.status_code == 200, res.text
            answers.append(res.json())
    assert answers[0]["ran"] == 4 and answers[1]["ran"] == 0
    for part in ("comparison", "series", "map"):
        assert answers[1][part] == answers[0][part]


def test_the_answer_so_far_is_the_answer_on_the_seeds_finished(folders, tmp_path):
    from channelsim.app.explore import Explorer

    explorer = Explorer(tmp_path, folders / "scenarios", workers=0)
    explorer.start()
    try:
        q = ("pair", {"sites.calais.officers": 321}, 3, 5)
        job = explorer.submit(*q)
        job.finished.wait(120)
        assert job.answer["seeds"] == [5, 6, 7] and job.answer["ran"] == 6
        assert job.partial["seeds"] == [5, 6] and job.partial["ran"] == 4  # the last one shown
        two = explorer.submit("pair", q[1], 2, 5)  # its runs are in the store: none made
        two.finished.wait(120)
        assert two.answer["ran"] == 0
        assert two.answer["comparison"] == job.partial["comparison"]
        assert two.answer["series"] == job.partial["series"]
    finally:
        explorer.close()


def test_the_server_keeps_no_globe_of_land_in_memory(folders, tmp_path):
    """The map's coast is traced in a passing process: global-land-mask's 900 MiB grid never
    stays in the server's."""
    code = (
        "import sys; from pathlib import Path; from fastapi.testclient import TestClient\n"
        "from channelsim.app.server import create_app\n"
        f"app = create_app(Path({str(tmp_path)!r}), Path({str(folders / 'scenarios')!r}), "
        "workers=0, warm=False)\n"
        "with TestClient(app) as c:\n"
        "    got = c.post('/api/compare', json={'scenario': 'pair', 'reps': 1}).json()\n"
        "print(len(got['map']['coast']), 'global_land_mask.globe' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=600, check=True).stdout.split()
    assert int(out[0]) > 0 and out[1] == "False"


def test_officers_on_a_dated_schedule_show_the_value_in_force_and_set_it(client):
    text = SCENARIO.replace('name = "pair"', 'name = "dated"').replace(
        "officers = 100", "officers = { 2020-01-01 = 100, 2020-02-01 = 300 }")
    assert client.post("/api/upload", json={"name": "dated", "text": text}).status_code == 200
    levers = {lv["key"]: lv for lv in client.get("/api/levers/dated").json()["levers"]}
    officers = levers["sites.calais.officers"]
    assert officers["value"] == 300 and "2020-01-01: 100, 2020-02-01: 300" in officers["note"]
    assert "from 2020-02-01 on" in officers["note"]
    got = client.post("/api/compare", json={"scenario": "dated", "reps": 1,
                                             "levers": {"sites.calais.officers": 500}})
    assert got.status_code == 200, got.text
    assert got.json()["overrides"] == ["sites.calais.officers={2020-01-01 = 100.0, "
                                       "2020-02-01 = 500}"]


def test_a_worker_that_dies_answers_503_and_the_workers_come_back(folders, tmp_path):
    import os
    import signal

    with TestClient(create_app(tmp_path, folders / "scenarios", workers=1, warm=False)) as c:
        q = {"scenario": "pair", "levers": {"sites.calais.officers": 777}, "reps": 1}
        assert c.post("/api/compare", json=q).status_code == 200  # the worker has started
        pool = c.app.state.explorer.pool.pool
        for proc in list(pool._processes.values()):  # no public handle on the workers
            os.kill(proc.pid, signal.SIGKILL)
        res = c.post("/api/compare", json={**q, "seed": 1})
        assert res.status_code == 503 and "ask again" in res.json()["error"]
        assert res.headers["Retry-After"] == "1"
        res = c.post("/api/compare", json={**q, "seed": 1})
        assert res.status_code == 200 and res.json()["ran"] == 2


def test_a_scenario_with_a_posterior_is_answered_as_compare_answers_it(tmp_path, capsys):
    """Replicate i takes posterior draw i with seed i in both arms, as `channelsim compare`
    does with the same posterior, and the answer says its intervals include the parameters."""
    from tests.test_posterior import DRAWS, NAMES, SHORT

    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "q1.toml").write_text(SHORT)
    post = folder / "q1.posterior.json"
    post.write_text(json.dumps({"names": NAMES, "draws": DRAWS, "weights": [0.3, 0.3, 0.4],
                                "settings": {"seed": 11}}))
    q = {"scenario": "q1", "levers": {"sites.calais.officers": 600}, "reps": 3, "seed": 1}
    with TestClient(create_app(tmp_path / "results", folder, workers=1, warm=False)) as c:
        got = c.post("/api/compare", json=q).json()
        # an upload of the same file is the same scenario, run chance only: not this answer
        assert c.post("/api/upload", json={"name": "copy", "text": SHORT}).status_code == 200
        copy = c.post("/api/compare", json=q | {"scenario": "copy"}).json()
    assert got["uncertainty"] == "chance and parameters (posterior q1.posterior.json, 3 draws)"
    assert got["ran"] == 6  # A and B of each replicate's draw
    assert copy["hash_a"] == got["hash_a"] and copy["uncertainty"] == "chance only"
    assert copy["ran"] == 6 and copy["comparison"] != got["comparison"]
    args = ["compare", str(folder / "q1.toml"), str(folder / "q1.toml"), "--reps", "3",
            "--seed", "1", "--workers", "1", "--posterior", str(post), "--json",
            "--out", str(tmp_path / "cli")]
    for item in got["overrides"]:
        args += ["--set-b", item]
    assert cli.main(args) == 0
    expected = json.loads(capsys.readouterr().out)
    assert got["comparison"]["effects"] == expected["effects"]
    # and not the answer of the scenario's own values
    none = [{str(post): "none", str(tmp_path / "cli"): str(tmp_path / "none")}.get(x, x)
            for x in args]
    assert cli.main(none) == 0
    chance_only = json.loads(capsys.readouterr().out)
    assert chance_only["effects"] != expected["effects"]
    assert chance_only["effects"] == copy["comparison"]["effects"]
