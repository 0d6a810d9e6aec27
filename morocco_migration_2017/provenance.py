"""Checks across tables and files that no schema language states: quotes, mentions, wording, dates, text.

Each check reads the typed tables (as load() returns them, already valid against their Table Schemas and
pandera schemas) and yields findings: (table, row index or None, field, message, value). A check that
raises is a bug, not a finding: nothing here catches it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .numbers import DIGIT_RUN, parse_mention
from .problems import Problem
from .wording import implied_bound, implied_period

CHECK = "provenance"
# The mention roles these checks treat differently; a test holds them equal to the schema's enum of mentions.role.
VALUE_ROLES = ("value", "headline_value")
BOUND_ROLES = ("period_bound", "headline_period_bound")
HEADLINE_ROLES = ("headline_value", "headline_period_bound")
ORDINAL_ROLE = "ordinal"
EARLIEST_DATE = pd.Timestamp("1956-03-02")  # Morocco's independence: no figure of its ministries is older
_WORD = re.compile(r"\w+")
Findings = Iterator[tuple[str, Any, str | None, str, Any]]


@dataclass
class Context:
    """What every provenance check reads: typed tables, snapshot texts by path, file names, the package's date."""

    tables: dict[str, pd.DataFrame]
    snapshots: dict[str, str]
    paths: dict[str, str]
    created: pd.Timestamp

    def snapshot_of(self) -> dict[str, str]:
        """Each source's snapshot text, by source_id, for sources whose snapshot was read."""
        sources = self.tables["sources"].dropna(subset=["snapshot_path"])
        pairs = zip(sources["source_id"], sources["snapshot_path"], strict=True)
        return {sid: self.snapshots[path] for sid, path in pairs if path in self.snapshots}


def _rows(frame: pd.DataFrame) -> Iterator[tuple[Any, Any]]:
    """(index, row) pairs, rows as named tuples: iterrows builds a Series per row, ten times slower."""
    return zip(frame.index, frame.itertuples(index=False), strict=True)


def _spans(frame: pd.DataFrame, texts: dict[str, str], start: str, end: str) -> pd.Series:
    """snapshot[start:end] of each row, or None where its source has no snapshot."""
    rows = zip(frame["source_id"], frame[start], frame[end], strict=True)
    return pd.Series([texts[s][a:b] if s in texts else None for s, a, b in rows], index=frame.index, dtype=object)


def quotes_match_snapshot(ctx: Context) -> Findings:
    stats, texts = ctx.tables["statistics"], ctx.snapshot_of()
    actual = _spans(stats, texts, "quote_start", "quote_end")
    for i, source in stats["source_id"][actual.isna()].items():
        yield "statistics", i, "source_id", "the source has no snapshot to quote from", source
    for i in stats.index[actual.notna() & (actual != stats["quote"])]:
        quote, text = stats.at[i, "quote"], texts[stats.at[i, "source_id"]]
        hint = f"; the quote occurs at {text.find(quote)}" if quote in text else "; the quote is not in the snapshot"
        yield "statistics", i, "quote", f"snapshot[quote_start:quote_end] is {actual[i]!r}, not the quote{hint}", quote


def mentions_match_snapshot(ctx: Context) -> Findings:
    """A mention is the snapshot's characters at its offsets, and a whole number: a digit, none just outside."""
    mentions, texts = ctx.tables["mentions"], ctx.snapshot_of()
    actual = _spans(mentions, texts, "mention_start", "mention_end")
    for i, source in mentions["source_id"][actual.isna()].items():
        yield "mentions", i, "source_id", "the source has no snapshot", source
    wrong = actual.notna() & (actual != mentions["mention_text"])
    for i in mentions.index[wrong]:
        message = f"snapshot[mention_start:mention_end] is {actual[i]!r}, not the mention text"
        yield "mentions", i, "mention_text", message, mentions.at[i, "mention_text"]
    rows = mentions[actual.notna() & ~wrong]
    edges = [
        texts[s][a - 1 : a] + texts[s][b : b + 1]
        for s, a, b in zip(rows.source_id, rows.mention_start, rows.mention_end, strict=True)
    ]
    cut = pd.Series([any(c.isdigit() for c in edge) for edge in edges], index=rows.index, dtype=bool)
    for i, text in rows["mention_text"][cut | ~rows["mention_text"].str.contains(r"\d")].items():
        yield (
            "mentions",
            i,
            "mention_text",
            "a mention must hold a whole number: a digit, and no digit just outside it",
            text,
        )


