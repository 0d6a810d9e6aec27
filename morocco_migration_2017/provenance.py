"""Checks across tables and files that no schema language states: quotes, mentions, wording, dates, text.

Each check reads the typed tables (as load() returns them, already valid against their Table Schemas and
pandera schemas) and yields findings lazily: (table, row index or None, field, message, value), each at a
constant cost. Work per row is done on whole columns, and per distinct value for what needs Python. A check
that raises is a bug, not a finding: nothing here catches it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import regex
from iso3166 import countries

from .problems import Problem
from .wording import MENTION_PATTERN, PERIOD_PHRASE, implied_bound, implied_period, parse_mention

CHECK = "provenance"
# The mention roles these checks treat differently; a test holds them equal to the schema's enum of mentions.role.
VALUE_ROLES = ("value", "headline_value")
BOUND_ROLES = ("period_bound", "headline_period_bound")
HEADLINE_ROLES = ("headline_value", "headline_period_bound")
ORDINAL_ROLE = "ordinal"
FACTS = ("claimant", "claimant_role", "event", "event_location")  # statement fields with evidence spans
EARLIEST_DATE = pd.Timestamp("1956-03-02")  # Morocco's independence: no figure of its ministries is older
NEAR = 1_000  # how far around its offsets a quote is looked for, to say where it is
_HIDDEN = regex.compile(r"[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]")
_NOT_LATIN = regex.compile(r"[\p{L}--\p{Script=Latin}]", regex.V1)
Findings = Iterator[tuple[str, Any, str | None, str, Any]]


@dataclass
class Context:
    """What every provenance check reads: typed tables, snapshot texts by path, file names, the package's date.
    The checks use only tables, snapshots, created, snapshot_of() and path_of(), as a read Package offers."""

    tables: dict[str, pd.DataFrame]
    snapshots: dict[str, str]
    paths: dict[str, str]
    created: pd.Timestamp

    def snapshot_of(self) -> dict[str, str]:
        """Each source's snapshot text, by source_id, for sources whose snapshot was read."""
        sources = self.tables["sources"].dropna(subset=["snapshot_path"])
        pairs = zip(sources["source_id"], sources["snapshot_path"], strict=True)
        return {sid: self.snapshots[path] for sid, path in pairs if path in self.snapshots}

    def path_of(self, table: str) -> str:
        return self.paths[table]


def _per_value(values: Any, read: Callable[[Any], Any], missing: Any = None) -> np.ndarray:
    """read(value) for each value, computed once per distinct value; missing where the value is missing."""
    codes, uniques = pd.factorize(values)
    table = np.empty(len(uniques) + 1, dtype=object)
    for k, value in enumerate(uniques):
        table[k] = read(value)
    table[-1] = missing
    return table[codes]


def _position(keys: pd.Series, ids: pd.Series) -> np.ndarray:
    """The row position in ids of each key (its first, if an id repeats), -1 where absent: a positional join."""
    first = ~ids.duplicated().to_numpy()
    found = pd.Index(ids[first].astype(object)).get_indexer(keys.astype(object))
    return np.where(found >= 0, np.flatnonzero(first)[found], -1)


def _slices(texts: dict[str, str], sources: pd.Series, starts: Any, ends: Any) -> np.ndarray:
    """text[start:end] of each row's source, or None where the source has no snapshot."""
    rows = zip(sources.tolist(), list(starts), list(ends), strict=True)
    return np.array([texts[s][a:b] if s in texts else None for s, a, b in rows] + [None], dtype=object)[:-1]


def _snapshot_spans(texts: dict[str, str], frame: pd.DataFrame, start: str, end: str, field: str, table: str) -> Findings:
    """Rows whose source has no snapshot, and rows where snapshot[start:end] is not their field; the rest pass."""
    actual = _slices(texts, frame["source_id"], frame[start], frame[end])
    for i in np.flatnonzero(actual == None):  # noqa: E711 (an element-wise comparison)
        yield table, frame.index[i], "source_id", "the source has no snapshot to quote from", frame["source_id"].iat[i]
    for i in np.flatnonzero((actual != None) & (actual != frame[field].to_numpy(object, na_value=None))):  # noqa: E711
        row, wanted = frame.iloc[i], frame[field].iat[i]
        text, at = texts[row["source_id"]], max(0, int(row[start]) - NEAR)
        found = text.find(wanted, at, int(row[end]) + NEAR)
        hint = f"; the {field} occurs at {found}" if found >= 0 else f"; the {field} is not in the snapshot near {start}"
        yield table, frame.index[i], field, f"snapshot[{start}:{end}] is {actual[i]!r}, not the {field}{hint}", wanted


