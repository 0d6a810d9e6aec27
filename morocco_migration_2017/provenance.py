"""Checks across tables and files that no schema language states: quotes, mentions, wording, dates, text.

Each check takes the typed tables (as load() returns them, already valid against their Table Schemas and
pandera schemas) and returns Problems. A check that raises is a bug, not a finding: it is not caught here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
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

    def problem(self, table: str, index: Any, field: str | None, message: str, value: Any = None) -> Problem:
        return Problem(CHECK, self.paths[table], message, row=int(index) + 2, field=field, value=value)


def _spans(frame: pd.DataFrame, texts: dict[str, str], start: str, end: str) -> pd.Series:
    """snapshot[start:end] of each row, or None where its source has no snapshot."""
    rows = zip(frame["source_id"], frame[start], frame[end], strict=True)
    return pd.Series([texts[s][a:b] if s in texts else None for s, a, b in rows], index=frame.index, dtype=object)


def quotes_match_snapshot(ctx: Context) -> list[Problem]:
    stats, texts = ctx.tables["statistics"], ctx.snapshot_of()
    actual = _spans(stats, texts, "quote_start", "quote_end")
    problems = [
        ctx.problem("statistics", i, "source_id", "the source has no snapshot to quote from", s)
        for i, s in stats["source_id"][actual.isna()].items()
    ]
    for i in stats.index[actual.notna() & (actual != stats["quote"])]:
        quote, text = stats.at[i, "quote"], texts[stats.at[i, "source_id"]]
        hint = f"; the quote occurs at {text.find(quote)}" if quote in text else "; the quote is not in the snapshot"
        message = f"snapshot[quote_start:quote_end] is {actual[i]!r}, not the quote{hint}"
        problems.append(ctx.problem("statistics", i, "quote", message, quote))
    return problems


def mentions_match_snapshot(ctx: Context) -> list[Problem]:
    """A mention is the snapshot's characters at its offsets, and a whole number of it: it holds a digit and
    does not cut a run of digits at either end."""
    mentions, texts = ctx.tables["mentions"], ctx.snapshot_of()
    actual = _spans(mentions, texts, "mention_start", "mention_end")
    problems = [
        ctx.problem("mentions", i, "source_id", "the source has no snapshot", s)
        for i, s in mentions["source_id"][actual.isna()].items()
    ]
    for i, m in mentions[actual.notna()].iterrows():
        text, start, end = texts[m.source_id], m.mention_start, m.mention_end
        if actual[i] != m.mention_text:
            message = f"snapshot[mention_start:mention_end] is {actual[i]!r}, not the mention text"
            problems.append(ctx.problem("mentions", i, "mention_text", message, m.mention_text))
        elif not DIGIT_RUN.search(actual[i]) or text[start - 1 : start].isdigit() or text[end : end + 1].isdigit():
            message = "a mention must hold a whole number of the snapshot: a digit, and no digit just outside it"
            problems.append(ctx.problem("mentions", i, "mention_text", message, m.mention_text))
    return problems


def digit_runs(text: str) -> np.ndarray:
    """(start, end) code-point spans of the maximal runs of digits, as the regex \\d+ finds them."""
    return np.array([m.span() for m in DIGIT_RUN.finditer(text)], dtype=np.int64).reshape(-1, 2)


def digit_runs_covered(ctx: Context) -> list[Problem]:
    """Every maximal run of digits of every snapshot lies in exactly one mention."""
    mentions, problems = ctx.tables["mentions"], []
    for source_id, text in ctx.snapshot_of().items():
        own = mentions[mentions["source_id"] == source_id].sort_values("mention_start")
        overlapping = own[own["mention_start"] < own["mention_end"].shift(1)]
        message = "overlaps the mention before it; a number may be in one mention only"
        problems += [ctx.problem("mentions", i, "mention_start", message, m.mention_text) for i, m in overlapping.iterrows()]
        starts, ends = own["mention_start"].to_numpy(dtype=np.int64), own["mention_end"].to_numpy(dtype=np.int64)
        runs = digit_runs(text)
        nearest = np.searchsorted(starts, runs[:, 0], side="right") - 1
        inside = (nearest >= 0) & (ends[nearest.clip(0)] >= runs[:, 1]) if len(starts) else np.zeros(len(runs), bool)
        for run_start, run_end in runs[~inside]:
            message = (
                f"source {source_id}: the number {text[run_start:run_end]!r} at {run_start}-{run_end} of the snapshot "
                "is in no mention; add a row for it"
            )
            problems.append(Problem(CHECK, ctx.paths["mentions"], message, field="mention_start"))
    return problems


def values_match_mentions(ctx: Context) -> list[Problem]:
    """Each statistic has a value mention inside its quote that reads as its value; every value mention agrees."""
    stats, mentions = ctx.tables["statistics"], ctx.tables["mentions"]
    lookup = stats.set_index("statistic_id")
    stated = mentions[mentions["role"].isin(VALUE_ROLES) & mentions["statistic_id"].isin(lookup.index)]
    parsed = stated["mention_text"].map(parse_mention)
    expected = stated["statistic_id"].map(lookup["value"])
    problems = [
        ctx.problem(
            "mentions",
            i,
            "mention_text",
            f"reads as {parsed[i]}, but statistic {m.statistic_id!r} has value {expected[i]}",
            m.mention_text,
        )
        for i, m in stated[parsed != expected.astype(object)].iterrows()
    ]
    values = stated[(stated["role"] == "value") & (parsed == expected.astype(object))]
    quote = lookup.loc[values["statistic_id"]]
    inside = (
        (quote["quote_start"].to_numpy() <= values["mention_start"].to_numpy())
        & (values["mention_end"].to_numpy() <= quote["quote_end"].to_numpy())
        & (quote["source_id"].to_numpy() == values["source_id"].to_numpy())
    )
    confirmed = set(values["statistic_id"][inside])
    message = "no mention with role 'value' inside the quote reads as this value"
    return problems + [
        ctx.problem("statistics", i, "value", message, v)
        for i, v in stats["value"][~stats["statistic_id"].isin(confirmed)].items()
    ]


def period_bounds_match(ctx: Context) -> list[Problem]:
    """A mention that bounds a period is the year of its statistic's period start or end."""
    stats, mentions = ctx.tables["statistics"].set_index("statistic_id"), ctx.tables["mentions"]
    bounds = mentions[mentions["role"].isin(BOUND_ROLES) & mentions["statistic_id"].isin(stats.index)]
    years = [
        {str(d.year) for d in stats.loc[s, ["period_start", "period_end"]] if pd.notna(d)} for s in bounds["statistic_id"]
    ]
    message = "year is not the start or end year of statistic {}'s period"
    return [
        ctx.problem("mentions", i, "mention_text", message.format(repr(m.statistic_id)), m.mention_text)
        for (i, m), allowed in zip(bounds.iterrows(), years, strict=True)
        if m.mention_text not in allowed
    ]


