"""Checks across tables and files that no schema language states: quotes, mentions, wording, dates, text.

Each check reads the typed tables (as load() returns them, already valid against their Table Schemas and
pandera schemas) and yields findings lazily, each at a constant cost: (table, row index or None, field,
message, value). Work runs on whole columns, and Python only once per distinct value. A check that raises
is a bug, not a finding: nothing here catches it.
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
FACTS = ("claimant", "claimant_role", "event", "event_location")  # the statement's facts, each with its span
EARLIEST_DATE = pd.Timestamp("1956-03-02")  # Morocco's independence: no figure of its ministries is older
NEAR = 1_000  # how far around its offsets a misplaced quote is looked for
_HIDDEN = regex.compile(r"[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]")
_NOT_LATIN = regex.compile(r"[\p{L}--\p{Script=Latin}]", regex.V1)
Findings = Iterator[tuple[str, Any, str | None, str, Any]]


@dataclass
class Context:
    """What the checks read, as a read package offers it: tables, snapshots, created, snapshot_of(), path_of()."""

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


def _col(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy(object, na_value=None)


def _per_value(read: Callable[..., Any], *columns: Any, missing: Any = None) -> np.ndarray:
    """read(*values) of each row, called once per distinct combination of values; missing where one is missing."""
    pairs, key = [pd.factorize(c) for c in columns], np.zeros(len(columns[0]), np.int64)
    for codes, uniques in pairs:
        key = key * (len(uniques) + 1) + codes + 1
    inverse, combos = pd.factorize(key)
    first = np.zeros(len(combos), np.int64)
    first[inverse[::-1]] = np.arange(len(key))[::-1]
    values = [np.append(np.asarray(uniques, dtype=object), None)[codes[first]] for codes, uniques in pairs]
    table = np.empty(len(combos), dtype=object)
    for k, row in enumerate(zip(*values)):
        table[k] = missing if None in row else read(*row)
    return table[inverse]


def _position(keys: pd.Series, ids: pd.Series) -> np.ndarray:
    """The row position in ids of each key (its first, if an id repeats), -1 where absent: a positional join."""
    codes, _ = pd.factorize(pd.concat([ids, keys], ignore_index=True))
    first = np.full(codes.max(initial=0) + 2, -1)
    first[codes[: len(ids)][::-1]] = np.arange(len(ids))[::-1]
    return first[codes[len(ids) :]]


def _slices(texts: dict[str, str], sources: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """text[start:end] of each row's source, or None where the source has no snapshot."""
    out = np.full(len(sources), None, dtype=object)
    for source, text in texts.items():
        own = np.flatnonzero(sources == source)
        out[own] = list(map(text.__getitem__, map(slice, starts[own].tolist(), ends[own].tolist())))
    return out


def _spans(texts: dict[str, str], frame: pd.DataFrame, field: str, table: str) -> tuple[np.ndarray, Findings]:
    """Whether snapshot[<name>_start:<name>_end] is each row's field, and the findings where it is not."""
    name = field.split("_")[0]
    start, end = frame[f"{name}_start"].to_numpy(np.int64), frame[f"{name}_end"].to_numpy(np.int64)
    actual, wanted, source = _slices(texts, _col(frame, "source_id"), start, end), _col(frame, field), _col(frame, "source_id")

    def findings() -> Findings:
        for k in np.flatnonzero(actual == None):  # noqa: E711 (element-wise)
            yield table, frame.index[k], "source_id", "the source has no snapshot to quote from", source[k]
        for k in np.flatnonzero((actual != None) & (actual != wanted)):  # noqa: E711
            found = texts[source[k]].find(wanted[k], max(0, start[k] - NEAR), end[k] + NEAR)
            hint = f"occurs at {found}" if found >= 0 else f"is not in the snapshot near {name}_start"
            message = f"snapshot[{name}_start:{name}_end] is {actual[k]!r}, not the {field}; the {field} {hint}"
            yield table, frame.index[k], field, message, wanted[k]

    return actual == wanted, findings()


def quotes_match_snapshot(ctx: Context) -> Findings:
    yield from _spans(ctx.snapshot_of(), ctx.tables["statistics"], "quote", "statistics")[1]