def quotes_match_snapshot(ctx: Context) -> Findings:
    yield from _snapshot_spans(
        ctx.snapshot_of(), ctx.tables["statistics"], "quote_start", "quote_end", "quote", "statistics"
    )


def mentions_match_snapshot(ctx: Context) -> Findings:
    """Each mention is the snapshot's characters at its offsets and one whole number as written (its currency,
    digits, scale word, ordinal suffix: wording.MENTION_PATTERN); every number of a snapshot is in a mention."""
    mentions, texts = ctx.tables["mentions"], ctx.snapshot_of()
    yield from _snapshot_spans(texts, mentions, "mention_start", "mention_end", "mention_text", "mentions")
    for source_id, text in texts.items():
        numbers = np.array([m.span() for m in MENTION_PATTERN.finditer(text)], dtype=np.int64).reshape(-1, 2)
        own = mentions[(mentions["source_id"] == source_id).to_numpy(bool)]
        starts, ends = own["mention_start"].to_numpy(np.int64), own["mention_end"].to_numpy(np.int64)
        whole = np.isin(starts << 32 | ends, numbers[:, 0] << 32 | numbers[:, 1])
        message = "a mention must hold a whole number as written: all its digits, and its currency sign, scale word and ordinal suffix"
        for i in np.flatnonzero(~whole):
            if text[starts[i] : ends[i]] == own["mention_text"].iat[i]:  # else the offsets are wrong, said above
                yield "mentions", own.index[i], "mention_text", message, own["mention_text"].iat[i]
        for a, b in numbers[~np.isin(numbers[:, 0] << 32 | numbers[:, 1], starts << 32 | ends)]:
            message = f"source {source_id}: the number {text[a:b]!r} at {a}-{b} of the snapshot is in no mention; add it"
            yield "mentions", None, "mention_start", message, None


def _value_mentions(ctx: Context) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Mentions with a value role, the row position of their statistic (-1: none), and what each reads as."""
    stats, mentions = ctx.tables["statistics"], ctx.tables["mentions"]
    stated = mentions[mentions["role"].isin(VALUE_ROLES).to_numpy(bool)]
    at = _position(stated["statistic_id"], stats["statistic_id"])
    return stated, at, _per_value(stated["mention_text"], parse_mention)


def _inside_quotes(ctx: Context) -> np.ndarray:
    """For each statistic, the position among mentions of its first 'value' mention inside its quote, or -1."""
    stats, mentions = ctx.tables["statistics"], ctx.tables["mentions"]
    at = _position(mentions["statistic_id"], stats["statistic_id"])
    ok = (mentions["role"] == "value").to_numpy(bool) & (at >= 0)
    quote = stats.iloc[at.clip(0)]
    ok &= (quote["quote_start"].to_numpy() <= mentions["mention_start"].to_numpy()) & (
        mentions["mention_end"].to_numpy() <= quote["quote_end"].to_numpy()
    )
    ok &= quote["source_id"].to_numpy(object, na_value=None) == mentions["source_id"].to_numpy(object, na_value=None)
    first = np.full(len(stats), -1)
    rows = np.flatnonzero(ok)[::-1]  # reversed, so the first mention's position is written last
    first[at[rows]] = rows
    return first


def values_match_mentions(ctx: Context) -> Findings:
    """Every value mention reads as its statistic's value; each statistic has one inside its quote."""
    stats = ctx.tables["statistics"]
    stated, at, parsed = _value_mentions(ctx)
    expected = np.append(stats["value"].to_numpy(object, na_value=None), None)[at]
    for i in np.flatnonzero((at >= 0) & (parsed != expected)):
        m = stated.iloc[i]
        read = "does not read as a value (an ordinal never does)" if parsed[i] is None else f"reads as {parsed[i]}"
        yield (
            "mentions",
            stated.index[i],
            "mention_text",
            f"{read}, but statistic {m.statistic_id!r} has value {expected[i]}",
            m.mention_text,
        )
    first, mentions = _inside_quotes(ctx), ctx.tables["mentions"]
    reads = np.zeros(len(stats), bool)
    reads[first >= 0] = (
        _per_value(mentions["mention_text"].iloc[first[first >= 0]], parse_mention)
        == stats["value"].to_numpy(object, na_value=None)[first >= 0]
    )
    for i in np.flatnonzero(~reads):
        yield (
            "statistics",
            stats.index[i],
            "value",
            "no mention with role 'value' inside the quote reads as this value",
            stats["value"].iat[i],
        )