def digit_runs(text: str) -> np.ndarray:
    """(start, end) code-point spans of the maximal runs of digits, as the regex \\d+ finds them."""
    return np.array([m.span() for m in DIGIT_RUN.finditer(text)], dtype=np.int64).reshape(-1, 2)


def digit_runs_covered(ctx: Context) -> Findings:
    """Every maximal run of digits of every snapshot lies in exactly one mention."""
    mentions = ctx.tables["mentions"]
    for source_id, text in ctx.snapshot_of().items():
        own = mentions[mentions["source_id"] == source_id].sort_values("mention_start")
        for i, m in _rows(own[own["mention_start"] < own["mention_end"].shift(1)]):
            message = "overlaps the mention before it; a number may be in one mention only"
            yield "mentions", i, "mention_start", message, m.mention_text
        starts, ends, runs = own["mention_start"].to_numpy(np.int64), own["mention_end"].to_numpy(np.int64), digit_runs(text)
        nearest = np.searchsorted(starts, runs[:, 0], side="right") - 1
        inside = (nearest >= 0) & (ends[nearest.clip(0)] >= runs[:, 1]) if len(starts) else np.zeros(len(runs), bool)
        for a, b in runs[~inside]:
            message = f"source {source_id}: the number {text[a:b]!r} at {a}-{b} of the snapshot is in no mention; add it"
            yield "mentions", None, "mention_start", message, None


def values_match_mentions(ctx: Context) -> Findings:
    """Each statistic has a value mention inside its quote that reads as its value; every value mention agrees."""
    stats, mentions = ctx.tables["statistics"], ctx.tables["mentions"]
    lookup = stats.set_index("statistic_id")
    stated = mentions[mentions["role"].isin(VALUE_ROLES) & mentions["statistic_id"].isin(lookup.index)]
    parsed = stated["mention_text"].map({text: parse_mention(text) for text in stated["mention_text"].unique()})
    expected = stated["statistic_id"].map(lookup["value"]).astype(object)
    for i, m in _rows(stated[parsed != expected]):
        message = f"reads as {parsed[i]}, but statistic {m.statistic_id!r} has value {expected[i]}"
        yield "mentions", i, "mention_text", message, m.mention_text
    values = stated[(stated["role"] == "value") & (parsed == expected)]
    quote = lookup.loc[values["statistic_id"]]
    inside = (
        (quote["quote_start"].to_numpy() <= values["mention_start"].to_numpy())
        & (values["mention_end"].to_numpy() <= quote["quote_end"].to_numpy())
        & (quote["source_id"].to_numpy() == values["source_id"].to_numpy())
    )
    for i, value in stats["value"][~stats["statistic_id"].isin(set(values["statistic_id"][inside]))].items():
        yield "statistics", i, "value", "no mention with role 'value' inside the quote reads as this value", value


def period_bounds_match(ctx: Context) -> Findings:
    """A mention that bounds a period is the year of its statistic's period start or end."""
    stats, mentions = ctx.tables["statistics"].set_index("statistic_id"), ctx.tables["mentions"]
    bounds = mentions[mentions["role"].isin(BOUND_ROLES) & mentions["statistic_id"].isin(stats.index)]
    years = [
        bounds["statistic_id"].map(stats[end].dt.year).astype("Int64").astype(str) for end in ("period_start", "period_end")
    ]
    for i, m in _rows(bounds[(bounds["mention_text"] != years[0]) & (bounds["mention_text"] != years[1])]):
        message = f"year is not the start or end year of statistic {m.statistic_id!r}'s period"
        yield "mentions", i, "mention_text", message, m.mention_text


