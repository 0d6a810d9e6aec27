"""Checks that no schema language states. Each reads the typed tables and yields findings lazily, each at a constant
cost: (table, row index or None, field, message, value); work runs on whole columns, Python once per distinct value."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import partial
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import regex
from iso3166 import countries

from .wording import (
    MENTION_PATTERN,
    PERIOD_PHRASE,
    UNITS,
    implied_bound,
    implied_period,
    parse_mention,
)

CHECK = "provenance"
# The mention roles these checks treat differently; a test holds them equal to the schema's enum of mentions.role.
VALUE_ROLES = ("value", "headline_value")
BOUND_ROLES = ("period_bound", "headline_period_bound")
HEADLINE_ROLES = ("headline_value", "headline_period_bound")
ORDINAL_ROLE = "ordinal"
FACTS = (
    "claimant",
    "claimant_role",
    "event",
    "event_location",
)  # the statement's facts, each with its span
EARLIEST_DATE = pd.Timestamp(
    "1956-03-02"
)  # Morocco's independence: no figure of its ministries is older
NEAR = 1_000  # how far around its offsets a misplaced quote is looked for
_HIDDEN = regex.compile(
    r"[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]"
)
_NOT_LATIN = regex.compile(r"[\p{L}--\p{Script=Latin}]", regex.V1)
_NAMES = {n.casefold(): c.alpha2 for c in countries for n in (c.name, c.apolitical_name)}
Findings = Iterator[tuple[str, Any, str | None, str, Any]]
if TYPE_CHECKING:
    from .package import Package


def _col(frame: pd.DataFrame, name: str) -> np.ndarray:
    return frame[name].to_numpy(object, na_value=None)


def _each(
    table: str,
    frame: pd.DataFrame,
    mask: Any,
    field: str,
    say: str,
    *args: Any,
    value: Any = None,
    at: Any = None,
) -> Findings:
    """A finding for each k where mask holds, at row at[k] (default k); say is formatted with each args[k] (or
    args(k): a function that says more at a constant cost), and the value shown is value[k] (or value(k))."""
    for k in np.flatnonzero(mask):
        row = k if at is None else at[k]
        shown = (
            frame[field].iat[row] if value is None else value(k) if callable(value) else value[k]
        )
        yield (
            table,
            frame.index[row],
            field,
            say.format(*(a(k) if callable(a) else a[k] for a in args)),
            shown,
        )


def _per_value(read: Callable[..., Any], *columns: Any, missing: Any = None) -> np.ndarray:
    """read(*values) of each row, called once per distinct combination of values; missing where one is missing."""
    pairs, key = [pd.factorize(c) for c in columns], np.zeros(len(columns[0]), np.int64)
    for codes, uniques in pairs:
        key = key * (len(uniques) + 1) + codes + 1
    inverse, combos = pd.factorize(key)
    first = np.zeros(len(combos), np.int64)
    first[inverse[::-1]] = np.arange(len(key))[::-1]
    values = [
        np.append(np.asarray(uniques, dtype=object), None)[codes[first]] for codes, uniques in pairs
    ]
    rows = (missing if None in row else read(*row) for row in zip(*values, strict=True))
    return np.fromiter(rows, dtype=object, count=len(combos))[inverse]


def _position(keys: pd.Series, ids: pd.Series) -> np.ndarray:
    """The row position in ids of each key (its first, if an id repeats), -1 where absent: a positional join."""
    codes, _ = pd.factorize(pd.concat([ids, keys], ignore_index=True))
    first = np.full(codes.max(initial=0) + 2, -1)
    first[codes[: len(ids)][::-1]] = np.arange(len(ids))[::-1]
    return first[codes[len(ids) :]]


def _slices(
    texts: dict[str, str], sources: pd.Series, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    """text[start:end] of each row's source, or None where the source has no snapshot."""
    out = np.full(len(sources), None, dtype=object)
    for source, text in texts.items():
        own = np.flatnonzero((sources == source).to_numpy(bool, na_value=False))
        out[own] = list(map(text.__getitem__, map(slice, starts[own].tolist(), ends[own].tolist())))
    return out