def period_bounds_match(ctx: Context) -> Findings:
    """A mention that bounds a period is the year of its statistic's period start or end."""
    stats, mentions = ctx.tables["statistics"], ctx.tables["mentions"]
    bounds = mentions[mentions["role"].isin(BOUND_ROLES).to_numpy(bool)]
    at = _position(bounds["statistic_id"], stats["statistic_id"])
    years = [
        np.append(stats[end].dt.year.astype("Int64").astype(str).to_numpy(object, na_value=None), None)[at]
        for end in ("period_start", "period_end")
    ]
    text = bounds["mention_text"].to_numpy(object, na_value=None)
    for i in np.flatnonzero((at >= 0) & (text != years[0]) & (text != years[1])):
        yield (
            "mentions",
            bounds.index[i],
            "mention_text",
            f"year is not the start or end year of statistic {bounds['statistic_id'].iat[i]!r}'s period",
            text[i],
        )


def roles_fit_their_place(ctx: Context) -> Findings:
    """Only an ordinal (35th) has the ordinal role, and it states no statistic; every other role names one.
    Headline roles stand in the headline (a line of the snapshot that is the source's title), body roles not."""
    mentions, texts = ctx.tables["mentions"], ctx.snapshot_of()
    named, ordinal = mentions["statistic_id"].notna().to_numpy(bool), (mentions["role"] == ORDINAL_ROLE).to_numpy(bool)
    written = mentions["mention_text"].str.contains(r"\d(?:st|nd|rd|th)$").to_numpy(bool)
    for i in np.flatnonzero(ordinal == named):
        wrong = (
            "an ordinal states no statistic; leave it empty"
            if ordinal[i]
            else f"a {mentions['role'].iat[i]!r} mention must name its statistic"
        )
        yield "mentions", mentions.index[i], "statistic_id", wrong, mentions["statistic_id"].iat[i]
    for i in np.flatnonzero(ordinal != written):
        yield (
            "mentions",
            mentions.index[i],
            "role",
            "the role is 'ordinal' exactly for a number written as one (35th)",
            mentions["role"].iat[i],
        )
    titles = ctx.tables["sources"].set_index("source_id")["title"]
    for source_id, text in texts.items():
        lines = np.array(
            [m.span() for m in re.finditer(rf"^{re.escape(titles[source_id])}$", text, re.M)], np.int64
        ).reshape(-1, 2)
        own = mentions[(mentions["source_id"] == source_id).to_numpy(bool) & ~ordinal]
        start = own["mention_start"].to_numpy(np.int64)
        line = np.searchsorted(lines[:, 0], start, side="right") - 1
        in_headline = (line >= 0) & (start < np.append(lines[:, 1], 0)[line])
        for i in np.flatnonzero(in_headline != own["role"].isin(HEADLINE_ROLES).to_numpy(bool)):
            place = "in the headline" if in_headline[i] else "in the body"
            yield "mentions", own.index[i], "role", f"the mention stands {place}; its role must say so", own["role"].iat[i]