def _whole(window: str, at: int, length: int) -> bool:
    """Whether window[at:at + length] is a whole number as written: not a part of a longer one."""
    match = MENTION_PATTERN.match(window, at)
    return bool(match) and match.end() == at + length and not re.search(r"(\d[,.]?|\$)\Z", window[:at])


def _digit_runs(text: str) -> np.ndarray:
    """(start, end) code-point spans of the maximal runs of digits (as regex \\d+ finds them), found in the
    UTF-8 bytes at NumPy speed unless the text has digits beyond ASCII."""
    data = np.frombuffer(text.encode(), np.uint8)
    if any(c.isdecimal() for c in set(data[data > 127].tobytes().decode())):
        return np.array([m.span() for m in re.finditer(r"\d+", text)], np.int64).reshape(-1, 2)
    digit = np.concatenate([[False], data - 48 < 10, [False]])
    spans = np.flatnonzero(digit[1:] != digit[:-1]).reshape(-1, 2)
    return spans - np.searchsorted(np.flatnonzero(data & 0xC0 == 0x80), spans)  # bytes before -> code points


def _lines(text: str, line: str) -> list[int]:
    """Where the lines of text that are exactly line start."""
    found, at = [], text.find(line)
    while at >= 0:
        if text[at - 1 : at] in ("", "\n") and text[at + len(line) : at + len(line) + 1] in ("", "\n"):
            found.append(at)
        at = text.find(line, at + 1)
    return found


def mentions_fit_the_snapshot(ctx: Context) -> Findings:
    """Each mention is the snapshot's characters at its offsets and a whole number as written (digits,
    currency sign, scale word, ordinal suffix); every digit of a snapshot is in one. Only an ordinal (35th)
    has the ordinal role, and it states no statistic; a headline role stands in the headline (a line that is
    the source's title), a body role not; a period bound is the year its statistic's period starts or ends."""
    mentions, stats, texts = ctx.tables["mentions"], ctx.tables["statistics"], ctx.snapshot_of()
    right, findings = _spans(texts, mentions, "mention_text", "mentions")
    yield from findings
    source, start, end = _col(mentions, "source_id"), *(mentions[f"mention_{e}"].to_numpy(np.int64) for e in ("start", "end"))
    at = np.minimum(start, 2)
    whole = _per_value(_whole, _slices(texts, source, start - at, end + 12), at, end - start, missing=True)
    for k in np.flatnonzero(right & ~whole.astype(bool)):
        message = "a mention must hold a whole number as written: all its digits, its currency sign, scale word and ordinal"
        yield "mentions", mentions.index[k], "mention_text", message, mentions["mention_text"].iat[k]
    role, title = _col(mentions, "role"), ctx.tables["sources"].set_index("source_id")["title"]
    ordinal, named = role == ORDINAL_ROLE, mentions["statistic_id"].notna().to_numpy(bool)
    for source_id, text in texts.items():
        own = np.flatnonzero(source == source_id)
        order = own[np.argsort(start[own])]
        runs = _digit_runs(text)
        k = np.searchsorted(start[order], runs[:, 0], side="right") - 1
        for a, b in runs[(k < 0) | (np.append(end[order], -1)[k] < runs[:, 1])]:
            message = f"source {source_id}: the number {text[a:b]!r} at {a}-{b} of the snapshot is in no mention; add it"
            yield "mentions", None, "mention_start", message, None
        lines = np.array(_lines(text, title[source_id]) + [len(text) + 1], np.int64)
        line = np.searchsorted(lines, start[own], side="right") - 1
        inside = (line >= 0) & (end[own] <= lines[line] + len(title[source_id]))
        for k in own[(inside != np.isin(role[own], HEADLINE_ROLES)) & ~ordinal[own]]:
            place = "in the headline" if inside[np.searchsorted(own, k)] else "in the body"
            yield "mentions", mentions.index[k], "role", f"the mention stands {place}; its role must say so", role[k]
    for k in np.flatnonzero(ordinal == named):
        say = "an ordinal states no statistic; leave it empty" if ordinal[k] else f"a {role[k]!r} mention must name its statistic"
        yield "mentions", mentions.index[k], "statistic_id", say, mentions["statistic_id"].iat[k]
    for k in np.flatnonzero(ordinal != mentions["mention_text"].str.contains(r"\d(?:st|nd|rd|th)$").to_numpy(bool)):
        yield "mentions", mentions.index[k], "role", "the role is 'ordinal' exactly for a number written as one", role[k]
    row = _position(mentions["statistic_id"], stats["statistic_id"])
    years = [np.append(stats[e].dt.year.astype("Int64").astype(str).to_numpy(object), None)[row] for e in ("period_start", "period_end")]
    text = _col(mentions, "mention_text")
    for k in np.flatnonzero(np.isin(role, BOUND_ROLES) & (row >= 0) & (text != years[0]) & (text != years[1])):
        message = f"year is not the start or end year of statistic {mentions['statistic_id'].iat[k]!r}'s period"
        yield "mentions", mentions.index[k], "mention_text", message, text[k]