def _spans(
    texts: dict[str, str],
    frame: pd.DataFrame,
    field: str,
    table: str,
    before: Any = 0,
    after: int = 0,
) -> tuple:
    """Whether snapshot[<name>_start:<name>_end] is each row's field; that text widened by before and after; findings."""
    name, source, each = field.split("_")[0], frame["source_id"], partial(_each, table, frame)
    start, end = frame[f"{name}_start"].to_numpy(), frame[f"{name}_end"].to_numpy()
    window, wanted = _slices(texts, source, start - before, end + after), _col(frame, field)
    actual = (
        _per_value(lambda w, a, n: w[a : a + n], window, before, end - start) if after else window
    )

    def near(k: int) -> str:  # a constant cost: the search stays near the offsets
        found = texts[source.iat[k]].find(wanted[k], max(0, start[k] - NEAR), end[k] + NEAR)
        return f"occurs at {found}" if found >= 0 else f"is not in the snapshot near {name}_start"

    # `!= None` compares each cell of the object array; `is not None` would test the array
    wrong = (actual != None) & (actual != wanted)  # noqa: E711 -- elementwise, see above
    say = f"snapshot[{name}_start:{name}_end] is {{!r}}, not the {field}; the {field} {{}}"
    no_snapshot = actual == None  # noqa: E711 -- elementwise, as above
    missing = each(no_snapshot, "source_id", "the source has no snapshot to quote from")
    return actual == wanted, window, chain(missing, each(wrong, field, say, actual, near))


def quotes_match_snapshot(ctx: Package) -> Findings:
    yield from _spans(ctx.snapshot_of(), ctx.tables["statistics"], "quote", "statistics")[2]


def _whole(window: str, at: int, length: int) -> bool:
    """Whether window[at:at + length] is a whole number as written, not a part of a longer one."""
    match = MENTION_PATTERN.match(window, at)
    return (
        bool(match) and match.end() == at + length and not re.search(r"(\d[,.]?|\$)\Z", window[:at])
    )


def _digit_runs(text: str) -> np.ndarray:
    """(start, end) code points of the runs of digits (as regex \\d+ finds them), found in the UTF-8 bytes at
    NumPy speed a megabyte at a time (no array the size of the text), unless the text has digits beyond ASCII."""
    edges, last = [np.empty(0, np.int64)], False
    for at in range(0, len(text), 1 << 20):
        data = np.frombuffer(text[at : at + (1 << 20)].encode(), np.uint8)
        high = np.flatnonzero(data > 127)  # the bytes of characters beyond ASCII
        if any(c.isdecimal() for c in set(data[high].tobytes().decode())):
            return np.array([m.span() for m in re.finditer(r"\d+", text)], np.int64).reshape(-1, 2)
        found = np.flatnonzero(
            np.diff(digit := data - 48 < 10, prepend=last)
        )  # where a run starts or ends
        edges.append(
            at + found - np.searchsorted(high[data[high] < 0xC0], found)
        )  # bytes -> code points
        last = bool(digit[-1])
    return np.concatenate([*edges, np.full(int(last), len(text))]).reshape(-1, 2)


def _lines(text: str, line: str) -> list[int]:
    """Where the lines of text that are exactly line start."""
    found, at = [], text.find(line)
    while at >= 0:
        if text[at - 1 : at] in ("", "\n") and text[at + len(line) : at + len(line) + 1] in (
            "",
            "\n",
        ):
            found.append(at)
        at = text.find(line, at + 1)
    return found