def bounds_follow_the_words(ctx: Context) -> Findings:
    """value_bound follows the words just before the value in the snapshot, whether or not the quote holds them."""
    stats, mentions, texts = ctx.tables["statistics"], ctx.tables["mentions"], ctx.snapshot_of()
    first = _inside_quotes(ctx)
    rows, value = np.flatnonzero(first >= 0), mentions.iloc[first[first >= 0]]
    before = _slices(texts, value["source_id"], (value["mention_start"] - 40).clip(0), value["mention_start"])
    read = _per_value(before, implied_bound, (None, ""))
    kept = stats["value_bound"].to_numpy(object, na_value=None)[rows]
    for k in np.flatnonzero([b != s for (b, _), s in zip(read, kept, strict=True)]):
        bound, words = read[k]
        message = (
            f"the words before the number end in {words!r}, which no rule reads yet: decide in wording.py whether it is a qualifier or neutral"
            if bound is None
            else f"the words before the number ({words if bound != 'point' else 'no qualifier'}) make it {bound}"
        )
        yield "statistics", stats.index[rows[k]], "value_bound", message, kept[k]


def units_are_named(ctx: Context) -> Findings:
    """The word of the quote that names a unit nearest the value is one of its indicator's unit_words."""
    stats, mentions, indicators = ctx.tables["statistics"], ctx.tables["mentions"], ctx.tables["indicators"]
    words = dict(zip(indicators["indicator_id"], indicators["unit_words"].str.split(), strict=True))
    every = sorted({w for ws in words.values() for w in ws}, key=len, reverse=True)
    finder = re.compile(r"(?<![A-Za-z])(?:" + "|".join(map(re.escape, every)) + r")(?![A-Za-z])")

    def nearest(key: tuple[str, int, int]) -> str | None:
        quote, a, b = key
        found = [(max(m.start() - b, a - m.end(), 0), m.group()) for m in finder.finditer(quote)]
        return min(found)[1] if found else None

    first = _inside_quotes(ctx)
    rows, value = np.flatnonzero(first >= 0), mentions.iloc[first[first >= 0]]
    quotes = stats.iloc[rows]
    a = value["mention_start"].to_numpy(np.int64) - quotes["quote_start"].to_numpy(np.int64)
    keys = pd.MultiIndex.from_arrays(
        [quotes["quote"].astype(object), a, a + value["mention_text"].str.len().to_numpy(np.int64)]
    )
    named = _per_value(keys, nearest)
    for k in np.flatnonzero([n not in words.get(i, ()) for n, i in zip(named, quotes["indicator_id"], strict=True)]):
        i = quotes["indicator_id"].iat[k]
        said = f"names its unit {named[k]!r}, not" if named[k] else "names none of"
        yield (
            "statistics",
            stats.index[rows[k]],
            "indicator_id",
            f"the quote {said} {i}'s unit_words ({' '.join(words.get(i, []))})",
            i,
        )


def _phrases(key: tuple[str, int, int]) -> str:
    """The period phrases of a window of the snapshot that overlap the quote at window[a:b], joined by ' / '."""
    window, a, b = key
    return " / ".join(m.group() for m in PERIOD_PHRASE.finditer(window) if m.start() < b and m.end() > a)


def periods_follow_the_words(ctx: Context) -> Findings:
    """period_text is the whole period phrase the snapshot attaches to the quote; period_type and period_start
    follow it, and a period given up to the statement ("so far", "since 2004") ends on its claim_date."""
    stats, statements = ctx.tables["statistics"], ctx.tables["statements"]
    claim = statements["claim_date"].to_numpy()[_position(stats["statement_id"], statements["statement_id"])]
    said = stats["period_text"].fillna("").to_numpy(object, na_value=None)
    implied = _per_value(pd.MultiIndex.from_arrays([said, pd.DatetimeIndex(claim).year]), lambda k: implied_period(*k))
    kind = np.array([None if p is None else p[0] for p in implied], dtype=object)
    start = pd.to_datetime([None if p is None else p[1] for p in implied]).to_numpy()
    quoted = _per_value(pd.MultiIndex.from_arrays([said, stats["quote"].astype(object)]), lambda k: k[0] in k[1])
    before = (stats["quote_start"] - 20).clip(0).to_numpy(np.int64)
    window = _slices(ctx.snapshot_of(), stats["source_id"], before, stats["quote_end"].to_numpy(np.int64) + 20)
    a = stats["quote_start"].to_numpy(np.int64) - before
    keys = pd.MultiIndex.from_arrays([np.where(window == None, "", window), a, a + stats["quote"].str.len().to_numpy()])  # noqa: E711
    phrases = _per_value(keys, _phrases)
    end = np.where(kind == "unspecified", np.datetime64("NaT"), claim)
    fits = quoted.astype(bool) & (phrases == said) & (stats["period_type"].to_numpy(object, na_value=None) == kind)
    for column, expected in (("period_start", start), ("period_end", end)):
        day = stats[column].to_numpy("datetime64[us]")
        fits &= (day == expected) | (np.isnat(day) & np.isnat(expected.astype("datetime64[us]")))
    for k in np.flatnonzero(~fits):
        yield from _period_findings(stats.index[k], stats.iloc[k], implied[k], bool(quoted[k]), phrases[k], claim[k])


