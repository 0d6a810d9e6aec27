"""Checks across tables and files that no schema language states: quotes, mentions, units and hashes.

Each check takes the raw tables (text cells, empty cells missing) and returns Problems. Cells of the
wrong type are skipped here: the type checks of earlier stages report them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .numbers import DIGIT_RUN, parse_mention
from .paths import DESCRIPTOR, unsafe_path_reason
from .problems import Problem

CHECK = "provenance"
# The mention roles these checks treat differently; a test holds them equal to the schema's enum of mentions.role.
VALUE_ROLES = ("value", "headline_value")
BOUND_ROLES = ("period_bound", "headline_period_bound")
ORDINAL_ROLE = "ordinal"


@dataclass
class Context:
    """What every provenance check reads: the package folder, its descriptor and its raw tables."""

    root: Path
    descriptor: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    paths: dict[str, str]
    _raw: dict[str, bytes | None] = field(default_factory=dict)
    _snapshots: dict[str, str | None] = field(default_factory=dict)
    _ints: dict[tuple[str, str], pd.Series] = field(default_factory=dict)

    def ints(self, table: str, column: str) -> pd.Series:
        """An offset column as nullable integers (cells that are not integers become missing), parsed once."""
        if (table, column) not in self._ints:
            self._ints[table, column] = _int(self.tables[table][column])
        return self._ints[table, column]

    def snapshot_bytes(self, relpath: str) -> bytes | None:
        """A snapshot file's bytes, read once; None if it is missing or its path leaves the package."""
        if relpath not in self._raw:
            path = self.root / relpath
            self._raw[relpath] = path.read_bytes() if unsafe_path_reason(relpath) is None and path.is_file() else None
        return self._raw[relpath]

    def snapshot(self, relpath: str) -> str | None:
        """A snapshot's text, decoded without touching line endings; None if unreadable or unsafe."""
        if relpath not in self._snapshots:
            data = self.snapshot_bytes(relpath)
            self._snapshots[relpath] = None if data is None else data.decode("utf-8", errors="replace")
        return self._snapshots[relpath]

    def snapshot_path(self, source_id: str) -> str | None:
        sources = self.tables["sources"]
        paths = sources.loc[sources["source_id"] == source_id, "snapshot_path"].dropna()
        return str(paths.iloc[0]) if len(paths) else None

    def snapshot_by_source(self) -> dict[str, str | None]:
        sources = self.tables["sources"].dropna(subset=["snapshot_path"])
        return {sid: self.snapshot(path) for sid, path in zip(sources["source_id"], sources["snapshot_path"], strict=True)}


def _float(series: pd.Series) -> pd.Series:
    """Cells as floats, anything that is not a number missing (the type checks report those)."""
    try:  # fast path: NumPy parses a column of clean numbers in C
        return pd.Series(series.to_numpy(dtype="float64", na_value=np.nan), index=series.index)
    except (TypeError, ValueError):
        return pd.to_numeric(series, errors="coerce").astype("float64")


def _int(series: pd.Series) -> pd.Series:
    """Whole numbers as nullable integers; anything else (text, 1.5, 1e99) missing: the type checks report it."""
    numbers = _float(series)
    whole = numbers.where(np.isfinite(numbers) & (numbers == np.floor(numbers)) & (numbers.abs() < 2**53))
    return whole.astype("Int64")


def _problem(ctx: Context, table: str, index: Any, field_name: str | None, message: str, value: Any = None) -> Problem:
    return Problem(CHECK, ctx.paths[table], message, row=int(index) + 2, field=field_name, value=value)


def unit_matches_indicator(ctx: Context) -> list[Problem]:
    stats, indicators = ctx.tables["statistics"], ctx.tables["indicators"]
    units = indicators.drop_duplicates("indicator_id").set_index("indicator_id")["unit"]
    expected = stats["indicator_id"].map(units)
    bad = stats[expected.notna() & (stats["unit"] != expected)]
    return [
        _problem(
            ctx,
            "statistics",
            i,
            "unit",
            f"unit differs from indicator {r.indicator_id!r}, whose unit is {units[r.indicator_id]!r}",
            r.unit,
        )
        for i, r in bad.iterrows()
    ]