def mentions_fit_the_snapshot(ctx: Package) -> Findings:
    """Mentions are the snapshot's characters, whole numbers as written, and cover its every digit; roles fit the
    text (ordinal, headline: a line that is the title) and a period bound is its statistic's start or end year."""
    mentions, stats, texts = ctx.tables["mentions"], ctx.tables["statistics"], ctx.snapshot_of()
    each, source, role = (
        partial(_each, "mentions", mentions),
        mentions["source_id"],
        _col(mentions, "role"),
    )
    start, end, ordinal = (
        mentions["mention_start"].to_numpy(),
        mentions["mention_end"].to_numpy(),
        role == ORDINAL_ROLE,
    )
    at = np.minimum(start, 2)
    right, window, findings = _spans(texts, mentions, "mention_text", "mentions", at, 12)
    yield from findings
    whole = _per_value(_whole, window, at, end - start, missing=True)
    say = "a mention must hold a whole number as written: all its digits, its currency sign, scale word and ordinal"
    yield from each(right & ~whole.astype(bool), "mention_text", say)
    for source_id, text in texts.items():
        own = np.flatnonzero(mine := (source == source_id).to_numpy(bool, na_value=False))
        order, runs = own[np.argsort(start[own])], _digit_runs(text)
        k = np.searchsorted(start[order], runs[:, 0], side="right") - 1
        for a, b in runs[(k < 0) | (np.append(end[order], -1)[k] < runs[:, 1])]:
            say = f"source {source_id}: the number {text[a:b]!r} at {a}-{b} of the snapshot is in no mention; add it"
            yield "mentions", None, "mention_start", say, None
        title = ctx.tables["sources"].set_index("source_id")["title"][source_id]
        lines = np.array([*_lines(text, title), len(text) + 1])
        line = np.searchsorted(lines, start, side="right") - 1
        place = np.where(
            (line >= 0) & (end <= lines[line] + len(title)), "in the headline", "in the body"
        )
        wrong = ((place == "in the headline") != np.isin(role, HEADLINE_ROLES)) & ~ordinal & mine
        yield from each(wrong, "role", "the mention stands {}; its role must say so", place)
    named = mentions["statistic_id"].notna().to_numpy(bool)
    yield from each(
        ordinal & named,
        "statistic_id",
        "an ordinal names no statistic; leave it empty, or give another role",
    )
    yield from each(
        ~ordinal & ~named, "statistic_id", "a {!r} mention must name its statistic", role
    )
    written = mentions["mention_text"].str.contains(r"\d(?:st|nd|rd|th)$").to_numpy(bool)
    yield from each(
        ordinal != written, "role", "the role is 'ordinal' exactly for a number written as one"
    )
    row, text = (
        _position(mentions["statistic_id"], stats["statistic_id"]),
        _col(mentions, "mention_text"),
    )
    years = [
        np.append(stats[e].dt.year.astype("Int64").astype(str), "")[row]
        for e in ("period_start", "period_end")
    ]
    wrong = np.isin(role, BOUND_ROLES) & (row >= 0) & (text != years[0]) & (text != years[1])
    say = "year is not the start or end year of {}'s period"
    yield from each(wrong, "mention_text", say, mentions["statistic_id"])


def _nearest_unit(words: re.Pattern[str], quote: str, a: int, b: int) -> str | None:
    found = [(max(m.start() - b, a - m.end(), 0), m.group()) for m in words.finditer(quote)]
    return min(found)[1] if found else None


