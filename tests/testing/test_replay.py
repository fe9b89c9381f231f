"""Google's recorded Sheets answers replayed against the stand-in, and the share it matches."""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest
import requests

from tests.testing.replay import RECORDINGS, Outcome, recording_files, replay

# The endpoints sheets-sync uses (the backend, init and doctor); the bar applies to these.
# values:append is replayed and reported too, but the project never appends.
PROJECT_ENDPOINTS = (
    "spreadsheets.get",
    "spreadsheets.values.get",
    "spreadsheets.values.batchGet",
    "spreadsheets.values.update",
    "spreadsheets.values.batchUpdate",
    "spreadsheets.values.clear",
    "spreadsheets.values.batchClear",
    "spreadsheets.batchUpdate",
)


def _report(outcomes: list[Outcome]) -> tuple[int, int]:
    replayed = [o for o in outcomes if o.replayable]
    total, same = (
        Counter(o.operation for o in replayed),
        Counter(o.operation for o in replayed if o.same),
    )
    skipped = Counter(f"{o.operation} ({o.detail})" for o in outcomes if not o.replayable)
    kinds = Counter(
        k
        for o in replayed
        if o.operation == "spreadsheets.batchUpdate"
        for k in set(o.request_kinds)
    )
    kinds_same = Counter(
        k
        for o in replayed
        if o.operation == "spreadsheets.batchUpdate" and o.same
        for k in set(o.request_kinds)
    )
    print("\nReplay of Google's recorded Sheets answers (identical / replayed):")
    for operation in sorted(total):
        mark = "" if operation in PROJECT_ENDPOINTS else "   (not used by the project)"
        print(
            f"  {operation:34} {same[operation]:4} / {total[operation]:4}"
            f"  {same[operation] / total[operation]:6.1%}{mark}"
        )
    print(
        "  batchUpdate by request kind: "
        + ", ".join(f"{k} {kinds_same[k]}/{n}" for k, n in sorted(kinds.items()))
    )
    used = [o for o in replayed if o.operation in PROJECT_ENDPOINTS]
    hits = sum(o.same for o in used)
    print(f"  project endpoints: {hits} / {len(used)} = {hits / len(used):.1%}")
    all_hits = sum(o.same for o in replayed)
    print(f"  all endpoints:     {all_hits} / {len(replayed)} = {all_hits / len(replayed):.1%}")
    for reason, n in sorted(skipped.items()):
        print(f"  not replayable: {n} x {reason}")
    for o in [o for o in replayed if not o.same][:10]:
        print(f"  MISMATCH {o.recording} {o.operation} {o.status}")
        print(f"    google:   {json.dumps(o.expected)[:300]}")
        print(f"    stand-in: {json.dumps(o.got)[:300]}")
    return hits, len(used)


@pytest.mark.slow  # 124 recordings, 1,348 answers: seconds; CI runs it
def test_replays_googles_recorded_answers() -> None:
    """At least 90% of Google's recorded answers on the project's endpoints come back identical."""
    if not RECORDINGS.is_dir():
        where = f"Google's recorded Sheets answers are not at {RECORDINGS}"
        if os.environ.get("CI"):  # CI lays ../shared beside the clone: missing is a fault
            pytest.fail(f"{where}; CI should have ../shared beside the clone")
        pytest.skip(f"{where} (they live beside the project, in ../shared)")
    outcomes: list[Outcome] = []
    with requests.Session() as session:
        for path in recording_files():
            outcomes.extend(replay(path, session))
    hits, used = _report(outcomes)
    assert used > 1000, "the recordings gave fewer answers than expected: are they all there?"
    assert hits / used >= 0.9