def _slice_mismatches(table: str, ctx: Context, start: str, end: str, text: str) -> list[tuple[Any, str]]:
    """(index, actual slice) for each row whose snapshot[start:end] differs from its text column."""
    frame = ctx.tables[table]
    starts, ends = ctx.ints(table, start), ctx.ints(table, end)
    usable = starts.notna() & ends.notna() & frame[text].notna()
    mismatches = []
    for source_id, snapshot in ctx.snapshot_by_source().items():
        rows = usable & (frame["source_id"] == source_id)
        if not isinstance(snapshot, str) or not rows.any():
            continue
        pairs = zip(starts[rows].tolist(), ends[rows].tolist(), strict=True)
        actual = np.array([snapshot[a:b] for a, b in pairs], dtype=object)
        differs = actual != frame.loc[rows, text].to_numpy(dtype=object)
        mismatches += list(zip(frame.index[rows][differs], actual[differs], strict=True))
    return mismatches


def quotes_match_snapshot(ctx: Context) -> list[Problem]:
    stats = ctx.tables["statistics"]
    text = ctx.snapshot_by_source()
    problems = []
    for i, actual in _slice_mismatches("statistics", ctx, "quote_start", "quote_end", "quote"):
        quote, snap = stats.at[i, "quote"], text[stats.at[i, "source_id"]]
        hint = f"; the quote occurs at {snap.find(quote)}" if quote in snap else "; the quote is not in the snapshot"
        problems.append(
            _problem(
                ctx, "statistics", i, "quote", f"snapshot[quote_start:quote_end] is {actual!r}, not the quote{hint}", quote
            )
        )
    return problems


def statistics_have_snapshot(ctx: Context) -> list[Problem]:
    snapshots = ctx.snapshot_by_source()
    stats = ctx.tables["statistics"]
    readable = [source_id for source_id, text in snapshots.items() if isinstance(text, str)]
    bad = stats[stats["source_id"].notna() & ~stats["source_id"].isin(readable)]
    return [
        _problem(ctx, "statistics", i, "source_id", "the source has no readable snapshot to quote from", r.source_id)
        for i, r in bad.iterrows()
    ]


def mentions_match_snapshot(ctx: Context) -> list[Problem]:
    mentions = ctx.tables["mentions"]
    return [
        _problem(
            ctx,
            "mentions",
            i,
            "mention_text",
            f"snapshot[mention_start:mention_end] is {actual!r}, not the mention text",
            mentions.at[i, "mention_text"],
        )
        for i, actual in _slice_mismatches("mentions", ctx, "mention_start", "mention_end", "mention_text")
    ]


def digit_runs(text: str, data: bytes | None = None) -> np.ndarray:
    """(start, end) code-point spans of the maximal runs of digits, as the regex \\d+ finds them.

    Scans the UTF-8 bytes with numpy (ASCII digits never occur inside a multi-byte character), then turns
    byte offsets into code-point offsets by subtracting the continuation bytes before them.
    """
    data = text.encode("utf-8") if data is None else data
    codes = np.frombuffer(data, dtype=np.uint8)
    continuation = np.flatnonzero((codes & 0xC0) == 0x80)
    non_ascii = data.translate(None, bytes(range(128))).decode("utf-8", errors="replace")
    if any(char.isdecimal() for char in set(non_ascii)):  # rare: let the regex handle non-ASCII digits
        return np.array([m.span() for m in DIGIT_RUN.finditer(text)], dtype=np.int64).reshape(-1, 2)
    padded = np.zeros(len(codes) + 2, dtype=bool)
    padded[1:-1] = (codes >= 48) & (codes <= 57)
    changes = np.flatnonzero(padded[1:] != padded[:-1]).astype(np.int64)
    spans = np.stack([changes[0::2], changes[1::2]], axis=1)
    return spans - np.searchsorted(continuation, spans)