def figures_follow_their_words(ctx: Package) -> Findings:
    """Value mentions read as their statistic's value, one inside its quote; value_bound follows the snapshot's words
    just before it, and the unit word of any indicator nearest it is one of its indicator's unit_words."""
    stats, mentions, texts = ctx.tables["statistics"], ctx.tables["mentions"], ctx.snapshot_of()
    row, role, source = (
        _position(mentions["statistic_id"], stats["statistic_id"]),
        _col(mentions, "role"),
        None,
    )
    parsed, value = (
        _per_value(parse_mention, mentions["mention_text"]),
        np.append(_col(stats, "value"), None)[row],
    )
    wrong, say = (
        np.isin(role, VALUE_ROLES) & (row >= 0) & (parsed != value),
        "{}, but statistic {!r} has value {}",
    )

    def reads(k: int) -> str:
        return (
            "does not read as a value (an ordinal never does)"
            if parsed[k] is None
            else f"reads as {parsed[k]}"
        )

    yield from _each(
        "mentions", mentions, wrong, "mention_text", say, reads, mentions["statistic_id"], value
    )
    (start, end), source = (
        (mentions[f"mention_{e}"].to_numpy() for e in ("start", "end")),
        mentions["source_id"],
    )
    quote_start, quote_end = (
        np.append(stats[f"quote_{e}"].to_numpy(), 0)[row] for e in ("start", "end")
    )
    inside = (
        (role == "value")
        & (row >= 0)
        & (parsed == value)
        & (quote_start <= start)
        & (end <= quote_end)
    )
    sources = pd.factorize(pd.concat([stats["source_id"], source], ignore_index=True))[0]
    inside &= sources[len(stats) :] == np.append(sources[: len(stats)], -2)[row]
    first, each = np.full(len(stats) + 1, -1), partial(_each, "statistics", stats)
    first[row[inside][::-1]] = np.flatnonzero(inside)[::-1]
    yield from each(
        first[:-1] < 0, "value", "no mention with role 'value' inside the quote reads as this value"
    )
    has, m = np.flatnonzero(first[:-1] >= 0), first[first >= 0]
    found = _per_value(
        implied_bound,
        _slices(texts, source[m], np.maximum(start[m] - 40, 0), start[m]),
        missing=(None, ""),
    )
    rule, words = (np.array([f[i] for f in found], dtype=object) for i in (0, 1))
    wrong = rule != _col(stats, "value_bound")[has]
    say = (
        "the words before the number end in {!r}, which no rule reads yet: decide it in wording.py"
    )
    yield from each(wrong & pd.isna(rule), "value_bound", say, words, at=has)

    def shown(k: int) -> str:
        return "no qualifier" if rule[k] == "point" else words[k]

    say = "the words before the number ({}) make it {}"
    yield from each(wrong & pd.notna(rule), "value_bound", say, shown, rule, at=has)
    own = dict(
        zip(
            *(_col(ctx.tables["indicators"], c) for c in ("indicator_id", "unit_words")),
            strict=True,
        )
    )
    every = "|".join(re.escape(w) for ws in own.values() for w in ws.split())
    every = re.compile(rf"(?<![A-Za-z])(?:{every})(?![A-Za-z])")
    a, indicator = start[m] - quote_start[m], _col(stats, "indicator_id")[has]
    named = _per_value(
        partial(_nearest_unit, every), stats["quote"].iloc[has], a, a + end[m] - start[m]
    )
    wrong = _per_value(
        lambda n, i: n not in own.get(i, "").split(), named, indicator, missing=True
    ).astype(bool)
    word, say = (
        lambda k: f"the word {named[k]!r}" if named[k] else "no word",
        "the quote names {} for its unit, not ",
    )
    say += "one of {}'s unit_words ({})"
    yield from each(
        wrong, "indicator_id", say, word, indicator, lambda k: own.get(indicator[k]), at=has
    )


def _phrases(window: str, a: int, b: int) -> str:
    """The period phrases of a stretch of snapshot that overlap its part [a, b), joined by ' / '."""
    return " / ".join(
        m.group() for m in PERIOD_PHRASE.finditer(window) if m.start() < b and m.end() > a
    )


