"""Recompute the metadata derived from the snapshots: their pins, the quote offsets, and mention drafts.

    python scripts/derive_metadata.py [--check] [--rehash] [--root PATH]

- the sha256 `hash` and `bytes` of each snapshot, in the `sources` of datapackage.json (the one place they live);
- quote_start and quote_end in statistics.csv, from the quote text where it occurs exactly once;
- the evidence span (<fact>_start, <fact>_end) of each fact of statements.csv in the primary source's snapshot,
  from the fact's text where it occurs exactly once; empty for a fact listed in inferred_fields;
- for a source with a snapshot but no row in mentions.csv, a draft drafts/mentions-<source_id>.csv listing
  every number of the snapshot, for a maintainer to complete (role, statistic_id) and merge.

--check reports what is stale and exits 1, changing nothing. A hash already recorded is never replaced
unless --rehash is given (snapshots are never edited, so a changed hash means a changed file). A quote
or fact that occurs 0 or several times and whose offsets do not match is refused: set it by hand. Nothing is
written unless every change could be computed. Every file is read through the package's safe reader.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from _maintenance import MaintenanceError, apply_changes, read_rows, render_rows
from morocco_migration_2017.package import Package
from morocco_migration_2017.problems import PackageError
from morocco_migration_2017.provenance import FACTS
from morocco_migration_2017.reading import DESCRIPTOR, read_file, unsafe_path_reason
from morocco_migration_2017.wording import MENTION_PATTERN


def _table(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _untable(header: list[str], records: list[dict[str, str]]) -> list[list[str]]:
    return [header] + [[record[name] for name in header] for record in records]


def _pin_snapshots(root: Path, descriptor: dict, rehash: bool) -> dict[str, str]:
    """Set hash and bytes of every local source file in the descriptor; the text of each, by path."""
    texts = {}
    for source in descriptor.get("sources", []):
        path = source.get("path")
        if unsafe_path_reason(path):
            continue  # a URL: where the report was published
        data = read_file(root, path)
        pin = f"sha256:{hashlib.sha256(data).hexdigest()}"
        if source.get("hash") not in (None, pin) and not rehash:
            raise MaintenanceError(
                f"{path}: its hash is {pin}, not the recorded {source['hash']}; "
                "snapshots are never edited: restore the file, or pass --rehash for a new one"
            )
        source["hash"], source["bytes"] = pin, len(data)
        texts[path] = data.decode("utf-8")
    return texts


def _offsets(row: dict[str, str], text: str, field: str, where: str) -> tuple[str, str]:
    """(start, end) of row[field] in text: where it occurs once, or the row's own offsets if they hold it."""
    words, start, end = row[field], row[f"{field}_start"], row[f"{field}_end"]
    if text.count(words) == 1:
        return str(text.index(words)), str(text.index(words) + len(words))
    if start.isdigit() and end.isdigit() and text[int(start) : int(end)] == words:
        return start, end
    found = "is not in the snapshot" if words not in text else f"occurs {text.count(words)} times"
    raise MaintenanceError(
        f"{where}: the {field} {found} and its offsets do not match it; "
        f"correct the {field} or set {field}_start and {field}_end by hand"
    )


def _mention_draft(source_id: str, text: str) -> bytes:
    rows = [["source_id", "mention_start", "mention_end", "mention_text", "role", "statistic_id", "notes"]]
    rows += [[source_id, str(m.start()), str(m.end()), m.group(), "", "", ""] for m in MENTION_PATTERN.finditer(text)]
    return render_rows(rows)


def derived_changes(root: Path, rehash: bool = False) -> dict[Path, bytes]:
    """New bytes for every file whose derived metadata is stale."""
    descriptor = Package(root).descriptor
    paths = {res["name"]: res["path"] for res in descriptor["resources"]}
    pinned = _pin_snapshots(root, descriptor, rehash)
    sources = _table(read_rows(root, paths["sources"]))
    texts = {s["source_id"]: pinned[s["snapshot_path"]] for s in sources if s["snapshot_path"] in pinned}
    stat_rows = read_rows(root, paths["statistics"])
    statistics = _table(stat_rows)
    for statistic in statistics:
        if statistic["source_id"] not in texts:
            raise MaintenanceError(
                f"statistics.csv: {statistic['statistic_id']}: source {statistic['source_id']!r} has no snapshot"
            )
        where = f"statistics.csv: {statistic['statistic_id']}"
        statistic["quote_start"], statistic["quote_end"] = _offsets(statistic, texts[statistic["source_id"]], "quote", where)
    primary = next((texts.get(s["source_id"]) for s in sources if s["source_role"] == "primary"), None)
    statement_rows = read_rows(root, paths["statements"])
    statements = _table(statement_rows)
    for statement in statements:
        for fact in FACTS:
            inferred = fact in statement["inferred_fields"].split()
            if primary is None and not inferred:
                raise MaintenanceError(f"statements.csv: {statement['statement_id']}: the primary source has no snapshot")
            where = f"statements.csv: {statement['statement_id']}"
            span = ("", "") if inferred else _offsets(statement, primary, fact, where)
            statement[f"{fact}_start"], statement[f"{fact}_end"] = span
    candidates = {
        root / paths["statements"]: render_rows(_untable(statement_rows[0], statements)),
        root / DESCRIPTOR: (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
        root / paths["statistics"]: render_rows(_untable(stat_rows[0], statistics)),
    }
    mentioned = {row["source_id"] for row in _table(read_rows(root, paths["mentions"]))}
    for source_id, text in texts.items():
        if source_id not in mentioned:
            candidates[root / "drafts" / f"mentions-{source_id}.csv"] = _mention_draft(source_id, text)
    return {path: data for path, data in candidates.items() if not path.exists() or path.read_bytes() != data}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report what is stale; change nothing")
    parser.add_argument("--rehash", action="store_true", help="accept a changed snapshot and record its new hash")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args(argv)
    try:
        changes = derived_changes(args.root.resolve(), args.rehash)
    except (MaintenanceError, PackageError, KeyError, UnicodeDecodeError) as err:
        print(f"derive_metadata: error: {err}; nothing was written", file=sys.stderr)
        return 2
    return apply_changes(changes, args.root.resolve(), args.check, "stale", "updated")


if __name__ == "__main__":
    raise SystemExit(main())