def _period_findings(i: Any, s: Any, implied: Any, quoted: bool, phrases: str, claim: Any) -> Findings:
    text, day = (None if pd.isna(s.period_text) else s.period_text), pd.Timestamp(claim).date()
    if not quoted:
        yield "statistics", i, "period_text", "must be words of the quote", text
    elif implied is None:
        yield "statistics", i, "period_text", "no rule reads this wording yet: add one to wording.py", text
    elif phrases != (text or ""):
        yield "statistics", i, "period_text", f"must be the whole period phrase the source gives: {phrases!r}", text
    else:
        kind, start = implied
        if s.period_type != kind:
            yield "statistics", i, "period_type", f"period_text {text!r} makes it {kind}", s.period_type
        if (pd.Timestamp(start) if start else None) != (None if pd.isna(s.period_start) else s.period_start):
            yield "statistics", i, "period_start", f"period_text {text!r} makes it {start or 'empty'}", s.period_start
        if kind == "unspecified" and not pd.isna(s.period_end):
            yield "statistics", i, "period_end", "empty exactly when the source gives no period", s.period_end
        elif kind != "unspecified" and s.period_end != claim:
            yield (
                "statistics",
                i,
                "period_end",
                f"a period given up to the statement ends on its claim_date ({day})",
                s.period_end,
            )


def dates_are_plausible(ctx: Context) -> Findings:
    """Every date lies between EARLIEST_DATE and the package's creation; a report is not dated before the
    statement it reports, nor published before the day it cannot precede."""
    for table, frame in ctx.tables.items():
        for column in frame.select_dtypes("datetime64[us]"):
            for i, day in frame[column][(frame[column] < EARLIEST_DATE) | (frame[column] > ctx.created)].items():
                message = f"must lie between {EARLIEST_DATE.date()} and the package's creation ({ctx.created.date()})"
                yield table, i, column, message, day.date()
    statements, sources = ctx.tables["statements"], ctx.tables["sources"]
    published = sources["published"].fillna(sources["published_not_before"]).to_numpy()
    for i, day in sources["published"][sources["published"] < sources["published_not_before"]].items():
        yield "sources", i, "published", "is before published_not_before", day.date()
    for table in ("statistics", "cross_checks"):
        frame = ctx.tables[table]
        stats = ctx.tables["statistics"].iloc[_position(frame["statistic_id"], ctx.tables["statistics"]["statistic_id"])]
        claim = statements["claim_date"].to_numpy()[_position(stats["statement_id"], statements["statement_id"])]
        for k in np.flatnonzero(published[_position(frame["source_id"], sources["source_id"])] < claim):
            yield (
                table,
                frame.index[k],
                "source_id",
                "this report is dated before the statement it reports",
                frame["source_id"].iat[k],
            )


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


def _listed(values: pd.Series, name: str) -> np.ndarray:
    return _per_value(values, lambda v: name in v.split(), False).astype(bool)