def periods_follow_the_words(ctx: Package) -> Findings:
    """period_text is the whole period phrase the snapshot attaches to the quote; period_type and period_start
    follow it; a period given up to the statement ("so far", "since 2004") ends on its claim_date."""
    stats, statements = ctx.tables["statistics"], ctx.tables["statements"]
    claim = statements["claim_date"].to_numpy()[
        _position(stats["statement_id"], statements["statement_id"])
    ]
    said, start = stats["period_text"].fillna("").to_numpy(object), stats["quote_start"].to_numpy()
    each = partial(_each, "statistics", stats)
    implied, at = (
        _per_value(implied_period, said, pd.DatetimeIndex(claim).year),
        np.minimum(start, 20),
    )
    kind, begin = (
        _per_value(lambda p: p[0], implied),
        pd.to_datetime(_per_value(lambda p: p[1], implied)),
    )
    quoted = _per_value(str.__contains__, stats["quote"], said).astype(bool)
    window = _slices(
        ctx.snapshot_of(), stats["source_id"], start - at, stats["quote_end"].to_numpy() + 20
    )
    phrases = _per_value(_phrases, window, at, at + stats["quote"].str.len().to_numpy())
    whole, worded = (phrases == said) | pd.isna(phrases), quoted & pd.notna(implied)
    yield from each(~quoted, "period_text", "must be words of the quote", value=said)
    say = "no rule reads this wording yet: add one to wording.py"
    yield from each(quoted & pd.isna(implied), "period_text", say, value=said)
    say = "must be the whole period phrase of the source: {!r}"
    yield from each(worded & ~whole, "period_text", say, phrases, value=said)
    worded &= whole
    yield from each(
        worded & (_col(stats, "period_type") != kind),
        "period_type",
        "period_text {!r} makes it {}",
        said,
        kind,
    )

    def begin_text(k: int) -> object:
        return "empty" if pd.isna(begin[k]) else begin[k].date()

    early = (
        stats["period_start"].fillna(pd.Timestamp(0)).to_numpy()
        != begin.fillna(pd.Timestamp(0)).to_numpy()
    )
    yield from each(
        worded & early, "period_start", "period_text {!r} makes it {}", said, begin_text
    )
    end = pd.to_datetime(np.where(kind == "unspecified", None, claim))
    wrong = worded & (
        stats["period_end"].fillna(pd.Timestamp(0)).to_numpy()
        != end.fillna(pd.Timestamp(0)).to_numpy()
    )
    yield from each(
        wrong & end.isna(), "period_end", "empty exactly when the source gives no period"
    )
    say = "a period given up to the statement ends on its claim_date ({})"
    yield from each(wrong & end.notna(), "period_end", say, lambda k: end[k].date())


def dates_are_plausible(ctx: Package) -> Findings:
    """Every date lies between EARLIEST_DATE and the package's creation; a report is not dated before the
    statement it reports, nor published before its published_not_before."""
    say = (
        f"must lie between {EARLIEST_DATE.date()} and the package's creation ({ctx.created.date()})"
    )
    for table, frame in ctx.tables.items():
        for column in frame.select_dtypes("datetime64[us]"):
            wrong = ((frame[column] < EARLIEST_DATE) | (frame[column] > ctx.created)).to_numpy()
            yield from _each(
                table, frame, wrong, column, say, value=lambda k, c=frame[column]: c.iat[k].date()
            )
    statements, sources, stats = (
        ctx.tables["statements"],
        ctx.tables["sources"],
        ctx.tables["statistics"],
    )
    published, floor = sources["published"], sources["published_not_before"]
    say, nat = "is before published_not_before", np.datetime64("NaT")
    yield from _each(
        "sources", sources, published < floor, "published", say, value=published.dt.date.to_numpy()
    )
    published = np.append(published.fillna(floor).to_numpy(), nat)
    claim = np.append(statements["claim_date"].to_numpy(), nat)[
        _position(stats["statement_id"], statements["statement_id"])
    ]
    for table, frame in (("statistics", stats), ("cross_checks", ctx.tables["cross_checks"])):
        early = published[_position(frame["source_id"], sources["source_id"])]
        early = (
            early < np.append(claim, nat)[_position(frame["statistic_id"], stats["statistic_id"])]
        )
        yield from _each(
            table, frame, early, "source_id", "this report is dated before the statement it reports"
        )