def _nearest_unit(words: re.Pattern[str], quote: str, a: int, b: int) -> str | None:
    found = [(max(m.start() - b, a - m.end(), 0), m.group()) for m in words.finditer(quote)]
    return min(found)[1] if found else None


def figures_follow_their_words(ctx: Context) -> Findings:
    """Every value mention reads as its statistic's value, and each statistic has one inside its quote. Its
    value_bound follows the words just before that number in the snapshot, whether or not the quote holds them;
    the word nearest it that names a unit of any indicator is one of its own indicator's unit_words."""
    stats, mentions, texts = ctx.tables["statistics"], ctx.tables["mentions"], ctx.snapshot_of()
    row, role = _position(mentions["statistic_id"], stats["statistic_id"]), _col(mentions, "role")
    parsed = _per_value(parse_mention, mentions["mention_text"])
    value = np.append(_col(stats, "value"), None)[row]
    for k in np.flatnonzero(np.isin(role, VALUE_ROLES) & (row >= 0) & (parsed != value)):
        read = "does not read as a value (an ordinal never does)" if parsed[k] is None else f"reads as {parsed[k]}"
        message = f"{read}, but statistic {mentions['statistic_id'].iat[k]!r} has value {value[k]}"
        yield "mentions", mentions.index[k], "mention_text", message, mentions["mention_text"].iat[k]
    start, end = mentions["mention_start"].to_numpy(np.int64), mentions["mention_end"].to_numpy(np.int64)
    quote_start, quote_end = (np.append(stats[f"quote_{e}"].to_numpy(np.int64), 0)[row] for e in ("start", "end"))
    source = _col(mentions, "source_id")
    inside = (role == "value") & (row >= 0) & (parsed == value) & (quote_start <= start) & (end <= quote_end)
    inside &= source == np.append(_col(stats, "source_id"), None)[row]
    first = np.full(len(stats) + 1, -1)
    first[row[inside][::-1]] = np.flatnonzero(inside)[::-1]
    for k in np.flatnonzero(first[:-1] < 0):
        yield "statistics", stats.index[k], "value", "no mention with role 'value' inside the quote reads as this value", stats["value"].iat[k]
    has, m = np.flatnonzero(first[:-1] >= 0), first[first >= 0]
    read = _per_value(implied_bound, _slices(texts, source[m], np.maximum(start[m] - 40, 0), start[m]), missing=(None, ""))
    kept = _col(stats, "value_bound")[has]
    for k in np.flatnonzero([b != v for (b, _), v in zip(read, kept, strict=True)]):
        bound, words = read[k]
        message = (
            f"the words before the number end in {words!r}, which no rule reads yet: decide in wording.py whether it is a qualifier or neutral"
            if bound is None
            else f"the words before the number ({words if bound != 'point' else 'no qualifier'}) make it {bound}"
        )
        yield "statistics", stats.index[has[k]], "value_bound", message, kept[k]
    own = dict(zip(ctx.tables["indicators"]["indicator_id"], ctx.tables["indicators"]["unit_words"].str.split(), strict=True))
    every = re.compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(w) for ws in own.values() for w in ws) + r")(?![A-Za-z])")
    offset = start[m] - quote_start[m]
    named = _per_value(lambda q, a, b: _nearest_unit(every, q, a, b), _col(stats, "quote")[has], offset, offset + end[m] - start[m])
    indicator = _col(stats, "indicator_id")[has]
    for k in np.flatnonzero([n not in own.get(i, ()) for n, i in zip(named, indicator, strict=True)]):
        said = f"names its unit {named[k]!r}, not one of" if named[k] else "names none of"
        message = f"the quote {said} {indicator[k]}'s unit_words ({' '.join(own.get(indicator[k], []))})"
        yield "statistics", stats.index[has[k]], "indicator_id", message, indicator[k]