def inferred_fields_hold(ctx: Context) -> Findings:
    """inferred_fields names fields of its row, and lists what the source leaves unprinted: a claim date or a
    statement fact the snapshot does not print, a period end that is an inferred claim date, a start read
    from a bare year."""
    statements, text = ctx.tables["statements"], " ".join(ctx.snapshot_of().values())
    for table in ("statistics", "statements"):
        frame = ctx.tables[table]
        unknown = _per_value(frame["inferred_fields"], lambda v: next((n for n in v.split() if n not in frame), None))  # noqa: B023
        for k in np.flatnonzero(unknown != None):  # noqa: E711
            yield (
                table,
                frame.index[k],
                "inferred_fields",
                f"{unknown[k]!r} is not a field of {table}",
                frame["inferred_fields"].iat[k],
            )
    claimed = _listed(statements["inferred_fields"], "claim_date")
    for i, st in zip(statements.index[~claimed], statements[~claimed].itertuples(), strict=True):
        day = st.claim_date
        if not any(
            form in text for form in (f"{day:%Y-%m-%d}", f"{day.day} {day:%B %Y}", f"{day:%B} {day.day}, {day.year}")
        ):
            yield "statements", i, "inferred_fields", "the snapshot does not print claim_date: list it", st.inferred_fields
    stats = ctx.tables["statistics"]
    at = _position(stats["statement_id"], statements["statement_id"])
    ends_on_inferred = np.append(claimed, False)[at] & (
        stats["period_end"].to_numpy() == statements["claim_date"].to_numpy()[at]
    )
    for field, unprinted in (
        ("period_end", ends_on_inferred),
        ("period_start", stats["period_type"] == "cumulative_since_date"),
    ):
        for k in np.flatnonzero(np.asarray(unprinted) & ~_listed(stats["inferred_fields"], field)):
            yield (
                "statistics",
                stats.index[k],
                "inferred_fields",
                f"{field} is not printed in the source: list it",
                stats["inferred_fields"].iat[k],
            )


def facts_have_evidence(ctx: Context) -> Findings:
    """Each fact of a statement is the primary snapshot's characters at its span, as whole words, or is listed
    in inferred_fields with no span."""
    sources, statements = ctx.tables["sources"], ctx.tables["statements"]
    primary = sources["source_id"][(sources["source_role"] == "primary").to_numpy(bool)].tolist()
    primary = ctx.snapshot_of().get(primary[0]) if len(primary) == 1 else None
    if primary is None:
        return  # no single primary source with a snapshot: sources_are_sound and the quote checks say so
    for field in FACTS:
        inferred, start, end = (
            _listed(statements["inferred_fields"], field),
            statements[f"{field}_start"],
            statements[f"{field}_end"],
        )
        for k in range(len(statements)):  # statements are few: one per speech
            a, b, value, say = start.iat[k], end.iat[k], statements[field].iat[k], None
            if pd.isna(a) or pd.isna(b):
                say = (
                    None
                    if inferred[k] and pd.isna(a) and pd.isna(b)
                    else f"give {field}_start and {field}_end, or list {field} in inferred_fields"
                )
            elif inferred[k]:
                say = f"a fact the snapshot prints at {field}_start:{field}_end is not inferred"
            elif (
                primary[a:b] != value
                or re.match(r"\w\w", primary[max(a - 1, 0) : a + 1] if a else "")
                or re.match(r"\w\w", primary[b - 1 : b + 1])
            ):
                say = f"must be worded as the primary snapshot prints it at {field}_start:{field}_end ({primary[a:b]!r}), as whole words"
            if say:
                yield "statements", statements.index[k], field, say, value


def cross_checks_consistent(ctx: Context) -> Findings:
    """Cross-checks compare with cross_check sources; 'agrees' gives the statistic's value, bound and period,
    'differs' differs in one of them, and not_reported carries nothing."""
    checks, sources, stats = ctx.tables["cross_checks"], ctx.tables["sources"], ctx.tables["statistics"]
    s = stats.iloc[_position(checks["statistic_id"], stats["statistic_id"])]
    year = ctx.tables["statements"].set_index("statement_id")["claim_date"].reindex(s["statement_id"]).dt.year.to_numpy()
    start = s["period_start"].dt.strftime("%Y-%m-%d").to_numpy(object, na_value=None)
    period = [
        implied_period(None if pd.isna(t) else t, y) for t, y in zip(checks["reported_period_text"], year, strict=True)
    ]
    same = (
        (checks["reported_value"].to_numpy(object, na_value=None) == s["value"].to_numpy(object, na_value=None))
        & (checks["reported_bound"].to_numpy(object, na_value=None) == s["value_bound"].to_numpy(object, na_value=None))
        & np.array(
            [
                p is not None and p == (k, None if pd.isna(d) else d)
                for p, k, d in zip(period, s["period_type"], start, strict=True)
            ],
            bool,
        )
    )
    no_value, agreement = checks["reported_value"].isna().to_numpy(), checks["agreement"].to_numpy(object, na_value=None)
    role = sources["source_role"].to_numpy(object, na_value=None)[_position(checks["source_id"], sources["source_id"])]
    rules = (
        (role != "cross_check", "source_id", "compare only with cross_check sources"),
        ((agreement == "agrees") & ~same, "agreement", "'agrees' needs the statistic's value, bound and period"),
        (
            (agreement == "differs") & same,
            "agreement",
            "'differs' needs a value, bound or period other than the statistic's",
        ),
        ((agreement == "not_reported") & ~no_value, "reported_value", "a not_reported row carries no value"),
        ((agreement != "not_reported") & no_value, "reported_value", "only a not_reported row has no value"),
    )
    for mask, field, message in rules:
        for k in np.flatnonzero(mask):
            yield "cross_checks", checks.index[k], field, message, checks[field].iat[k]