def sources_are_sound(ctx: Package) -> Findings:
    """Exactly one primary source, and every snapshot pinned (path, hash, size) in the descriptor's sources."""
    sources, primary = (
        ctx.tables["sources"],
        (ctx.tables["sources"]["source_role"] == "primary").sum(),
    )
    if primary != 1:
        yield (
            "sources",
            None,
            "source_role",
            f"exactly one source must be primary, not {primary}",
            None,
        )
    unpinned = [p is not None and p not in ctx.snapshots for p in _col(sources, "snapshot_path")]
    say = "the snapshot is not pinned (path, hash, bytes) in the sources of datapackage.json"
    yield from _each("sources", sources, unpinned, "snapshot_path", say)


def _listed(frame: pd.DataFrame, name: str) -> np.ndarray:
    return _per_value(lambda v: name in v.split(), frame["inferred_fields"], missing=False).astype(
        bool
    )


def _sentence(window: str, a: int, b: int) -> str:
    """The sentence of window that holds its part [a, b)."""
    starts, end = (
        [m.end() for m in re.finditer(r"[.!?]\s|\n", window[:a])],
        re.search(r"[.!?](\s|$)|\n", window[b:]),
    )
    return window[starts[-1] if starts else 0 : b + end.start() if end else None]


def inferred_fields_hold(ctx: Package) -> Findings:
    """inferred_fields names fields of its row and lists what is unprinted: a claim date, a period end on an inferred
    claim date, a start read from a bare year, an area the sentence of the quote does not name."""
    statements, stats, text = (
        ctx.tables["statements"],
        ctx.tables["statistics"],
        " ".join(ctx.snapshot_of().values()),
    )
    start, end = stats["quote_start"].to_numpy(), stats["quote_end"].to_numpy()
    at = np.minimum(start, 400)
    window = _slices(ctx.snapshot_of(), stats["source_id"], start - at, end + 400)

    def names(w: str, a: int, b: int, area: str) -> bool:
        """Whether the sentence around the figure names the area as a whole word."""
        return re.search(rf"(?<!\w){re.escape(area)}(?!\w)", _sentence(w, a, b)) is not None

    named = _per_value(names, window, at, at + end - start, stats["area"], missing=False)
    for table, frame in (("statistics", stats), ("statements", statements)):
        unknown = _per_value(
            lambda v, f=frame: next((n for n in v.split() if n not in f), None),
            frame["inferred_fields"],
        )
        yield from _each(
            table,
            frame,
            pd.notna(unknown),
            "inferred_fields",
            f"{{!r}} is not a field of {table}",
            unknown,
        )
    claimed, days = _listed(statements, "claim_date"), statements["claim_date"]
    printed = [
        any(f in text for f in (f"{d:%Y-%m-%d}", f"{d.day} {d:%B %Y}", f"{d:%B} {d.day}, {d.year}"))
        for d in days
    ]
    say = "the snapshot does not print claim_date: list it"
    yield from _each(
        "statements", statements, ~claimed & ~np.array(printed, bool), "inferred_fields", say
    )
    row = _position(stats["statement_id"], statements["statement_id"])
    on_claim = np.append(claimed, False)[row] & (
        stats["period_end"].to_numpy() == days.to_numpy()[row]
    )
    since, unnamed = (
        stats["period_type"] == "cumulative_since_date",
        pd.notna(window) & ~named.astype(bool),
    )
    for field, unprinted in (("period_end", on_claim), ("period_start", since), ("area", unnamed)):
        say = f"{field} is not printed with the figure: list it"
        yield from _each(
            "statistics",
            stats,
            np.asarray(unprinted) & ~_listed(stats, field),
            "inferred_fields",
            say,
        )


