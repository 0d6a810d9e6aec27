"""Synthetic packages of any size, built from the real rows, that still pass every check.

The snapshot is the article repeated (copies joined by a blank line); copy k carries the six real
statistics with ids suffixed `_k<k>` (copy 0 keeps the real ids) and the fifteen real mentions, all with
offsets shifted into that copy. Indicators, sources and cross-checks are the real ones.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = "data/sources/northafricapost-20703.txt"
SEPARATOR = "\n\n"


def _read(table: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((ROOT / "data" / f"{table}.csv").read_text(encoding="utf-8"), newline="")))


def _write(path: Path, rows: list[dict[str, str]], header: list[str]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))


def _shifted(
    row: dict[str, str], fields: tuple[str, ...], shift: int, suffix: str, id_fields: tuple[str, ...]
) -> dict[str, str]:
    copy = dict(row)
    for field in fields:
        copy[field] = str(int(row[field]) + shift)
    for field in id_fields:
        if copy[field]:
            copy[field] += suffix
    return copy


def build(target: Path, statistics_rows: int) -> Path:
    """A valid package with at least statistics_rows rows in statistics.csv (a multiple of the real count)."""
    stats, mentions = _read("statistics"), _read("mentions")
    copies = -(-statistics_rows // len(stats))
    article = (ROOT / SNAPSHOT).read_bytes().decode("utf-8")
    step = len(article) + len(SEPARATOR)
    new_stats, new_mentions = [], []
    for k in range(copies):
        suffix = f"_k{k}" if k else ""
        new_stats += [_shifted(s, ("quote_start", "quote_end"), k * step, suffix, ("statistic_id",)) for s in stats]
        new_mentions += [
            _shifted(m, ("mention_start", "mention_end"), k * step, suffix, ("statistic_id",)) for m in mentions
        ]
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "schemas", target / "schemas")
    shutil.copytree(ROOT / "data", target / "data")
    snapshot = SEPARATOR.join([article] * copies).encode("utf-8")
    (target / SNAPSHOT).write_bytes(snapshot)
    sha = hashlib.sha256(snapshot).hexdigest()
    _write(target / "data/statistics.csv", new_stats, list(stats[0]))
    _write(target / "data/mentions.csv", new_mentions, list(mentions[0]))
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for source in descriptor["sources"]:
        if source["path"] == SNAPSHOT:
            source["hash"], source["bytes"] = f"sha256:{sha}", len(snapshot)
    (target / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def break_quotes(target: Path) -> Path:
    """Every quote of statistics.csv changed so that it is no longer the snapshot's text at its offsets."""
    rows = list(csv.DictReader(io.StringIO((target / "data/statistics.csv").read_text(encoding="utf-8"), newline="")))
    for row in rows:
        row["quote"] = "Broken: " + row["quote"]
    _write(target / "data/statistics.csv", rows, list(rows[0]))
    return target


def duplicate_rows(target: Path, extra: int, table: str = "mentions") -> Path:
    """extra rows appended to a table, each a copy of an existing row (so a duplicate primary key)."""
    path = target / "data" / f"{table}.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    _write(path, rows + [rows[i % len(rows)] for i in range(extra)], list(rows[0]))
    return target