def roles_fit_their_place(ctx: Context) -> list[Problem]:
    """An ordinal states no statistic, every other role names one; headline roles stand in the headline
    (a line of the snapshot that is the source's title), body roles do not."""
    mentions, texts = ctx.tables["mentions"], ctx.snapshot_of()
    titles = ctx.tables["sources"].set_index("source_id")["title"]
    problems = []
    for i, m in mentions.iterrows():
        if (m.role == ORDINAL_ROLE) == pd.notna(m.statistic_id):
            message = (
                "an ordinal states no statistic; leave it empty"
                if pd.notna(m.statistic_id)
                else f"a {m.role!r} mention must name its statistic"
            )
            problems.append(ctx.problem("mentions", i, "statistic_id", message, m.statistic_id))
        if m.source_id in texts:
            text = texts[m.source_id]
            line = text[text.rfind("\n", 0, m.mention_start) + 1 : (text.find("\n", m.mention_end) + 1 or len(text) + 1) - 1]
            if (line == titles.get(m.source_id)) != (m.role in HEADLINE_ROLES) and m.role != ORDINAL_ROLE:
                where = "in the headline" if line == titles.get(m.source_id) else "in the body"
                problems.append(
                    ctx.problem("mentions", i, "role", f"the mention stands {where}; its role must say so", m.role)
                )
    return problems


def wording_fits_columns(ctx: Context) -> list[Problem]:
    """value_bound follows the qualifier before the number; period_type and period_start follow period_text,
    which is words of the quote."""
    stats, mentions, texts = ctx.tables["statistics"], ctx.tables["mentions"], ctx.snapshot_of()
    values = mentions[mentions["role"] == "value"].drop_duplicates("statistic_id").set_index("statistic_id")
    problems = []
    for i, s in stats.iterrows():
        if s.statistic_id in values.index and s.source_id in texts:
            start = values.at[s.statistic_id, "mention_start"]
            bound, qualifier = implied_bound(texts[s.source_id][max(s.quote_start, start - 40) : start])
            if bound is None:
                problems.append(
                    ctx.problem(
                        "statistics",
                        i,
                        "value_bound",
                        f"the qualifier {qualifier!r} has no bound rule yet: decide it in wording.py",
                        s.value_bound,
                    )
                )
            elif bound != s.value_bound:
                problems.append(
                    ctx.problem(
                        "statistics",
                        i,
                        "value_bound",
                        f"the words before the number ({qualifier or 'no qualifier'}) make it {bound}",
                        s.value_bound,
                    )
                )
        problems += _period_problems(ctx, i, s)
    return problems