def _line(text: str, at: int) -> str:
    end = text.find("\n", at)
    return text[text.rfind("\n", 0, at) + 1 : end if end >= 0 else None]


def roles_fit_their_place(ctx: Context) -> Findings:
    """An ordinal states no statistic, every other role names one; headline roles stand in the headline
    (a line of the snapshot that is the source's title), body roles do not."""
    mentions, texts = ctx.tables["mentions"], ctx.snapshot_of()
    named, ordinal = mentions["statistic_id"].notna(), mentions["role"] == ORDINAL_ROLE
    for i, m in _rows(mentions[ordinal == named]):
        wrong = (
            "an ordinal states no statistic; leave it empty"
            if m.role == ORDINAL_ROLE
            else f"a {m.role!r} mention must name its statistic"
        )
        yield "mentions", i, "statistic_id", wrong, m.statistic_id
    rows = mentions[~ordinal & mentions["source_id"].isin(list(texts))]
    lines = pd.Series(
        [_line(texts[s], a) for s, a in zip(rows.source_id, rows.mention_start, strict=True)], index=rows.index, dtype=object
    )
    in_headline = lines == rows["source_id"].map(ctx.tables["sources"].set_index("source_id")["title"])
    for i, role in rows["role"][in_headline != rows["role"].isin(HEADLINE_ROLES)].items():
        yield (
            "mentions",
            i,
            "role",
            f"the mention stands {'in the headline' if in_headline[i] else 'in the body'}; its role must say so",
            role,
        )


def wording_fits_columns(ctx: Context) -> Findings:
    """value_bound follows the qualifier before the number; period_type and period_start follow period_text,
    which is words of the quote."""
    stats, mentions, texts = ctx.tables["statistics"], ctx.tables["mentions"], ctx.snapshot_of()
    values = mentions[mentions["role"] == "value"].drop_duplicates("statistic_id").set_index("statistic_id")["mention_start"]
    starts = stats["statistic_id"].map(values)
    rows = stats[starts.notna() & stats["source_id"].isin(list(texts))]
    spans = zip(rows.source_id, rows.quote_start, starts[rows.index], strict=True)
    before = [texts[source][max(quoted, int(at) - 40) : int(at)] for source, quoted, at in spans]
    read = {text: implied_bound(text) for text in set(before)}  # the same few phrasings recur across rows
    for i, text, kept in zip(rows.index, before, rows.value_bound, strict=True):
        bound, qualifier = read[text]
        if bound is None:
            message = f"the qualifier {qualifier!r} has no bound rule yet: decide it in wording.py"
            yield "statistics", i, "value_bound", message, kept
        elif bound != kept:
            message = f"the words before the number ({qualifier or 'no qualifier'}) make it {bound}"
            yield "statistics", i, "value_bound", message, kept
    periods = {text: implied_period(text) for text in stats["period_text"].dropna().unique()} | {None: implied_period(None)}
    for i, s in _rows(stats):
        yield from _period_findings(i, s, periods)


def _period_findings(i: Any, s: Any, periods: dict[str | None, tuple[str, str | None] | None]) -> Findings:
    text = None if pd.isna(s.period_text) else s.period_text
    implied = periods[text]
    if text and text not in s.quote:
        yield "statistics", i, "period_text", "must be words of the quote", text
    elif implied is None:
        yield "statistics", i, "period_text", "no rule reads this wording yet: add one to wording.py", text
    else:
        kind, start = implied
        if s.period_type != kind:
            yield "statistics", i, "period_type", f"period_text {text!r} makes it {kind}", s.period_type
        if (pd.Timestamp(start) if start else None) != (None if pd.isna(s.period_start) else s.period_start):
            yield "statistics", i, "period_start", f"period_text {text!r} makes it {start or 'empty'}", s.period_start
        if (kind == "unspecified") != pd.isna(s.period_end):
            yield "statistics", i, "period_end", "empty exactly when the source gives no period", s.period_end