def facts_have_evidence(ctx: Package) -> Findings:
    """Each fact of a statement is, as whole words, the primary snapshot's characters at its span; a fact the
    snapshot does not print has no span and is listed in inferred_fields."""
    sources, statements = ctx.tables["sources"], ctx.tables["statements"]
    primary = sources["source_id"][(sources["source_role"] == "primary").to_numpy(bool)].tolist()
    text = ctx.snapshot_of().get(primary[0]) if len(primary) == 1 else None
    for field in (
        FACTS if text is not None else ()
    ):  # else sources_are_sound or the quote checks say why
        inferred, value, span = (
            _listed(statements, field),
            _col(statements, field),
            f"{field}_start:{field}_end",
        )
        for k, (a, b) in enumerate(
            zip(_col(statements, f"{field}_start"), _col(statements, f"{field}_end"), strict=True)
        ):
            if a is None or b is None:
                say = (a, b, inferred[k]) != (
                    None,
                    None,
                    True,
                ) and f"give {span}, or list {field} in inferred_fields"
            elif inferred[k]:
                say = f"a fact the snapshot prints at {span} is not inferred"
            else:
                cut = re.match(r"\w\w", text[max(a - 1, 0) : a + 1]) or re.match(
                    r"\w\w", text[b - 1 : b + 1]
                )
                say = (
                    text[a:b] != value[k] or cut
                ) and f"must be worded as the primary snapshot prints it at {span}"
                say = say and f"{say} ({text[a:b]!r}), as whole words"
            if say:
                yield "statements", statements.index[k], field, say, value[k]


def cross_checks_consistent(ctx: Package) -> Findings:
    """Cross-checks compare with cross_check sources; 'agrees' gives the statistic's value, bound and period,
    'differs' differs in one of them, and not_reported carries nothing."""
    checks, sources, stats = (
        ctx.tables["cross_checks"],
        ctx.tables["sources"],
        ctx.tables["statistics"],
    )
    s, each = (
        stats.iloc[_position(checks["statistic_id"], stats["statistic_id"])],
        partial(_each, "cross_checks", checks),
    )
    year = (
        ctx.tables["statements"]
        .set_index("statement_id")["claim_date"]
        .reindex(s["statement_id"])
        .dt.year
    )
    period = [
        implied_period(t, y)
        for t, y in zip(_col(checks, "reported_period_text"), year, strict=True)
    ]
    start = s["period_start"].dt.strftime("%Y-%m-%d").to_numpy(object, na_value=None)
    same = np.array(
        [
            p == o
            for p, o in zip(period, zip(_col(s, "period_type"), start, strict=True), strict=True)
        ],
        bool,
    )
    same &= (_col(checks, "reported_value") == _col(s, "value")) & (
        _col(checks, "reported_bound") == _col(s, "value_bound")
    )
    no_value, agreement = checks["reported_value"].isna().to_numpy(), _col(checks, "agreement")
    role = np.append(_col(sources, "source_role"), None)[
        _position(checks["source_id"], sources["source_id"])
    ]
    yield from each(role != "cross_check", "source_id", "compare only with cross_check sources")
    yield from each(
        (agreement == "agrees") & ~same,
        "agreement",
        "'agrees' needs the statistic's value, bound and period",
    )
    say = "'differs' needs a value, bound or period other than the statistic's"
    yield from each((agreement == "differs") & same, "agreement", say)
    yield from each(
        (agreement == "not_reported") & ~no_value,
        "reported_value",
        "a not_reported row carries no value",
    )
    yield from each(
        (agreement != "not_reported") & no_value,
        "reported_value",
        "only a not_reported row has no value",
    )


def _place_fault(area: str, code: str) -> str | None:
    if code and code not in countries:
        return f"{code!r} is no ISO 3166-1 code"
    if code and _NAMES.get(area.casefold()) != code:
        return f"ISO 3166-1 names {code!r} {countries.get(code).name!r}"
    name = _NAMES.get(area.casefold())
    return None if code or not name else f"{area!r} is a country: give its code {name}"