def _runs_outside_mentions(runs: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int]]:
    """Digit runs not inside a mention, given mentions sorted by start that do not overlap."""
    if not len(starts):
        return [tuple(run) for run in runs]
    nearest = np.searchsorted(starts, runs[:, 0], side="right") - 1
    inside = (nearest >= 0) & (ends[nearest.clip(0)] >= runs[:, 1])
    return [tuple(run) for run in runs[~inside]]


def digit_runs_covered(ctx: Context) -> list[Problem]:
    """Every maximal run of digits of every snapshot lies in exactly one mention."""
    mentions = ctx.tables["mentions"].assign(
        start=ctx.ints("mentions", "mention_start"), end=ctx.ints("mentions", "mention_end")
    )
    problems = []
    for source_id, text in ctx.snapshot_by_source().items():
        if not isinstance(text, str):
            continue
        own = mentions[mentions["source_id"] == source_id].dropna(subset=["start", "end"]).sort_values("start")
        overlapping = own[own["start"] < own["end"].shift(1)]
        problems += [
            _problem(
                ctx,
                "mentions",
                i,
                "mention_start",
                "overlaps the mention before it; a number may be in one mention only",
                m.mention_text,
            )
            for i, m in overlapping.iterrows()
        ]
        starts, ends = own["start"].to_numpy(dtype=np.int64), own["end"].to_numpy(dtype=np.int64)
        path = ctx.snapshot_path(source_id)
        runs = digit_runs(text, ctx.snapshot_bytes(path) if path else None)
        for run_start, run_end in _runs_outside_mentions(runs, starts, ends):
            problems.append(
                Problem(
                    CHECK,
                    ctx.paths["mentions"],
                    f"source {source_id}: the number "
                    f"{text[run_start:run_end]!r} at {run_start}-{run_end} of the snapshot is in no "
                    "mention; add a row for it",
                    field="mention_start",
                )
            )
    return problems


def _mention_values(ctx: Context) -> pd.DataFrame:
    mentions = ctx.tables["mentions"]
    numbers = {}
    for text in mentions["mention_text"].dropna().unique():
        value = parse_mention(text)
        if value is not None:
            numbers[text] = float(value)
    return mentions.assign(
        parsed=mentions["mention_text"].map(numbers),
        start=ctx.ints("mentions", "mention_start"),
        end=ctx.ints("mentions", "mention_end"),
    )


def _statistic_lookup(ctx: Context) -> pd.DataFrame:
    """Value, quote offsets and source of each statistic, indexed by a unique statistic_id."""
    stats = ctx.tables["statistics"]
    lookup = pd.DataFrame(
        {
            "value": _float(stats["value"]).to_numpy(),
            "qs": ctx.ints("statistics", "quote_start").to_numpy(dtype="float64", na_value=np.nan),
            "qe": ctx.ints("statistics", "quote_end").to_numpy(dtype="float64", na_value=np.nan),
            "source_id": stats["source_id"].to_numpy(),
        },
        index=stats["statistic_id"].to_numpy(),
    )
    return lookup[~lookup.index.duplicated()]