def dates_are_plausible(ctx: Context) -> Findings:
    """Every date lies between EARLIEST_DATE and the package's creation; a period ends by its statement, and a
    statement precedes every report of it."""
    for table, frame in ctx.tables.items():
        for column in frame.select_dtypes("datetime64[us]"):
            for i, day in frame[column][(frame[column] < EARLIEST_DATE) | (frame[column] > ctx.created)].items():
                message = f"must lie between {EARLIEST_DATE.date()} and the package's creation ({ctx.created.date()})"
                yield table, i, column, message, day.date()
    claims = ctx.tables["statements"].set_index("statement_id")["claim_date"]
    stats = ctx.tables["statistics"].assign(claim=lambda f: f["statement_id"].map(claims))
    for i, s in _rows(stats[stats["period_end"] > stats["claim"]]):
        yield "statistics", i, "period_end", "ends after the statement that gives it (claim_date)", s.period_end.date()
    sources = ctx.tables["sources"].set_index("source_id")
    published = sources["published"].fillna(sources["published_not_before"])
    checks = ctx.tables["cross_checks"]
    claim_of_check = checks["statistic_id"].map(stats.set_index("statistic_id")["claim"])
    for table, frame, claim in (("statistics", stats, stats["claim"]), ("cross_checks", checks, claim_of_check)):
        for i, source in frame["source_id"][frame["source_id"].map(published) < claim].items():
            yield table, i, "source_id", "this report is dated before the statement it reports", source


def sources_are_sound(ctx: Context) -> Findings:
    """Exactly one primary source, and every snapshot pinned (path, hash, size) in the descriptor's sources."""
    sources = ctx.tables["sources"]
    if (sources["source_role"] == "primary").sum() != 1:
        message = f"exactly one source must be primary, not {(sources['source_role'] == 'primary').sum()}"
        yield "sources", None, "source_role", message, None
    for i, path in sources["snapshot_path"].dropna().items():
        if path not in ctx.snapshots:
            message = "the snapshot is not pinned (path, hash, bytes) in the sources of datapackage.json"
            yield "sources", i, "snapshot_path", message, path


def _listed(value: Any) -> set[str]:
    return set(value.split()) if isinstance(value, str) else set()


def inferred_fields_hold(ctx: Context) -> Findings:
    """inferred_fields names fields of its row, and lists what the source leaves unprinted: a claim date the
    snapshot does not print, a period end that is an inferred statement date, a start read from a bare year."""
    statements, text = ctx.tables["statements"], " ".join(ctx.snapshot_of().values())
    for table in ("statistics", "statements"):
        for i, value in ctx.tables[table]["inferred_fields"].dropna().items():
            for name in [n for n in value.split() if n not in ctx.tables[table].columns][:1]:
                yield table, i, "inferred_fields", f"{name!r} is not a field of {table}", value
    inferred_claims = set(
        statements["statement_id"][statements["inferred_fields"].map(lambda v: "claim_date" in _listed(v))]
    )
    for i, st in _rows(statements[~statements["statement_id"].isin(inferred_claims)]):
        day = st.claim_date
        if not any(
            form in text for form in (f"{day:%Y-%m-%d}", f"{day.day} {day:%B %Y}", f"{day:%B} {day.day}, {day.year}")
        ):
            yield "statements", i, "inferred_fields", "the snapshot does not print claim_date: list it", st.inferred_fields
    claims = statements.set_index("statement_id")["claim_date"]
    for i, s in _rows(ctx.tables["statistics"]):
        ends_on_claim = s.statement_id in inferred_claims and s.period_end == claims.get(s.statement_id)
        for field, unprinted in (("period_end", ends_on_claim), ("period_start", s.period_type == "cumulative_since_date")):
            if unprinted and field not in _listed(s.inferred_fields):
                yield "statistics", i, "inferred_fields", f"{field} is not printed in the source: list it", s.inferred_fields