def _phrases(window: str, a: int, b: int) -> str:
    """The period phrases of a stretch of snapshot that overlap its part [a, b), joined by ' / '."""
    return " / ".join(m.group() for m in PERIOD_PHRASE.finditer(window) if m.start() < b and m.end() > a)


def periods_follow_the_words(ctx: Context) -> Findings:
    """period_text is the whole period phrase that the snapshot attaches to the quote; period_type and
    period_start follow it, and a period given up to the statement ("so far", "since 2004") ends on its
    claim_date."""
    stats, statements = ctx.tables["statistics"], ctx.tables["statements"]
    claim = statements["claim_date"].to_numpy()[_position(stats["statement_id"], statements["statement_id"])]
    said, quote = stats["period_text"].fillna("").to_numpy(object), _col(stats, "quote")
    implied = _per_value(implied_period, said, pd.DatetimeIndex(claim).year)
    kind = np.array([p and p[0] for p in implied], dtype=object)
    quoted = _per_value(lambda t, q: t in q, said, quote).astype(bool)
    start = stats["quote_start"].to_numpy(np.int64)
    at = np.minimum(start, 20)
    window = _slices(ctx.snapshot_of(), _col(stats, "source_id"), start - at, stats["quote_end"].to_numpy(np.int64) + 20)
    phrases = _per_value(_phrases, window, at, at + stats["quote"].str.len().to_numpy(), missing=None)
    fits = quoted & (phrases == said) & (_col(stats, "period_type") == kind)
    expected = (pd.to_datetime([p and p[1] for p in implied]), np.where(kind == "unspecified", None, claim))
    for column, day in zip(("period_start", "period_end"), expected, strict=True):
        fits &= stats[column].fillna(pd.Timestamp(0)).to_numpy() == pd.to_datetime(day).fillna(pd.Timestamp(0)).to_numpy()
    for k in np.flatnonzero(~fits):
        yield from _period_findings(stats.index[k], stats.iloc[k], implied[k], quoted[k], phrases[k], claim[k])


def _period_findings(i: Any, s: Any, implied: Any, quoted: bool, phrases: str | None, claim: Any) -> Findings:
    text = None if pd.isna(s.period_text) else s.period_text
    if not quoted:
        yield "statistics", i, "period_text", "must be words of the quote", text
    elif implied is None:
        yield "statistics", i, "period_text", "no rule reads this wording yet: add one to wording.py", text
    elif phrases is not None and phrases != (text or ""):
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
            message = f"a period given up to the statement ends on its claim_date ({pd.Timestamp(claim).date()})"
            yield "statistics", i, "period_end", message, s.period_end


def dates_are_plausible(ctx: Context) -> Findings:
    """Every date lies between EARLIEST_DATE and the package's creation; a report is not dated before the
    statement it reports, nor published before its published_not_before."""
    for table, frame in ctx.tables.items():
        for column in frame.select_dtypes("datetime64[us]"):
            for i, day in frame[column][(frame[column] < EARLIEST_DATE) | (frame[column] > ctx.created)].items():
                message = f"must lie between {EARLIEST_DATE.date()} and the package's creation ({ctx.created.date()})"
                yield table, i, column, message, day.date()
    statements, sources, stats = ctx.tables["statements"], ctx.tables["sources"], ctx.tables["statistics"]
    for i, day in sources["published"][sources["published"] < sources["published_not_before"]].items():
        yield "sources", i, "published", "is before published_not_before", day.date()
    published = np.append(sources["published"].fillna(sources["published_not_before"]).to_numpy(), np.datetime64("NaT"))
    claim = np.append(statements["claim_date"].to_numpy()[_position(stats["statement_id"], statements["statement_id"])], np.datetime64("NaT"))
    for table in ("statistics", "cross_checks"):
        frame = ctx.tables[table]
        of = claim[_position(frame["statistic_id"], stats["statistic_id"])]
        for k in np.flatnonzero(published[_position(frame["source_id"], sources["source_id"])] < of):
            yield table, frame.index[k], "source_id", "this report is dated before the statement it reports", frame["source_id"].iat[k]


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