def values_match_mentions(ctx: Context) -> list[Problem]:
    """Each statistic has a value mention inside its quote that reads as its value; every value mention agrees."""
    stats, mentions, lookup = ctx.tables["statistics"], _mention_values(ctx), _statistic_lookup(ctx)
    stated = mentions[mentions["role"].isin(VALUE_ROLES)]
    position = lookup.index.get_indexer(stated["statistic_id"])
    expected = pd.Series(np.where(position >= 0, lookup["value"].to_numpy()[position], np.nan), index=stated.index)
    wrong = stated[expected.notna() & (stated["parsed"] != expected)]
    problems = [
        _problem(
            ctx,
            "mentions",
            i,
            "mention_text",
            f"reads as {m.parsed}, but statistic {m.statistic_id!r} has value {expected[i]}",
            m.mention_text,
        )
        for i, m in wrong.iterrows()
    ]
    values = stated[(stated["role"] == VALUE_ROLES[0]) & (position >= 0)]
    found = lookup.iloc[lookup.index.get_indexer(values["statistic_id"])]
    inside = (
        (found["qs"].to_numpy() <= values["start"].to_numpy(dtype="float64", na_value=np.nan))
        & (values["end"].to_numpy(dtype="float64", na_value=np.nan) <= found["qe"].to_numpy())
        & (values["parsed"].to_numpy(dtype="float64", na_value=np.nan) == found["value"].to_numpy())
        & (values["source_id"].to_numpy() == found["source_id"].to_numpy())
    )
    confirmed = values["statistic_id"][inside].unique()
    missing = stats[~stats["statistic_id"].isin(confirmed) & _float(stats["value"]).notna()]
    return problems + [
        _problem(ctx, "statistics", i, "value", "no mention with role 'value' inside the quote reads as this value", s.value)
        for i, s in missing.iterrows()
    ]


def period_bounds_match(ctx: Context) -> list[Problem]:
    """A mention that bounds a period is the year of the statistic's period start or end."""
    stats, mentions = ctx.tables["statistics"], ctx.tables["mentions"]
    bounds = mentions[mentions["role"].isin(BOUND_ROLES)]
    periods = stats[["statistic_id", "period_start", "period_end"]].drop_duplicates("statistic_id")
    joined = bounds.reset_index().merge(periods, on="statistic_id", how="inner").set_index("index")
    year = joined["mention_text"].astype("string")
    ok = (year == joined["period_start"].str[:4]) | (year == joined["period_end"].str[:4])
    return [
        _problem(
            ctx,
            "mentions",
            i,
            "mention_text",
            f"year is not the start or end year of statistic {m.statistic_id!r}'s period",
            m.mention_text,
        )
        for i, m in joined[~ok.fillna(False)].iterrows()
    ]


def ordinals_state_nothing(ctx: Context) -> list[Problem]:
    mentions = ctx.tables["mentions"]
    is_ordinal = mentions["role"] == ORDINAL_ROLE
    linked = mentions[is_ordinal & mentions["statistic_id"].notna()]
    unlinked = mentions[~is_ordinal & mentions["role"].notna() & mentions["statistic_id"].isna()]
    return [
        _problem(ctx, "mentions", i, "statistic_id", "an ordinal states no statistic; leave it empty", m.statistic_id)
        for i, m in linked.iterrows()
    ] + [
        _problem(ctx, "mentions", i, "statistic_id", f"a {m.role!r} mention must name its statistic")
        for i, m in unlinked.iterrows()
    ]


def snapshot_hashes_match(ctx: Context) -> list[Problem]:
    """sources.csv and datapackage.json carry the real sha256 and size of each snapshot file."""
    declared = {r.get("path"): r for r in ctx.descriptor["resources"] if r.get("type") != "table"}
    problems = []
    for i, s in ctx.tables["sources"].dropna(subset=["snapshot_path"]).iterrows():
        data = ctx.snapshot_bytes(s.snapshot_path)
        if data is None:
            problems.append(_problem(ctx, "sources", i, "snapshot_path", "snapshot file is missing", s.snapshot_path))
            continue
        sha, size = hashlib.sha256(data).hexdigest(), len(data)
        if s.snapshot_sha256 != sha:
            problems.append(
                _problem(
                    ctx,
                    "sources",
                    i,
                    "snapshot_sha256",
                    f"the file's sha256 is {sha}; the snapshot changed or the hash is stale",
                    s.snapshot_sha256,
                )
            )
        if pd.to_numeric(s.snapshot_bytes, errors="coerce") != size:
            problems.append(_problem(ctx, "sources", i, "snapshot_bytes", f"the file has {size} bytes", s.snapshot_bytes))
        resource = declared.get(s.snapshot_path)
        if resource is None:
            problems.append(Problem(CHECK, DESCRIPTOR, f"no resource declares the snapshot {s.snapshot_path}"))
        elif resource.get("hash") != f"sha256:{sha}" or resource.get("bytes") != size:
            problems.append(
                Problem(
                    CHECK,
                    DESCRIPTOR,
                    f"resource {resource.get('name')!r}: hash and bytes must be sha256:{sha} and {size}",
                    field="hash",
                )
            )
    return problems