def cross_checks_consistent(ctx: Context) -> Findings:
    """Cross-checks compare with cross_check sources, agree only when they do, and not_reported carries nothing."""
    checks, sources = ctx.tables["cross_checks"], ctx.tables["sources"].set_index("source_id")
    stats = ctx.tables["statistics"].set_index("statistic_id")
    same = (checks["reported_value"] == checks["statistic_id"].map(stats["value"])).fillna(False) & (
        checks["reported_bound"].astype(object) == checks["statistic_id"].map(stats["value_bound"]).astype(object)
    )
    no_value, not_reported = checks["reported_value"].isna(), checks["agreement"] == "not_reported"
    rules = (
        (
            checks["source_id"].map(sources["source_role"]) != "cross_check",
            "source_id",
            "compare only with cross_check sources",
        ),
        ((checks["agreement"] == "agrees") & ~same, "agreement", "'agrees' needs the statistic's value and bound"),
        (not_reported & ~no_value, "reported_value", "a not_reported row carries no value"),
        (~not_reported & no_value, "reported_value", "only a not_reported row has no value"),
    )
    for mask, field, message in rules:
        for i in checks.index[mask]:
            yield "cross_checks", i, field, message, checks.at[i, field]


def statement_named_as_printed(ctx: Context) -> Findings:
    """The claimant, role, event and place are worded exactly as the snapshot words them, as whole words."""
    stats, texts = ctx.tables["statistics"], ctx.snapshot_of()
    for i, s in _rows(ctx.tables["statements"]):
        quoted = [texts[sid] for sid in stats["source_id"][stats["statement_id"] == s.statement_id].unique() if sid in texts]
        for field in ("claimant", "claimant_role", "event", "event_location"):
            words = re.compile(rf"(?<!\w){re.escape(getattr(s, field))}(?!\w)")
            if quoted and not any(words.search(text) for text in quoted):
                yield "statements", i, field, "must be worded as the snapshot words it", getattr(s, field)


def _text_fault(text: str) -> str | None:
    if text.isascii():
        return None if text.isprintable() else "control character"
    hidden = next((c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs")), None)
    if hidden:
        return f"invisible or control character U+{ord(hidden):04X}"
    if not unicodedata.is_normalized("NFC", text):
        return "not in Unicode normal form NFC"
    for word in _WORD.findall(text):
        scripts = {unicodedata.name(c, "").split(" ")[0] for c in word if c.isalpha()}
        if "LATIN" in scripts and scripts & {"CYRILLIC", "GREEK"}:
            return f"the word {word!r} mixes Latin with Cyrillic or Greek letters"
    return None


def text_is_clean(ctx: Context) -> Findings:
    """No text cell hides characters: no control, zero-width or bidi character, NFC, no mixed-script word."""
    for table, frame in ctx.tables.items():
        for column in frame.select_dtypes("string"):
            faults = {text: _text_fault(text) for text in frame[column].dropna().unique()}
            for i, fault in frame[column].map(faults.get, na_action="ignore").dropna().items():
                yield table, i, column, fault, frame.at[i, column]


CHECKS: list[Callable[[Context], Findings]] = [
    quotes_match_snapshot,
    mentions_match_snapshot,
    digit_runs_covered,
    values_match_mentions,
    period_bounds_match,
    roles_fit_their_place,
    wording_fits_columns,
    dates_are_plausible,
    sources_are_sound,
    inferred_fields_hold,
    cross_checks_consistent,
    statement_named_as_printed,
    text_is_clean,
]


def run_provenance_checks(ctx: Context) -> list[Problem]:
    return [
        Problem(CHECK, ctx.paths[table], message, row=None if index is None else int(index) + 2, field=field, value=value)
        for check in CHECKS
        for table, index, field, message, value in check(ctx)
    ]