def _listed(frame: pd.DataFrame, name: str) -> np.ndarray:
    return _per_value(lambda v: name in v.split(), frame["inferred_fields"], missing=False).astype(bool)


def inferred_fields_hold(ctx: Context) -> Findings:
    """inferred_fields names fields of its row, and lists what the source leaves unprinted: a claim date the
    snapshot does not print, a period end that is an inferred claim date, a start read from a bare year."""
    statements, stats, text = ctx.tables["statements"], ctx.tables["statistics"], " ".join(ctx.snapshot_of().values())
    for table, frame in (("statistics", stats), ("statements", statements)):
        unknown = _per_value(lambda v, f=frame: next((n for n in v.split() if n not in f), None), frame["inferred_fields"])
        for k in np.flatnonzero(unknown != None):  # noqa: E711
            yield table, frame.index[k], "inferred_fields", f"{unknown[k]!r} is not a field of {table}", frame["inferred_fields"].iat[k]
    claimed = _listed(statements, "claim_date")
    for k in np.flatnonzero(~claimed):
        day = statements["claim_date"].iat[k]
        if not any(form in text for form in (f"{day:%Y-%m-%d}", f"{day.day} {day:%B %Y}", f"{day:%B} {day.day}, {day.year}")):
            yield "statements", statements.index[k], "inferred_fields", "the snapshot does not print claim_date: list it", statements["inferred_fields"].iat[k]
    row = _position(stats["statement_id"], statements["statement_id"])
    on_claim = np.append(claimed, False)[row] & (stats["period_end"].to_numpy() == statements["claim_date"].to_numpy()[row])
    for field, unprinted in (("period_end", on_claim), ("period_start", (stats["period_type"] == "cumulative_since_date").to_numpy(bool))):
        for k in np.flatnonzero(unprinted & ~_listed(stats, field)):
            yield "statistics", stats.index[k], "inferred_fields", f"{field} is not printed in the source: list it", stats["inferred_fields"].iat[k]


def facts_have_evidence(ctx: Context) -> Findings:
    """Each fact of a statement is, as whole words, the primary snapshot's characters at its span; a fact the
    snapshot does not print has no span and is listed in inferred_fields."""
    sources, statements = ctx.tables["sources"], ctx.tables["statements"]
    primary = sources["source_id"][(sources["source_role"] == "primary").to_numpy(bool)].tolist()
    text = ctx.snapshot_of().get(primary[0]) if len(primary) == 1 else None
    for field in FACTS if text is not None else ():  # else sources_are_sound or the quote checks say why
        inferred, span, value = _listed(statements, field), statements[[f"{field}_start", f"{field}_end"]], _col(statements, field)
        for k, (a, b) in enumerate(span.itertuples(index=False)):  # statements are few: one per speech
            if pd.isna(a) or pd.isna(b):
                say = not (inferred[k] and pd.isna(a) and pd.isna(b)) and f"give {field}_start and {field}_end, or list {field} in inferred_fields"
            elif inferred[k]:
                say = f"a fact the snapshot prints at {field}_start:{field}_end is not inferred"
            else:
                cut = re.match(r"\w\w", text[max(a - 1, 0) : a + 1]) or re.match(r"\w\w", text[b - 1 : b + 1])
                say = (text[a:b] != value[k] or cut) and f"must be worded as the primary snapshot prints it at {field}_start:{field}_end ({text[a:b]!r}), as whole words"
            if say:
                yield "statements", statements.index[k], field, say, value[k]