def inferred_fields_exist(ctx: Context) -> list[Problem]:
    stats = ctx.tables["statistics"]
    listed = stats["inferred_fields"].dropna()
    unknown = {value for value in listed.unique() if any(name not in stats.columns for name in value.split())}
    return [
        _problem(
            ctx,
            "statistics",
            i,
            "inferred_fields",
            f"{', '.join(repr(n) for n in value.split() if n not in stats.columns)} is not a field of statistics",
            value,
        )
        for i, value in listed[listed.isin(unknown)].items()
    ]


def _rows(ctx: Context, frame: pd.DataFrame, mask: pd.Series, field_name: str, message: str) -> list[Problem]:
    return [
        _problem(ctx, "cross_checks", i, field_name, message.format(**row), row[field_name])
        for i, row in frame[mask.fillna(False)].to_dict("index").items()
    ]


def cross_checks_consistent(ctx: Context) -> list[Problem]:
    """Cross-checks compare with other reports, agree only when they do, and every difference is in the notes."""
    checks, stats, sources = ctx.tables["cross_checks"], ctx.tables["statistics"], ctx.tables["sources"]
    merged = (
        checks.reset_index()
        .merge(stats[["statistic_id", "value", "value_bound", "notes"]], on="statistic_id", how="inner")
        .merge(sources[["source_id", "source_role", "short_name"]], on="source_id", how="inner")
        .set_index("index")
    )
    same = (pd.to_numeric(merged["reported_value"], errors="coerce") == pd.to_numeric(merged["value"], errors="coerce")) & (
        merged["reported_bound"] == merged["value_bound"]
    )
    pairs = zip(merged["short_name"], merged["notes"], strict=True)
    in_notes = pd.Series([str(name) in str(notes) for name, notes in pairs], index=merged.index, dtype=bool)
    return (
        _rows(
            ctx,
            merged,
            merged["source_role"] != "cross_check",
            "source_id",
            "compare only with sources whose source_role is cross_check",
        )
        + _rows(
            ctx,
            merged,
            (merged["agreement"] == "agrees") & ~same,
            "agreement",
            "'agrees' needs the statistic's value and bound ({value}, {value_bound})",
        )
        + _rows(
            ctx,
            merged,
            (merged["agreement"] == "not_reported") & merged["reported_value"].notna(),
            "reported_value",
            "a not_reported row carries no value",
        )
        + _rows(
            ctx,
            merged,
            (merged["agreement"] == "differs") & ~in_notes,
            "agreement",
            "the notes of statistic {statistic_id!r} in statistics.csv must describe the difference with {short_name}",
        )
    )


CHECKS: list[Callable[[Context], list[Problem]]] = [
    unit_matches_indicator,
    statistics_have_snapshot,
    quotes_match_snapshot,
    mentions_match_snapshot,
    digit_runs_covered,
    values_match_mentions,
    period_bounds_match,
    ordinals_state_nothing,
    snapshot_hashes_match,
    inferred_fields_exist,
    cross_checks_consistent,
]


def run_provenance_checks(ctx: Context) -> list[Problem]:
    problems = []
    for check in CHECKS:
        try:
            problems += check(ctx)
        except Exception as err:  # data so malformed that a check cannot run is itself a problem to report
            problems.append(
                Problem(
                    CHECK,
                    ctx.paths["statistics"],
                    f"check {check.__name__} could not run ({err!r}); fix the problems reported above first",
                )
            )
    return problems