def _period_problems(ctx: Context, i: Any, s: Any) -> list[Problem]:
    text = None if pd.isna(s.period_text) else s.period_text
    if text and text not in s.quote:
        return [ctx.problem("statistics", i, "period_text", "must be words of the quote", text)]
    implied = implied_period(text)
    if implied is None:
        return [ctx.problem("statistics", i, "period_text", "no rule reads this wording yet: add one to wording.py", text)]
    kind, start = implied
    problems = []
    if s.period_type != kind:
        problems.append(ctx.problem("statistics", i, "period_type", f"period_text {text!r} makes it {kind}", s.period_type))
    if (pd.Timestamp(start) if start else None) != (None if pd.isna(s.period_start) else s.period_start):
        problems.append(
            ctx.problem("statistics", i, "period_start", f"period_text {text!r} makes it {start or 'empty'}", s.period_start)
        )
    if (kind == "unspecified") != pd.isna(s.period_end):
        problems.append(
            ctx.problem("statistics", i, "period_end", "empty exactly when the source gives no period", s.period_end)
        )
    return problems


def dates_are_plausible(ctx: Context) -> list[Problem]:
    """Every date lies between EARLIEST_DATE and the package's creation; a period ends by its statement, and a
    statement precedes every report of it."""
    problems = []
    for table, frame in ctx.tables.items():
        for column in frame.select_dtypes("datetime64[us]"):
            bad = frame[column][(frame[column] < EARLIEST_DATE) | (frame[column] > ctx.created)]
            message = f"must lie between {EARLIEST_DATE.date()} and the package's creation ({ctx.created.date()})"
            problems += [ctx.problem(table, i, column, message, v.date()) for i, v in bad.items()]
    claims = ctx.tables["statements"].set_index("statement_id")["claim_date"]
    stats = ctx.tables["statistics"].assign(claim=lambda f: f["statement_id"].map(claims))
    late = stats[stats["period_end"] > stats["claim"]]
    problems += [
        ctx.problem(
            "statistics", i, "period_end", "ends after the statement that gives it (claim_date)", s.period_end.date()
        )
        for i, s in late.iterrows()
    ]
    sources = ctx.tables["sources"].set_index("source_id")
    published = sources["published"].fillna(sources["published_not_before"])
    claim_of = stats.set_index("statistic_id")["claim"]
    checks = ctx.tables["cross_checks"]
    for table, frame, claim in (
        ("statistics", stats, stats["claim"]),
        ("cross_checks", checks, checks["statistic_id"].map(claim_of)),
    ):
        early = frame[frame["source_id"].map(published) < claim]
        problems += [
            ctx.problem(table, i, "source_id", "this report is dated before the statement it reports", r.source_id)
            for i, r in early.iterrows()
        ]
    return problems


def one_primary_source(ctx: Context) -> list[Problem]:
    roles = ctx.tables["sources"]["source_role"]
    if (roles == "primary").sum() == 1:
        return []
    return [
        Problem(
            CHECK,
            ctx.paths["sources"],
            f"exactly one source must be primary, not {(roles == 'primary').sum()}",
            field="source_role",
        )
    ]


def snapshots_are_pinned(ctx: Context) -> list[Problem]:
    paths = ctx.tables["sources"]["snapshot_path"].dropna()
    message = "the snapshot is not pinned (path, hash, bytes) in the sources of datapackage.json"
    return [ctx.problem("sources", i, "snapshot_path", message, p) for i, p in paths.items() if p not in ctx.snapshots]


def inferred_fields_exist(ctx: Context) -> list[Problem]:
    problems = []
    for table in ("statistics", "statements"):
        frame = ctx.tables[table]
        for i, value in frame["inferred_fields"].dropna().items():
            unknown = [name for name in value.split() if name not in frame.columns]
            if unknown:
                problems.append(ctx.problem(table, i, "inferred_fields", f"{unknown[0]!r} is not a field of {table}", value))
    return problems + _unmarked_inferences(ctx)


def _listed(value: Any) -> set[str]:
    return set(value.split()) if isinstance(value, str) else set()