def places_agree(ctx: Package) -> Findings:
    """A country_code is an ISO 3166-1 code and its area that country's name; an area without one is no country."""
    stats = ctx.tables["statistics"]
    found = _per_value(_place_fault, stats["area"], stats["country_code"].fillna(""))
    yield from _each(
        "statistics",
        stats,
        pd.notna(found),
        "country_code",
        "area and country_code disagree: {}",
        found,
    )


def units_are_named(ctx: Package) -> Findings:
    """An indicator's unit_words are words that name its unit (wording.UNITS): the unit follows the source's words."""
    indicators = ctx.tables["indicators"]
    pairs = zip(_col(indicators, "unit"), _col(indicators, "unit_words"), strict=True)
    stray = np.array(
        [" ".join(sorted(set(words.split()) - UNITS.get(unit, set()))) for unit, words in pairs],
        dtype=object,
    )
    say = (
        "the words {!r} do not name this unit; correct the unit, or decide the words in wording.py"
    )
    yield from _each("indicators", indicators, stray != "", "unit", say, stray)


def text_fault(text: str) -> str | None:
    """Why a text is not clean English text as it reads (hidden, control or compatibility characters, letters
    outside the Latin script), or None."""
    if text.isascii() and text.isprintable():
        return None
    hidden, foreign = _HIDDEN.search(text), _NOT_LATIN.search(text)
    if hidden:
        return f"invisible or control character U+{ord(hidden.group()):04X}"
    if not unicodedata.is_normalized("NFKC", text):
        return "not in Unicode normal form NFKC: a decomposed accent, or a compatibility form such as a styled letter"
    return (
        foreign
        and f"the letter {foreign.group()!r} (U+{ord(foreign.group()):04X}) is not in the Latin script"
    )


def text_is_clean(ctx: Package) -> Findings:
    """Every text cell is English text as it reads: no control, invisible or format character, NFKC, only Latin
    letters. Each distinct text is read once, and plain printable ASCII is passed over first."""
    for table, frame in ctx.tables.items():
        for column in frame.select_dtypes("string"):
            codes, texts = pd.factorize(frame[column])
            odd = np.flatnonzero(
                ~pd.Series(texts).str.fullmatch("[ -~]*").to_numpy(bool)
            )  # not printable ASCII
            found = (
                pd.Series([text_fault(t) for t in texts.take(odd)], odd, object)
                .reindex(codes)
                .to_numpy()
            )
            yield from _each(table, frame, pd.notna(found), column, "{}", found)


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(JSON path, text) of every key and string of a JSON value."""
    if isinstance(value, str):
        yield path, value
    for key, item in value.items() if isinstance(value, dict) else ():
        yield f"{path}.{key}", key
        yield from _strings(item, f"{path}.{key}")
    for index, item in enumerate(value) if isinstance(value, list) else ():
        yield from _strings(item, f"{path}[{index}]")


def json_text_is_clean(ctx: Package) -> Findings:
    """The keys and strings of the descriptor and schemas follow the same text rules as the cells (the dialects'
    characters aside: they are the release's rules): the first fault of each file, at its JSON path."""
    for name in [n for n in ctx.raw if n.endswith(".json")]:
        texts = ((p, t) for p, t in _strings(ctx.read_json(name), "$") if ".dialect." not in p)
        first = next(((p, t, f) for p, t in texts if (f := text_fault(t))), None)
        if first:
            yield name, None, None, f"{first[0]}: {first[2]}", first[1]


CHECKS: list[Callable[[Package], Findings]] = [
    quotes_match_snapshot,
    mentions_fit_the_snapshot,
    figures_follow_their_words,
]
CHECKS += [
    periods_follow_the_words,
    dates_are_plausible,
    sources_are_sound,
    inferred_fields_hold,
    facts_have_evidence,
]
CHECKS += [
    cross_checks_consistent,
    places_agree,
    units_are_named,
    text_is_clean,
    json_text_is_clean,
]
