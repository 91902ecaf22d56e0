"""`-v` progress on one big file shows how far into the file the read is, and cuts
a long file name in its middle, not at its start (QA8 big files #5: a 2 GB Takeout
showed "0/1 cluding Spam and Trash.mbox (7000 items)" and an empty bar for minutes)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from reseausync import api
from reseausync.cli.progress import ProgressBar

NAME = "All mail Including Spam and Trash.mbox"


def _mail(n: int) -> str:
    return (f"From {n}@xxx Tue Nov 19 10:00:00 +0000 2024\nFrom: P{n} <p{n}@example.com>\n"
            f"To: marie@example.com\nDate: Tue, 19 Nov 2024 10:00:00 +0000\n"
            f"Message-ID: <m{n}@example.com>\n\n" + "body line\n" * 40 + "\n")


def test_a_big_mailbox_reports_bytes_and_percent(tmp_path: Path) -> None:
    box = tmp_path / NAME
    box.write_text("".join(_mail(n) for n in range(3500)))
    seen: list[tuple[int, int, str]] = []
    api.import_paths([str(box)], db=str(tmp_path / "d.db"), region="CA",
                     progress=lambda done, total, current: seen.append((done, total, current)))
    inside = [c for done, _, c in seen if done == 0]
    assert inside, seen
    percents = [int(m.group(1)) for c in inside if (m := re.search(r", (\d+)%\)$", c))]
    assert len(percents) == len(inside) and 0 < percents[0] <= percents[-1] <= 100
    assert re.search(r"\(1000 items, \d+\.\d [KM]B of \d+\.\d MB, \d+%\)$", inside[0])


def test_the_bar_fills_by_the_files_percent_and_the_name_keeps_its_start() -> None:
    bar = ProgressBar("importing", stream=io.StringIO())
    line = bar.line(0, 1, f"/takeout/{NAME} (7000 items, 600.0 MB of 2.0 GB, 30%)")
    assert line.startswith("importing [#########.....................] 0/1 All mail ")
    assert line.endswith("Trash.mbox (7000 items, 600.0 MB of 2.0 GB, 30%)")
    long = "/x/" + "A very long mailbox name that goes on and on and on.mbox"
    shown = bar.line(1, 3, long).split("1/3 ", 1)[1]
    assert len(shown) == 40 and shown.startswith("A very long") and shown.endswith("on.mbox")
