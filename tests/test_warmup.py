"""The first run's compile in worker processes: every part reported, an estimate that follows
the pace of the parts already done."""

import re

from channelsim import warmup
from channelsim.engine import compiled


def test_the_estimate_shares_the_parallel_parts_and_follows_the_pace():
    est = warmup._Estimate(workers=2)
    c = warmup.COSTS
    assert est.left(["state", "camps"]) == (c["state"] + c["camps"]) / 2
    # the first part done, while the other worker's ran too: not shared between them
    est.update(elapsed=2 * c["camps"], worker=1, part="camps")
    assert est.left(["state"]) == c["state"]  # twice as slow as measured, on 2 workers
    est.update(elapsed=2 * (c["camps"] + c["state"]), worker=1, part="state")  # its next
    assert est.left(["attempts"]) == c["attempts"]


def test_compile_reports_every_part_and_fills_the_cache():
    lines: list[str] = []
    warmup.compile_kernels(lines.append, workers=1)
    total = len(warmup.COSTS) + 1  # and run_days
    counts = [int(m.group(1)) for line in lines
              if (m := re.match(rf"compiling kernels (\d+)/{total}\b", line))]
    assert counts == list(range(total + 1))
    assert compiled()