def cross_checks_consistent(ctx: Context) -> Findings:
    """Cross-checks compare with cross_check sources; 'agrees' gives the statistic's value, bound and period,
    'differs' differs in one of them, and not_reported carries nothing."""
    checks, sources, stats = ctx.tables["cross_checks"], ctx.tables["sources"], ctx.tables["statistics"]
    s = stats.iloc[_position(checks["statistic_id"], stats["statistic_id"])]
    year = ctx.tables["statements"].set_index("statement_id")["claim_date"].reindex(s["statement_id"]).dt.year
    period = [implied_period(t, y) for t, y in zip(_col(checks, "reported_period_text"), year, strict=True)]
    ours = zip(_col(s, "period_type"), s["period_start"].dt.strftime("%Y-%m-%d").to_numpy(object, na_value=None), strict=True)
    same = np.array([p == ours for p, ours in zip(period, ours, strict=True)], bool)
    same &= (_col(checks, "reported_value") == _col(s, "value")) & (_col(checks, "reported_bound") == _col(s, "value_bound"))
    no_value, agreement = checks["reported_value"].isna().to_numpy(), _col(checks, "agreement")
    role = np.append(_col(sources, "source_role"), None)[_position(checks["source_id"], sources["source_id"])]
    rules = (
        (role != "cross_check", "source_id", "compare only with cross_check sources"),
        ((agreement == "agrees") & ~same, "agreement", "'agrees' needs the statistic's value, bound and period"),
        ((agreement == "differs") & same, "agreement", "'differs' needs a value, bound or period other than the statistic's"),
        ((agreement == "not_reported") & ~no_value, "reported_value", "a not_reported row carries no value"),
        ((agreement != "not_reported") & no_value, "reported_value", "only a not_reported row has no value"),
    )
    for mask, field, message in rules:
        for k in np.flatnonzero(mask):
            yield "cross_checks", checks.index[k], field, message, checks[field].iat[k]


def _place_fault(area: str, code: str) -> str | None:
    names = {n.casefold(): c.alpha2 for c in countries for n in (c.name, c.apolitical_name)}
    if code and code not in countries:
        return f"{code!r} is no ISO 3166-1 code"
    if code and names.get(area.casefold()) != code:
        return f"ISO 3166-1 names {code!r} {countries.get(code).name!r}"
    return None if code or area.casefold() not in names else f"{area!r} is a country: give its code {names[area.casefold()]}"


def places_agree(ctx: Context) -> Findings:
    """A country_code is an ISO 3166-1 code and its area that country's name; an area without one is no country."""
    stats = ctx.tables["statistics"]
    found = _per_value(_place_fault, stats["area"], stats["country_code"].fillna(""))
    for k in np.flatnonzero(found != None):  # noqa: E711
        yield "statistics", stats.index[k], "country_code", f"area and country_code disagree: {found[k]}", stats["country_code"].iat[k]


def _text_fault(text: str) -> str | None:
    if text.isascii() and text.isprintable():
        return None
    hidden = _HIDDEN.search(text)
    if hidden:
        return f"invisible or control character U+{ord(hidden.group()):04X}"
    if not unicodedata.is_normalized("NFKC", text):
        return "not in Unicode normal form NFKC: a decomposed accent, or a compatibility form such as a styled letter"
    foreign = _NOT_LATIN.search(text)
    return foreign and f"the letter {foreign.group()!r} (U+{ord(foreign.group()):04X}) is not in the Latin script of English text"


def text_is_clean(ctx: Context) -> Findings:
    """Every text cell is English text as it reads: no control, invisible or format character, NFKC, only
    Latin letters. Each distinct text is read once; plain printable ASCII is passed over first."""
    for table, frame in ctx.tables.items():
        for column in frame.select_dtypes("string"):
            found = _per_value(_text_fault, frame[column])
            for k in np.flatnonzero(found != None):  # noqa: E711
                yield table, frame.index[k], column, found[k], frame[column].iat[k]


CHECKS: list[Callable[[Context], Findings]] = [
    quotes_match_snapshot,
    mentions_fit_the_snapshot,
    figures_follow_their_words,
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
