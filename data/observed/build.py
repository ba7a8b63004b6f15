"""Build the tidy observed series in data/observed/ from the evidence table.

Run `python data/observed/build.py` after the evidence table changes. Each output row keeps the
evidence id it comes from; which rows enter which table is listed here, by id, so a reader can
check every choice. The tables are copied into the package (src/channelsim/data/observed/) so an
installed channelsim finds them; a test checks that both copies equal a fresh build.
"""

from __future__ import annotations

import calendar
import csv
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EVIDENCE = ROOT / "data" / "evidence.csv"
OUT = ROOT / "data" / "observed"
PACKAGED = ROOT / "src" / "channelsim" / "data" / "observed"
COLUMNS = ["evidence_id", "start", "end", "site", "mode", "value", "low", "high", "unit",
           "status", "use"]
LOOSE = 2.0  # an unverified figure enters as a bound from value/LOOSE to value*LOOSE

# kinds: "point" (the figure as a target), "over" (a lower bound), "up_to" (an upper bound),
# (low, high) (a range printed by the source; both ends must appear in its text)


def month(period: str) -> tuple[str, str]:
    y, m = (int(p) for p in period.split("-")[:2])
    return f"{y:04d}-{m:02d}-01", f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


def year(y: int) -> tuple[str, str]:
    return f"{y}-01-01", f"{y}-12-31"


def day(date: str) -> tuple[str, str]:
    return date, date


TABLES: dict[str, list[tuple]] = {
    # (id, (start, end), site, mode, kind)
    "juxtaposed_detections": [
        ("jc_stopped_2013_h1", ("2013-01-01", "2013-06-30"), "", "lorry", "point"),
        ("jc_stopped_2014_h1", ("2014-01-01", "2014-06-30"), "", "lorry", "point"),
        ("jc_stopped_2015_h1", ("2015-01-01", "2015-06-30"), "", "lorry", "point"),
        ("jc_stopped_2015", year(2015), "", "lorry", "point"),
        ("jc_attempts_2016", year(2016), "", "lorry", "point"),
        ("jc_attempts_2021", year(2021), "", "lorry", "point"),
        ("jc_attempts_2022_jan_aug", ("2022-01-01", "2022-08-31"), "", "lorry", "point"),
    ],
    "french_preventions": [
        ("fr_prevented_people_2021_h1", ("2021-01-01", "2021-07-31"), "", "small_boat", "over"),
        ("fr_prevented_people_2021", year(2021), "", "small_boat", "over"),
        ("fr_prevented_people_2022_to_nov14", ("2022-01-01", "2022-11-14"), "", "small_boat",
         "over"),
        ("fr_prevented_people_2022", year(2022), "", "small_boat", "point"),
        ("fr_prevented_people_2023_jan_aug", ("2023-01-01", "2023-08-31"), "", "small_boat",
         "point"),
    ],
    "camp_counts": [
        ("calais_migrants_2014_09", month("2014-09"), "calais", "", "point"),
        ("calais_migrants_2015_07", day("2015-07-02"), "calais", "", "point"),
        ("jungle_auberge_2015_08", month("2015-08"), "calais", "", "point"),
        ("jungle_prefecture_2015_10", month("2015-10"), "calais", "", "point"),
        ("jungle_census_2016_02", month("2016-02"), "calais", "", "point"),
        ("jungle_census_2016_06", month("2016-06"), "calais", "", "point"),
        ("jungle_prefecture_2016_06", month("2016-06"), "calais", "", "point"),
        ("jungle_census_2016_07", month("2016-07"), "calais", "", "point"),
        ("jungle_census_2016_08", month("2016-08"), "calais", "", "point"),
        ("jungle_prefecture_2016_08_17", day("2016-08-17"), "calais", "", "point"),
        ("jungle_census_2016_09", month("2016-09"), "calais", "", "point"),
        ("jungle_census_2016_10", month("2016-10"), "calais", "", "point"),
        ("calais_after_jungle_2017_03", month("2017-03"), "calais", "", (100, 300)),
        ("calais_after_jungle_2017_05", month("2017-05"), "calais", "", (350, 600)),
        ("calais_migrants_2018_01", ("2018-01-01", "2018-02-28"), "calais", "", (550, 800)),
        ("calais_exiles_cncdh_2020_12", month("2020-12"), "calais", "", (500, 800)),
        ("calais_migrants_2021_10", month("2021-10"), "calais", "", "point"),
        ("calais_migrants_2022", year(2022), "calais", "", (800, 1500)),
        ("gsynthe_liniere_moved_2016_03", ("2016-03-07", "2016-03-09"), "dunkirk", "", "point"),
        ("gsynthe_liniere_fire_2017_04", day("2017-04-10"), "dunkirk", "", "point"),
        ("dunkirk_camp_eviction_2018_10", month("2018-10"), "dunkirk", "", "point"),
        ("loonplage_camp_2022_12", month("2022-12"), "dunkirk", "", "point"),
        ("loonplage_eviction_2023_10", day("2023-10-19"), "dunkirk", "", "point"),
        ("ouistreham_migrants_2017", ("2017-01-01", "2018-12-31"), "ouistreham", "", "point"),
        ("ouistreham_migrants_2018", year(2018), "ouistreham", "", (100, 150)),
    ],
    "prices": [
        ("price_lorry_2015_06", month("2015-06"), "calais", "lorry", "point"),
        ("price_lorry_afghan_2015_07", month("2015-07"), "calais", "lorry", "point"),
        ("price_lorry_2015_08", month("2015-08"), "calais", "lorry", (800, 1100)),
        ("price_lorry_potluck_2016_01", month("2016-01"), "calais", "lorry", "point"),
        ("price_boat_2018_11", ("2018-11-01", "2018-12-31"), "", "small_boat", "up_to"),
        ("price_boat_2020_start", ("2020-01-01", "2020-03-31"), "", "small_boat", "point"),
        ("price_boat_2020_10", month("2020-10"), "", "small_boat", "point"),
        ("price_boat_2021_08", month("2021-08"), "", "small_boat", "point"),
        ("price_boat_range_2021_11", month("2021-11"), "", "small_boat", (3000, 7000)),
        ("price_boat_2022_07", month("2022-07"), "", "small_boat", (500, 1000)),
        ("price_boat_2022_10", month("2022-10"), "", "small_boat", "up_to"),
        ("price_boat_avg_2022", year(2022), "", "small_boat", "point"),
        ("price_boat_2022_12", month("2022-12"), "", "small_boat", "point"),
        ("price_boat_2023_08", month("2023-08"), "", "small_boat", "point"),
    ],
}


