"""The package's core promises, checked with the standard library alone (no project code).

Each function takes a package folder and returns a list of faults; [] means the promise holds.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

SNAPSHOT_ID = "northafricapost-20703"


def rows(root: Path, table: str) -> list[dict[str, str]]:
    text = (root / "data" / f"{table}.csv").read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def snapshot(root: Path) -> str:
    # bytes, then decode: text mode would translate line endings and shift every offset
    return (root / "data" / "sources" / f"{SNAPSHOT_ID}.txt").read_bytes().decode("utf-8")


def written_number(text: str) -> int:
    """What a number as printed in the article means: 50K, 50,000, $175 million, 3000."""
    match = re.fullmatch(r"\$?([\d,]+)(K| million)?", text)
    if match is None:
        raise ValueError(f"not a written number: {text!r}")
    scale = {"K": 1_000, " million": 1_000_000, None: 1}[match.group(2)]
    return int(match.group(1).replace(",", "")) * scale


def quotes_equal_snapshot(root: Path) -> list[str]:
    text = snapshot(root)
    return [
        f"{r['statistic_id']}: slice {text[int(r['quote_start']) : int(r['quote_end'])]!r} != quote"
        for r in rows(root, "statistics")
        if text[int(r["quote_start"]) : int(r["quote_end"])] != r["quote"]
    ]


def digit_runs_in_one_mention(root: Path) -> list[str]:
    text = snapshot(root)
    spans = [(int(m["mention_start"]), int(m["mention_end"])) for m in rows(root, "mentions")]
    faults = []
    for run in re.finditer(r"\d+", text):
        count = sum(start <= run.start() and run.end() <= end for start, end in spans)
        if count != 1:
            faults.append(f"{run.group()!r} at {run.start()} is in {count} mentions")
    return faults


def values_match_value_mentions(root: Path) -> list[str]:
    stats = {r["statistic_id"]: r for r in rows(root, "statistics")}
    faults = []
    for stat_id, stat in stats.items():
        inside = [
            m
            for m in rows(root, "mentions")
            if m["statistic_id"] == stat_id
            and m["role"] == "value"
            and int(stat["quote_start"]) <= int(m["mention_start"]) < int(m["mention_end"]) <= int(stat["quote_end"])
        ]
        if [written_number(m["mention_text"]) for m in inside] != [float(stat["value"])]:
            faults.append(f"{stat_id}: value {stat['value']} vs mentions {[m['mention_text'] for m in inside]}")
    for mention in rows(root, "mentions"):
        stated = mention["role"] in ("value", "headline_value")
        if stated and written_number(mention["mention_text"]) != float(stats[mention["statistic_id"]]["value"]):
            faults.append(f"mention {mention['mention_text']!r} at {mention['mention_start']} != its statistic")
    return faults


def hashes_agree(root: Path) -> list[str]:
    source = next(r for r in rows(root, "sources") if r["source_id"] == SNAPSHOT_ID)
    data = (root / source["snapshot_path"]).read_bytes()
    sha, size = hashlib.sha256(data).hexdigest(), len(data)
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    pin = next(s for s in descriptor["sources"] if s["path"] == source["snapshot_path"])
    claims = {"datapackage.json hash": pin["hash"], "datapackage.json bytes": str(pin["bytes"])}
    truth = {"datapackage.json hash": f"sha256:{sha}", "datapackage.json bytes": str(size)}
    return [f"{key}: {claims[key]} != {truth[key]}" for key in claims if claims[key] != truth[key]]


def file_conventions(root: Path) -> list[str]:
    faults = []
    for path in sorted((root / "data").glob("*.csv")):
        data = path.read_bytes()
        name = path.name
        if data.startswith(b"\xef\xbb\xbf"):
            faults.append(f"{name}: BOM")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            faults.append(f"{name}: not UTF-8")
            continue
        if "\r" in text:
            faults.append(f"{name}: CR")
        if not text.endswith("\n") or "\n\n" in text:
            faults.append(f"{name}: missing final LF or blank row")
        header = text.split("\n", 1)[0]
        if "," not in header or "\t" in header:
            faults.append(f"{name}: header not comma-delimited")
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if any(re.fullmatch(r"\d{1,3}(,\d{3})+", cell) for cell in row) and name != "mentions.csv":
                faults.append(f"{name}: row {number} has a number with thousands separators")
    return faults


CHECKS = [quotes_equal_snapshot, digit_runs_in_one_mention, values_match_value_mentions, hashes_agree, file_conventions]