def places_agree(ctx: Context) -> Findings:
    """A country_code is an ISO 3166-1 code and its area that country's name; an area without one is no country."""
    stats = ctx.tables["statistics"]
    names = {n.casefold(): c.alpha2 for c in countries for n in (c.name, c.apolitical_name)}

    def fault(key: tuple[str, str]) -> str | None:
        area, code = key
        if code and (code not in countries or names.get(area.casefold()) != code):
            return (
                f"ISO 3166-1 names {code!r} {countries.get(code).name!r}"
                if code in countries
                else f"{code!r} is no ISO 3166-1 code"
            )
        return (
            None
            if code or area.casefold() not in names
            else f"{area!r} is a country: give its code {names[area.casefold()]}"
        )

    found = _per_value(
        pd.MultiIndex.from_arrays([stats["area"].astype(object), stats["country_code"].fillna("").astype(object)]), fault
    )
    for k in np.flatnonzero(found != None):  # noqa: E711
        yield (
            "statistics",
            stats.index[k],
            "country_code",
            f"area and country_code disagree: {found[k]}",
            stats["country_code"].iat[k],
        )


def _text_fault(text: str) -> str | None:
    hidden = _HIDDEN.search(text)
    if hidden:
        return f"invisible or control character U+{ord(hidden.group()):04X}"
    if not unicodedata.is_normalized("NFKC", text):
        return "not in Unicode normal form NFKC: a decomposed accent, or a compatibility form such as a styled letter"
    foreign = _NOT_LATIN.search(text)
    return (
        f"the letter {foreign.group()!r} (U+{ord(foreign.group()):04X}) is not in the Latin script of English text"
        if foreign
        else None
    )


def text_is_clean(ctx: Context) -> Findings:
    """Every text cell is English text as it reads: no control, invisible or format character, NFC, only Latin
    letters, no compatibility form. Plain printable ASCII, most cells, is passed over first."""
    for table, frame in ctx.tables.items():
        for column in frame.select_dtypes("string"):
            cells = frame[column]
            odd = cells[~cells.str.fullmatch(r"[ -~]*").fillna(True).to_numpy(bool)]
            found = _per_value(odd, _text_fault)
            for k in np.flatnonzero(found != None):  # noqa: E711
                yield table, odd.index[k], column, found[k], odd.iat[k]


CHECKS: list[Callable[[Context], Findings]] = [
    quotes_match_snapshot,
    mentions_match_snapshot,
    values_match_mentions,
    period_bounds_match,
    roles_fit_their_place,
    bounds_follow_the_words,
    units_are_named,
    periods_follow_the_words,
    dates_are_plausible,
    sources_are_sound,
    inferred_fields_hold,
    facts_have_evidence,
    cross_checks_consistent,
    places_agree,
    text_is_clean,
]


def problems(ctx: Context) -> Iterator[Problem]:
    """Every finding of every check as a Problem, lazily: the caller may stop after as many as it shows."""
    for check in CHECKS:
        for table, index, field, message, value in check(ctx):
            yield Problem(CHECK, ctx.path_of(table), message, None if index is None else int(index) + 2, field, value)


def run_provenance_checks(ctx: Context) -> list[Problem]:
    return list(problems(ctx))