def generated(rows: dict[str, dict[str, str]]) -> dict[str, list[tuple]]:
    """The regular series, selected by the shape of their ids."""
    out: dict[str, list[tuple]] = {"small_boat_arrivals_monthly": [],
                                   "small_boat_arrivals_yearly": [], "small_boats_yearly": [],
                                   "people_per_boat": [], "deaths": []}
    patterns = [
        (r"sb_people_(\d{4})_(\d{2})", "small_boat_arrivals_monthly", "small_boat", "month"),
        (r"sb_people_(\d{4})", "small_boat_arrivals_yearly", "small_boat", "year"),
        (r"sb_boats_(\d{4})", "small_boats_yearly", "small_boat", "year"),
        (r"sb_per_boat_(\d{4})", "people_per_boat", "small_boat", "year"),
        (r"deaths_boat_(\d{4})", "deaths", "small_boat", "year"),
        (r"deaths_iom_channel_(\d{4})", "deaths", "all", "year"),
    ]
    for rid in rows:
        for pattern, table, mode, unit in patterns:
            m = re.fullmatch(pattern, rid)
            if m:
                span = month(f"{m[1]}-{m[2]}") if unit == "month" else year(int(m[1]))
                out[table].append((rid, span, "", mode, "point"))
                break
    return out


def in_text(number: float, text: str) -> bool:
    digits = text.replace(",", "")
    return re.search(rf"(?<![\d.]){int(number)}(?![\d])", digits) is not None


def row_of(spec: tuple, ev: dict[str, dict[str, str]]) -> dict[str, str]:
    rid, (start, end), site, mode, kind = spec
    if rid not in ev:
        sys.exit(f"build.py: evidence id {rid!r} is not in {EVIDENCE}")
    e = ev[rid]
    value = float(e["value_num"]) if e["value_num"] else None
    low = high = None
    if isinstance(kind, tuple):
        low, high = kind
        for end_ in kind:
            if not in_text(end_, e["value"]):
                sys.exit(f"build.py: {rid}: {end_} does not appear in its value {e['value']!r}")
        value = None
    elif kind == "over":
        low, value = value, None
    elif kind == "up_to":
        high, value = value, None
    if value is None and low is None and high is None:
        sys.exit(f"build.py: {rid} has no number (value {e['value']!r}): give it a range")
    unverified = e["status"] == "unverified"
    if unverified:  # a loose bound around whatever the row says
        centre_low = low if low is not None else value
        centre_high = high if high is not None else value
        low = centre_low / LOOSE if centre_low is not None else None
        high = centre_high * LOOSE if centre_high is not None else None
        value = None
    use = "point" if value is not None else "bound"

    def fmt(x: float | None) -> str:
        return "" if x is None else f"{x:g}"

    return {"evidence_id": rid, "start": start, "end": end, "site": site, "mode": mode,
            "value": fmt(value), "low": fmt(low), "high": fmt(high), "unit": e["unit"],
            "status": e["status"], "use": use}


def build(out: Path = OUT) -> list[Path]:
    with EVIDENCE.open(encoding="utf-8", newline="") as f:
        ev = {r["id"]: r for r in csv.DictReader(f)}
    tables = {**generated(ev), **TABLES}
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, specs in sorted(tables.items()):
        path = out / f"{name}.csv"
        rows = sorted((row_of(s, ev) for s in specs), key=lambda r: (r["start"], r["site"],
                                                                    r["mode"], r["evidence_id"]))
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        written.append(path)
    return written


if __name__ == "__main__":
    paths = build()
    PACKAGED.mkdir(parents=True, exist_ok=True)
    for p in paths:
        shutil.copyfile(p, PACKAGED / p.name)
    print(f"wrote {len(paths)} tables to {OUT} and {PACKAGED}")
