"""The explorer's API in process: each endpoint, the errors a user can make, and that its
paired comparison is the one `channelsim compare` gives for the same input."""

import json

import pytest

from channelsim import cli
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
    with TestClient(create_app(folders / "results", folders / "scenarios")) as c:
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
    assert {s["name"] for s in got["map"]["sites"]} == {"Calais", "Dunkirk"}
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
    crossings = next(e for e in got["effects"] if e["figure"] == "crossings")
    assert crossings == {"figure": "crossings", **expected["effects"]["scorecard"]["crossings"]}


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"scenario": "pair", "levers": {"sites.calais.colour": 1}}, 400, "is not a lever"),
    ({"scenario": "pair", "levers": {"sites.paris.officers": 1}}, 400, "no site 'paris'"),
    ({"scenario": "pair", "levers": {"sites.calais.officers": -5}}, 400, "out of range"),
    ({"scenario": "pair", "levers": {"sites.calais.officers": "many"}}, 400, "not a number"),
    ({"scenario": "pair", "levers": {"sites.calais.policy": "shoot"}}, 400, "is not one of"),
    ({"scenario": "pair", "levers": {"campaigns": ["paris"]}}, 400, "list of sites"),
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