def _unmarked_inferences(ctx: Context) -> list[Problem]:
    """What the wording leaves unprinted must be listed as inferred: a date the snapshot does not print, the end
    of a period that runs to an inferred statement date, and a start read from a bare year ("since 2004")."""
    statements, texts = ctx.tables["statements"], " ".join(ctx.snapshot_of().values())
    problems, inferred_claims = [], set()
    for i, st in statements.iterrows():
        day = st.claim_date
        printed = any(
            form in texts for form in (day.strftime("%Y-%m-%d"), f"{day.day} {day:%B %Y}", f"{day:%B} {day.day}, {day.year}")
        )
        if "claim_date" in _listed(st.inferred_fields):
            inferred_claims.add(st.statement_id)
        elif not printed:
            problems.append(
                ctx.problem(
                    "statements", i, "inferred_fields", "the snapshot does not print claim_date: list it", st.inferred_fields
                )
            )
    claims = statements.set_index("statement_id")["claim_date"]
    for i, s in ctx.tables["statistics"].iterrows():
        ends_on_claim = s.statement_id in inferred_claims and s.period_end == claims.get(s.statement_id)
        for field, unprinted in (("period_end", ends_on_claim), ("period_start", s.period_type == "cumulative_since_date")):
            if unprinted and field not in _listed(s.inferred_fields):
                problems.append(
                    ctx.problem(
                        "statistics",
                        i,
                        "inferred_fields",
                        f"{field} is not printed in the source: list it",
                        s.inferred_fields,
                    )
                )
    return problems


def cross_checks_consistent(ctx: Context) -> list[Problem]:
    """Cross-checks compare with cross_check sources, agree only when they do, and not_reported carries nothing."""
    checks, sources = ctx.tables["cross_checks"], ctx.tables["sources"].set_index("source_id")
    stats = ctx.tables["statistics"].set_index("statistic_id")
    same = (checks["reported_value"] == checks["statistic_id"].map(stats["value"])).fillna(False) & (
        checks["reported_bound"].astype(object) == checks["statistic_id"].map(stats["value_bound"]).astype(object)
    )
    rules = (
        (
            checks["source_id"].map(sources["source_role"]) != "cross_check",
            "source_id",
            "compare only with sources whose source_role is cross_check",
        ),
        ((checks["agreement"] == "agrees") & ~same, "agreement", "'agrees' needs the statistic's value and bound"),
        (
            (checks["agreement"] == "not_reported") & checks["reported_value"].notna(),
            "reported_value",
            "a not_reported row carries no value",
        ),
        (
            (checks["agreement"] != "not_reported") & checks["reported_value"].isna(),
            "reported_value",
            "only a not_reported row has no value",
        ),
    )
    return [
        ctx.problem("cross_checks", i, field, message, checks.at[i, field])
        for mask, field, message in rules
        for i in checks.index[mask]
    ]


def statement_named_as_printed(ctx: Context) -> list[Problem]:
    """The claimant, role, event and place are worded exactly as the snapshot words them, as whole words."""
    stats, texts = ctx.tables["statistics"], ctx.snapshot_of()
    problems = []
    for i, s in ctx.tables["statements"].iterrows():
        quoted = [
            texts[sid] for sid in stats.loc[stats["statement_id"] == s.statement_id, "source_id"].unique() if sid in texts
        ]
        for field in ("claimant", "claimant_role", "event", "event_location"):
            words = re.compile(rf"(?<!\w){re.escape(s[field])}(?!\w)")
            if quoted and not any(words.search(text) for text in quoted):
                problems.append(ctx.problem("statements", i, field, "must be worded as the snapshot words it", s[field]))
    return problems


def _text_fault(text: str) -> str | None:
    if text.isascii():
        return "control character" if not text.isprintable() else None
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc" or category == "Cf" or category in ("Zl", "Zp", "Co", "Cn", "Cs"):
            return f"invisible or control character U+{ord(char):04X}"
    if not unicodedata.is_normalized("NFC", text):
        return "not in Unicode normal form NFC"
    for word in _WORD.findall(text):
        scripts = {unicodedata.name(c, "").split(" ")[0] for c in word if c.isalpha()}
        if "LATIN" in scripts and scripts & {"CYRILLIC", "GREEK"}:
            return f"the word {word!r} mixes Latin with Cyrillic or Greek letters"
    return None


def text_is_clean(ctx: Context) -> list[Problem]:
    """No free-text cell hides characters: no control, zero-width or bidi character, NFC, no mixed-script word."""
    problems = []
    for table, frame in ctx.tables.items():
        for column in frame.select_dtypes("string"):
            faults = {text: _text_fault(text) for text in frame[column].dropna().unique()}
            bad = frame[column].map(lambda t, f=faults: f.get(t))
            problems += [ctx.problem(table, i, column, fault, frame.at[i, column]) for i, fault in bad.dropna().items()]
    return problems


CHECKS: list[Callable[[Context], list[Problem]]] = [
    quotes_match_snapshot,
    mentions_match_snapshot,
    digit_runs_covered,
    values_match_mentions,
    period_bounds_match,
    roles_fit_their_place,
    wording_fits_columns,
    dates_are_plausible,
    one_primary_source,
    snapshots_are_pinned,
    inferred_fields_exist,
    cross_checks_consistent,
    statement_named_as_printed,
    text_is_clean,
]


def run_provenance_checks(ctx: Context) -> list[Problem]:
    return [problem for check in CHECKS for problem in check(ctx)]
