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


@dataclass
class Context:
    """What every provenance check reads: the package folder, its descriptor and its raw tables."""

    root: Path
    descriptor: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    paths: dict[str, str]
    _snapshots: dict[str, str | None] = field(default_factory=dict)

    def snapshot(self, relpath: str) -> str | None:
        """A snapshot's text, decoded without touching line endings; None if unreadable or unsafe."""
        if relpath not in self._snapshots:
            path = self.root / relpath
            ok = unsafe_path_reason(relpath) is None and path.is_file()
            self._snapshots[relpath] = path.read_bytes().decode("utf-8", errors="replace") if ok else None
        return self._snapshots[relpath]

    def snapshot_by_source(self) -> dict[str, str | None]:
        sources = self.tables["sources"].dropna(subset=["snapshot_path"])
        return {sid: self.snapshot(path) for sid, path in zip(sources["source_id"], sources["snapshot_path"], strict=True)}


def _int(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype("Int64")


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


def quotes_match_snapshot(ctx: Context) -> list[Problem]:
    stats = ctx.tables["statistics"]
    texts = stats["source_id"].map(ctx.snapshot_by_source())
    start, end = _int(stats["quote_start"]), _int(stats["quote_end"])
    problems = []
    for i in stats.index:
        text, quote = texts[i], stats.at[i, "quote"]
        if not isinstance(text, str) or pd.isna(start[i]) or pd.isna(end[i]) or pd.isna(quote):
            continue
        actual = text[start[i] : end[i]]
        if actual != quote:
            hint = f"; the quote occurs at {text.find(quote)}" if quote in text else "; the quote is not in the snapshot"
            problems.append(
                _problem(
                    ctx,
                    "statistics",
                    i,
                    "quote",
                    f"snapshot[quote_start:quote_end] is {actual!r}, not the quote{hint}",
                    quote,
                )
            )
    return problems


def statistics_have_snapshot(ctx: Context) -> list[Problem]:
    snapshots = ctx.snapshot_by_source()
    stats = ctx.tables["statistics"]
    bad = stats[stats["source_id"].notna() & ~stats["source_id"].map(lambda s: isinstance(snapshots.get(s), str))]
    return [
        _problem(ctx, "statistics", i, "source_id", "the source has no readable snapshot to quote from", r.source_id)
        for i, r in bad.iterrows()
    ]


def mentions_match_snapshot(ctx: Context) -> list[Problem]:
    mentions = ctx.tables["mentions"]
    texts = mentions["source_id"].map(ctx.snapshot_by_source())
    start, end = _int(mentions["mention_start"]), _int(mentions["mention_end"])
    problems = []
    for i in mentions.index:
        text = texts[i]
        if isinstance(text, str) and not pd.isna(start[i]) and not pd.isna(end[i]):
            actual = text[start[i] : end[i]]
            if actual != mentions.at[i, "mention_text"]:
                problems.append(
                    _problem(
                        ctx,
                        "mentions",
                        i,
                        "mention_text",
                        f"snapshot[mention_start:mention_end] is {actual!r}, not the mention text",
                        mentions.at[i, "mention_text"],
                    )
                )
    return problems


def _runs_outside_mentions(text: str, starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int]]:
    """Digit runs not inside a mention, given mentions sorted by start that do not overlap."""
    runs = np.array([m.span() for m in DIGIT_RUN.finditer(text)], dtype=np.int64).reshape(-1, 2)
    if not len(starts):
        return [tuple(run) for run in runs]
    nearest = np.searchsorted(starts, runs[:, 0], side="right") - 1
    inside = (nearest >= 0) & (ends[nearest.clip(0)] >= runs[:, 1])
    return [tuple(run) for run in runs[~inside]]


def digit_runs_covered(ctx: Context) -> list[Problem]:
    """Every maximal run of digits of every snapshot lies in exactly one mention."""
    mentions = ctx.tables["mentions"].assign(
        start=_int(ctx.tables["mentions"]["mention_start"]), end=_int(ctx.tables["mentions"]["mention_end"])
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
        for run_start, run_end in _runs_outside_mentions(text, starts, ends):
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
    texts = mentions["mention_text"].dropna().unique()
    parsed = {text: parse_mention(text) for text in texts}
    numbers = {text: float(value) for text, value in parsed.items() if value is not None}
    return mentions.assign(
        parsed=mentions["mention_text"].map(numbers),
        start=_int(mentions["mention_start"]),
        end=_int(mentions["mention_end"]),
    )


def values_match_mentions(ctx: Context) -> list[Problem]:
    """Each statistic has a value mention inside its quote that reads as its value; every value mention agrees."""
    stats, mentions = ctx.tables["statistics"], _mention_values(ctx)
    values = pd.to_numeric(stats["value"], errors="coerce")
    by_id = pd.Series(values.to_numpy(), index=stats["statistic_id"]).groupby(level=0).first()
    stated = mentions[mentions["role"].isin(["value", "headline_value"]) & mentions["statistic_id"].isin(by_id.index)]
    expected = stated["statistic_id"].map(by_id)
    wrong = stated[expected.notna() & (stated["parsed"] != expected)]
    problems = [
        _problem(
            ctx,
            "mentions",
            i,
            "mention_text",
            f"reads as {m.parsed}, but statistic {m.statistic_id!r} has value {by_id[m.statistic_id]}",
            m.mention_text,
        )
        for i, m in wrong.iterrows()
    ]
    inside = mentions[mentions["role"] == "value"].merge(
        stats.assign(qs=_int(stats["quote_start"]), qe=_int(stats["quote_end"]), v=values), on=["statistic_id", "source_id"]
    )
    inside = inside[(inside["qs"] <= inside["start"]) & (inside["end"] <= inside["qe"]) & (inside["parsed"] == inside["v"])]
    missing = stats[~stats["statistic_id"].isin(inside["statistic_id"]) & values.notna()]
    return problems + [
        _problem(ctx, "statistics", i, "value", "no mention with role 'value' inside the quote reads as this value", s.value)
        for i, s in missing.iterrows()
    ]


def period_bounds_match(ctx: Context) -> list[Problem]:
    """A mention that bounds a period is the year of the statistic's period start or end."""
    stats, mentions = ctx.tables["statistics"], ctx.tables["mentions"]
    bounds = mentions[mentions["role"].isin(["period_bound", "headline_period_bound"])]
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
    is_ordinal = mentions["role"] == "ordinal"
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
        path = ctx.root / s.snapshot_path
        if unsafe_path_reason(s.snapshot_path) or not path.is_file():
            problems.append(_problem(ctx, "sources", i, "snapshot_path", "snapshot file is missing", s.snapshot_path))
            continue
        data = path.read_bytes()
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
    names = stats["inferred_fields"].str.split().explode().dropna()
    bad = names[~names.isin(stats.columns)]
    return [
        _problem(
            ctx, "statistics", i, "inferred_fields", f"{name!r} is not a field of statistics", stats.at[i, "inferred_fields"]
        )
        for i, name in bad.items()
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
    return [problem for check in CHECKS for problem in check(ctx)]
