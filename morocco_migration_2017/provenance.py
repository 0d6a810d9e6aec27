"""The provenance checks: what no schema language states. The first sentence of each check's
docstring is its rule as docs/methodology.md states it (tests/test_methodology_checks.py holds them
to it), and each rule is a small function below it.

A check reads the typed tables and yields its findings lazily, (table, row index or None, field,
message, value), each at a constant cost. The work runs on whole columns, and Python runs once per
distinct value (_for_each_row): the benchmark's synthetic packages repeat the real rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import partial
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
# The mention roles these checks treat differently; a test holds them equal to the schema's enum of
# mentions.role.
VALUE_ROLES = ("value", "headline_value")
BOUND_ROLES = ("period_bound", "headline_period_bound")
HEADLINE_ROLES = ("headline_value", "headline_period_bound")
ORDINAL_ROLE = "ordinal"
# The statement's facts, each with its span
FACTS = ("claimant", "claimant_role", "event", "event_location")
# Morocco's independence: no figure of its ministries is older
EARLIEST_DATE = pd.Timestamp("1956-03-02")
NEAR = 1_000  # how far around its offsets a misplaced quote is looked for
MEGABYTE = 1 << 20
_HIDDEN = regex.compile(
    r"[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]"
)
_NOT_LATIN = regex.compile(r"[\p{L}--\p{Script=Latin}]", regex.V1)
_NAMES = {n.casefold(): c.alpha2 for c in countries for n in (c.name, c.apolitical_name)}
Findings = Iterator[tuple[str, Any, str | None, str, Any]]
if TYPE_CHECKING:
    from .package import Package


def _col(frame: pd.DataFrame, name: str) -> np.ndarray:
    """The column as an array of Python objects, None where a cell is empty."""
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
    """A finding for each k where mask holds, at row at[k] (default k); say is formatted with each
    args[k] (or args(k): a function that says more at a constant cost), and the value shown is
    value[k] (or value(k); by default the row's cell of field)."""
    for k in np.flatnonzero(mask):
        row = k if at is None else at[k]
        if value is None:
            shown = frame[field].iat[row]
        else:
            shown = value(k) if callable(value) else value[k]
        said = say.format(*(a(k) if callable(a) else a[k] for a in args))
        yield table, frame.index[row], field, said, shown


def _for_each_row(read: Callable[..., Any], *columns: Any, missing: Any = None) -> np.ndarray:
    """read(*row) for each row of the columns, or missing where a value of the row is missing.

    For speed only, it is [missing if None in row else read(*row) for row in zip(*columns)] with
    read called once per distinct row: the benchmark's 100,000 rows repeat a few texts."""
    factorized = [pd.factorize(column) for column in columns]
    row_codes = np.zeros(len(columns[0]), np.int64)
    for codes, uniques in factorized:  # one code per distinct row, in order of first appearance
        row_codes = pd.factorize(row_codes * (len(uniques) + 1) + codes + 1)[0]
    first = np.flatnonzero(~pd.Series(row_codes).duplicated().to_numpy())  # code k first at [k]
    values = [  # the values of each distinct row (code -1, a missing value, reads None)
        np.append(np.asarray(uniques, dtype=object), None)[codes[first]]
        for codes, uniques in factorized
    ]
    rows = (missing if None in row else read(*row) for row in zip(*values, strict=True))
    return np.fromiter(rows, dtype=object, count=len(first))[row_codes]


def _row_of(keys: pd.Series, ids: pd.Series) -> np.ndarray:
    """The row of ids that each key names (its first, if an id repeats), -1 where none does.

    For speed only, it is pd.Index(ids).get_indexer(keys), a join by position, which is slower on
    the benchmark's Arrow strings and refuses an id that repeats: this numbers ids and keys
    alike, and looks each key's number up in the first row of each id's."""
    codes, _ = pd.factorize(pd.concat([ids, keys], ignore_index=True))
    first_row = np.full(codes.max(initial=0) + 2, -1)  # by number; [-1] stays -1, a missing key
    first_row[codes[: len(ids)][::-1]] = np.arange(len(ids))[::-1]  # the last written wins
    return first_row[codes[len(ids) :]]


def _slices(
    texts: dict[str, str], sources: pd.Series, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    """text[start:end] of each row's source snapshot, None where the source has no snapshot."""
    out = np.full(len(sources), None, dtype=object)
    for source, text in texts.items():
        own = np.flatnonzero((sources == source).to_numpy(bool, na_value=False))
        spans = zip(starts[own].tolist(), ends[own].tolist(), strict=True)
        out[own] = [text[a:b] for a, b in spans]
    return out


def _span_faults(
    texts: dict[str, str], frame: pd.DataFrame, table: str, field: str, actual: np.ndarray
) -> Findings:
    """A row whose source has no snapshot, and a row whose field is not actual, the snapshot's
    characters at its offsets (<name>_start, <name>_end): each a finding."""
    name, source = field.split("_")[0], frame["source_id"]
    start, end = frame[f"{name}_start"].to_numpy(), frame[f"{name}_end"].to_numpy()
    wanted, each = _col(frame, field), partial(_each, table, frame)

    def near(k: int) -> str:  # a constant cost: the search stays near the offsets
        found = texts[source.iat[k]].find(wanted[k], max(0, start[k] - NEAR), end[k] + NEAR)
        return f"occurs at {found}" if found >= 0 else f"is not in the snapshot near {name}_start"

    no_snapshot = pd.isna(actual)
    yield from each(no_snapshot, "source_id", "the source has no snapshot to quote from")
    say = f"snapshot[{name}_start:{name}_end] is {{!r}}, not the {field}; the {field} {{}}"
    yield from each(~no_snapshot & (actual != wanted), field, say, actual, near)


def quotes_match_snapshot(ctx: Package) -> Findings:
    """Each statistic's quote is the snapshot's characters from quote_start to quote_end, checked
    character by character."""
    stats, texts = ctx.tables["statistics"], ctx.snapshot_of()
    start, end = stats["quote_start"].to_numpy(), stats["quote_end"].to_numpy()
    actual = _slices(texts, stats["source_id"], start, end)
    yield from _span_faults(texts, stats, "statistics", "quote", actual)


def _whole(window: str, at: int, length: int) -> bool:
    """Whether window[at:at + length] is a whole number as written, not a part of a longer one."""
    match = MENTION_PATTERN.match(window, at)
    if not match or match.end() != at + length:
        return False
    return not re.search(r"(\d[,.]?|\$)\Z", window[:at])


def _digit_runs(text: str) -> np.ndarray:
    """(start, end) of each run of digits: [m.span() for m in re.finditer(r"\\d+", text)].

    For speed only: that loop takes a second on the benchmark's 44 MB snapshot. This finds where
    the runs of ASCII digits start and end in the UTF-8 bytes, a megabyte at a time (no array the
    size of the text), and counts those bytes back to characters; a text with digits beyond ASCII
    takes the loop."""
    edges, in_run = [np.empty(0, np.int64)], False
    for at in range(0, len(text), MEGABYTE):
        data = np.frombuffer(text[at : at + MEGABYTE].encode(), np.uint8)
        beyond_ascii = data[data > 127].tobytes().decode()  # whole characters: a str was cut
        if any(c.isdecimal() for c in set(beyond_ascii)):
            runs = [m.span() for m in re.finditer(r"\d+", text)]
            return np.array(runs, np.int64).reshape(-1, 2)
        digit = data - 48 < 10  # b"0" to b"9": the subtraction wraps below b"0"
        changes = np.flatnonzero(np.diff(digit, prepend=in_run))  # where a run starts or ends
        continuation = np.flatnonzero((data & 0xC0) == 0x80)  # the 2nd-4th bytes of a character
        edges.append(at + changes - np.searchsorted(continuation, changes))
        in_run = bool(digit[-1])
    return np.concatenate([*edges, np.full(int(in_run), len(text))]).reshape(-1, 2)


def _lines(text: str, line: str) -> list[int]:
    """Where the lines of text that are exactly line start."""
    found, at = [], text.find(line)
    while at >= 0:
        after = at + len(line)
        if text[at - 1 : at] in ("", "\n") and text[after : after + 1] in ("", "\n"):
            found.append(at)
        at = text.find(line, at + 1)
    return found


def _whole_numbers(mentions: pd.DataFrame, window: np.ndarray, at: Any, right: Any) -> Findings:
    """A mention holds a whole number (it cannot cover part of one, or a word)."""
    length = (mentions["mention_end"] - mentions["mention_start"]).to_numpy()
    whole = _for_each_row(_whole, window, at, length, missing=True).astype(bool)
    say = (
        "a mention must hold a whole number as written: "
        "all its digits, its currency sign, scale word and ordinal"
    )
    yield from _each("mentions", mentions, right & ~whole, "mention_text", say)


def _every_digit_in_a_mention(mentions: pd.DataFrame, source_id: str, text: str) -> Findings:
    """Every run of digits lies in exactly one mention, so no number of the article can be silently
    missed (each run in the last mention that starts at or before it)."""
    mine = (mentions["source_id"] == source_id).to_numpy(bool, na_value=False)
    start, end = (
        mentions["mention_start"].to_numpy()[mine],
        mentions["mention_end"].to_numpy()[mine],
    )
    order = np.argsort(start)
    runs = _digit_runs(text)
    last = np.searchsorted(start[order], runs[:, 0], side="right") - 1
    outside = (last < 0) | (np.append(end[order], -1)[last] < runs[:, 1])
    for a, b in runs[outside]:
        say = (
            f"source {source_id}: the number {text[a:b]!r} at {a}-{b} of the snapshot "
            "is in no mention; add it"
        )
        yield "mentions", None, "mention_start", say, None


def _roles_fit_the_headline(ctx: Package, role: Any, source_id: str, text: str) -> Findings:
    """A headline repetition stands on a line that is the title, and every other mention of the
    source (an ordinal aside) in the body."""
    mentions = ctx.tables["mentions"]
    mine = (mentions["source_id"] == source_id).to_numpy(bool, na_value=False)
    start, end = mentions["mention_start"].to_numpy(), mentions["mention_end"].to_numpy()
    title = ctx.tables["sources"].set_index("source_id")["title"][source_id]
    lines = np.array([*_lines(text, title), len(text) + 1])  # where each title line starts
    line = np.searchsorted(lines, start, side="right") - 1
    headline = (line >= 0) & (end <= lines[line] + len(title))
    place = np.where(headline, "in the headline", "in the body")
    wrong = (headline != np.isin(role, HEADLINE_ROLES)) & (role != ORDINAL_ROLE) & mine
    say = "the mention stands {}; its role must say so"
    yield from _each("mentions", mentions, wrong, "role", say, place)


def _ordinals_are_no_values(mentions: pd.DataFrame, role: Any) -> Findings:
    """An ordinal (35th) is never a value: it names no statistic, every other mention names its
    own, and the role is ordinal exactly for a number written as one."""
    each = partial(_each, "mentions", mentions)
    ordinal, named = role == ORDINAL_ROLE, mentions["statistic_id"].notna().to_numpy(bool)
    say = "an ordinal names no statistic; leave it empty, or give another role"
    yield from each(ordinal & named, "statistic_id", say)
    yield from each(
        ~ordinal & ~named, "statistic_id", "a {!r} mention must name its statistic", role
    )
    written = mentions["mention_text"].str.contains(r"\d(?:st|nd|rd|th)$").to_numpy(bool)
    say = "the role is 'ordinal' exactly for a number written as one"
    yield from each(ordinal != written, "role", say)


def _years_bound_periods(mentions: pd.DataFrame, role: Any, stats: pd.DataFrame) -> Findings:
    """A year bounding a period is its statistic's start or end year."""
    row, text = (
        _row_of(mentions["statistic_id"], stats["statistic_id"]),
        _col(mentions, "mention_text"),
    )

    def year(field: str) -> np.ndarray:
        return np.append(stats[field].dt.year.astype("Int64").astype(str), "")[row]

    bound = np.isin(role, BOUND_ROLES) & (row >= 0)
    wrong = bound & (text != year("period_start")) & (text != year("period_end"))
    say = "year is not the start or end year of {}'s period"
    yield from _each("mentions", mentions, wrong, "mention_text", say, mentions["statistic_id"])


def mentions_fit_the_snapshot(ctx: Package) -> Findings:
    """Every run of digits in the snapshot was listed and classified in data/mentions.csv: the value
    of a statistic, a headline repetition of a value, a year bounding a period, its headline
    repetition, or an ordinal.

    Each mention is the snapshot's characters at its offsets and a whole number as written, every
    digit is in one, and each role fits: headline or body, ordinal, and the period's years."""
    mentions, texts = ctx.tables["mentions"], ctx.snapshot_of()
    start, end = mentions["mention_start"].to_numpy(), mentions["mention_end"].to_numpy()
    role = _col(mentions, "role")
    at = np.minimum(start, 2)  # the window holds 2 characters before and 12 after the mention
    window = _slices(texts, mentions["source_id"], start - at, end + 12)
    actual = _for_each_row(lambda w, a, n: w[a : a + n], window, at, end - start)
    yield from _span_faults(texts, mentions, "mentions", "mention_text", actual)
    yield from _whole_numbers(mentions, window, at, actual == _col(mentions, "mention_text"))
    for source_id, text in texts.items():
        yield from _every_digit_in_a_mention(mentions, source_id, text)
        yield from _roles_fit_the_headline(ctx, role, source_id, text)
    yield from _ordinals_are_no_values(mentions, role)
    yield from _years_bound_periods(mentions, role, ctx.tables["statistics"])


def _values_read_as_written(
    mentions: pd.DataFrame, role: Any, row: Any, reads: Any, value: Any
) -> Findings:
    """A value mention reads as its statistic's value (50K = 50000, $175 million = 175000000)."""
    wrong = np.isin(role, VALUE_ROLES) & (row >= 0) & (reads != value)

    def read(k: int) -> str:
        if reads[k] is None:
            return "does not read as a value (an ordinal never does)"
        return f"reads as {reads[k]}"

    say = "{}, but statistic {!r} has value {}"
    args = (read, mentions["statistic_id"], value)
    yield from _each("mentions", mentions, wrong, "mention_text", say, *args)


def _value_mention(
    stats: pd.DataFrame, mentions: pd.DataFrame, role: Any, row: Any, right: Any
) -> np.ndarray:
    """Each statistic's first mention with role 'value' that reads as its value (right) inside its
    quote, in its source; -1 where it has none."""
    start, end = mentions["mention_start"].to_numpy(), mentions["mention_end"].to_numpy()
    quote_start = np.append(stats["quote_start"].to_numpy(), 0)[row]
    quote_end = np.append(stats["quote_end"].to_numpy(), 0)[row]
    source = np.append(_col(stats, "source_id"), None)[row]
    inside = (quote_start <= start) & (end <= quote_end) & (_col(mentions, "source_id") == source)
    found = np.flatnonzero((role == "value") & (row >= 0) & right & inside)
    has, first = np.unique(row[found], return_index=True)  # the first mention of each statistic
    mention = np.full(len(stats), -1)
    mention[has] = found[first]
    return mention


def _bounds_follow_the_words(ctx: Package, has: Any, mention: Any) -> Findings:
    """The validator reads the qualifier itself from the words just before the number in the
    snapshot, whether or not the quote includes them (wording.implied_bound)."""
    stats, mentions = ctx.tables["statistics"], ctx.tables["mentions"]
    start = mentions["mention_start"].to_numpy()[mention]
    before = _slices(
        ctx.snapshot_of(), mentions["source_id"].iloc[mention], np.maximum(start - 40, 0), start
    )
    found = _for_each_row(implied_bound, before, missing=(None, ""))
    rule, words = (np.array([f[i] for f in found], dtype=object) for i in (0, 1))
    wrong, each = (
        rule != _col(stats, "value_bound")[has],
        partial(_each, "statistics", stats, at=has),
    )
    say = (
        "the words before the number end in {!r}, which no rule reads yet: decide it in wording.py"
    )
    yield from each(wrong & pd.isna(rule), "value_bound", say, words)

    def shown(k: int) -> str:
        return "no qualifier" if rule[k] == "point" else words[k]

    say = "the words before the number ({}) make it {}"
    yield from each(wrong & pd.notna(rule), "value_bound", say, shown, rule)


def _nearest_unit(words: re.Pattern[str], quote: str, a: int, b: int) -> str | None:
    """The unit word of quote nearest its part [a, b), or None where it names none."""
    found = [(max(m.start() - b, a - m.end(), 0), m.group()) for m in words.finditer(quote)]
    return min(found)[1] if found else None


def _units_follow_the_words(ctx: Package, has: Any, mention: Any) -> Findings:
    """The word nearest each value in its quote must be one of its indicator's unit_words."""
    stats, mentions, indicators = (ctx.tables[t] for t in ("statistics", "mentions", "indicators"))
    own = dict(zip(_col(indicators, "indicator_id"), _col(indicators, "unit_words"), strict=True))
    any_word = "|".join(re.escape(w) for words in own.values() for w in words.split())
    unit_word = re.compile(rf"(?<![A-Za-z])(?:{any_word})(?![A-Za-z])")
    start, end = (
        mentions["mention_start"].to_numpy()[mention],
        mentions["mention_end"].to_numpy()[mention],
    )
    a, indicator = start - stats["quote_start"].to_numpy()[has], _col(stats, "indicator_id")[has]
    nearest = partial(_nearest_unit, unit_word)
    named = _for_each_row(nearest, stats["quote"].iloc[has], a, a + end - start)
    unlisted = _for_each_row(
        lambda n, i: n not in own.get(i, "").split(), named, indicator, missing=True
    )

    def word(k: int) -> str:
        return f"the word {named[k]!r}" if named[k] else "no word"

    say = "the quote names {} for its unit, not one of {}'s unit_words ({})"
    args = (word, indicator, lambda k: own.get(indicator[k]))
    yield from _each("statistics", stats, unlisted.astype(bool), "indicator_id", say, *args, at=has)


def figures_follow_their_words(ctx: Package) -> Findings:
    """Every statistic has a value mention inside its quote that reads as its value.

    Each value mention reads as its statistic's value; the words just before a statistic's mention
    give its value_bound, and the word nearest it in the quote names its unit."""
    stats, mentions = ctx.tables["statistics"], ctx.tables["mentions"]
    row = _row_of(mentions["statistic_id"], stats["statistic_id"])
    role, reads = _col(mentions, "role"), _for_each_row(parse_mention, mentions["mention_text"])
    value = np.append(_col(stats, "value"), None)[row]
    yield from _values_read_as_written(mentions, role, row, reads, value)
    mention = _value_mention(stats, mentions, role, row, reads == value)
    say = "no mention with role 'value' inside the quote reads as this value"
    yield from _each("statistics", stats, mention < 0, "value", say)
    has = np.flatnonzero(mention >= 0)
    yield from _bounds_follow_the_words(ctx, has, mention[has])
    yield from _units_follow_the_words(ctx, has, mention[has])


def _phrases(window: str, a: int, b: int) -> str:
    """The period phrases of a stretch of snapshot that overlap its part [a, b), joined by ' / '."""
    found = PERIOD_PHRASE.finditer(window)
    return " / ".join(m.group() for m in found if m.start() < b and m.end() > a)


def _source_phrases(ctx: Package, stats: pd.DataFrame) -> np.ndarray:
    """The period phrases of the snapshot that overlap each statistic's quote (_phrases), None
    where its source has no snapshot."""
    start, end = stats["quote_start"].to_numpy(), stats["quote_end"].to_numpy()
    at = np.minimum(start, 20)  # the window holds 20 characters either side of the quote
    window = _slices(ctx.snapshot_of(), stats["source_id"], start - at, end + 20)
    return _for_each_row(_phrases, window, at, at + stats["quote"].str.len().to_numpy())


def _period_texts_are_phrases(
    stats: pd.DataFrame, said: Any, phrases: Any, quoted: Any, worded: Any, whole: Any
) -> Findings:
    """period_text is words of the quote (quoted) that a rule of wording.py reads (worded), and the
    whole period phrase the article attaches to the number (whole): not so far cut from so far in
    2017."""
    each = partial(_each, "statistics", stats, value=said)
    yield from each(~quoted, "period_text", "must be words of the quote")
    say = "no rule reads this wording yet: add one to wording.py"
    yield from each(quoted & ~worded, "period_text", say)
    say = "must be the whole period phrase of the source: {!r}"
    yield from each(worded & ~whole, "period_text", say, phrases)


def _periods_follow(
    stats: pd.DataFrame, said: Any, implied: Any, claim: Any, worded: Any
) -> Findings:
    """period_type and period_start follow period_text, and a so far or to date period ends on
    the statement's claim_date."""
    kind = _for_each_row(lambda period: period[0], implied)
    begin = pd.to_datetime(_for_each_row(lambda period: period[1], implied))
    each = partial(_each, "statistics", stats)
    say = "period_text {!r} makes it {}"
    yield from each(worded & (_col(stats, "period_type") != kind), "period_type", say, said, kind)

    def begin_text(k: int) -> object:
        return "empty" if pd.isna(begin[k]) else begin[k].date()

    def differs(dates: pd.Series, wanted: pd.DatetimeIndex) -> np.ndarray:
        empty = pd.Timestamp(0)
        return dates.fillna(empty).to_numpy() != wanted.fillna(empty).to_numpy()

    yield from each(
        worded & differs(stats["period_start"], begin), "period_start", say, said, begin_text
    )
    end = pd.to_datetime(np.where(kind == "unspecified", None, claim))
    wrong = worded & differs(stats["period_end"], end)
    say = "empty exactly when the source gives no period"
    yield from each(wrong & end.isna(), "period_end", say)
    say = "a period given up to the statement ends on its claim_date ({})"
    yield from each(wrong & end.notna(), "period_end", say, lambda k: end[k].date())


def periods_follow_the_words(ctx: Package) -> Findings:
    """Periods are read from period_text, which must be the whole period phrase the article
    attaches to the number (not so far cut from so far in 2017); a so far or to date period ends
    on the statement's claim_date."""
    stats, statements = ctx.tables["statistics"], ctx.tables["statements"]
    row = _row_of(stats["statement_id"], statements["statement_id"])
    claim = statements["claim_date"].to_numpy()[row]
    said = stats["period_text"].fillna("").to_numpy(object)
    implied = _for_each_row(implied_period, said, pd.DatetimeIndex(claim).year)
    quoted = _for_each_row(str.__contains__, stats["quote"], said).astype(bool)
    phrases = _source_phrases(ctx, stats)
    worded, whole = quoted & pd.notna(implied), (phrases == said) | pd.isna(phrases)
    yield from _period_texts_are_phrases(stats, said, phrases, quoted, worded, whole)
    yield from _periods_follow(stats, said, implied, claim, worded & whole)


def _dates_in_window(ctx: Package) -> Findings:
    """Every date lies between EARLIEST_DATE and the package's creation."""
    say = (
        f"must lie between {EARLIEST_DATE.date()} and the package's creation ({ctx.created.date()})"
    )
    for table, frame in ctx.tables.items():
        for column in frame.select_dtypes("datetime64[us]"):
            dates = frame[column]
            wrong = ((dates < EARLIEST_DATE) | (dates > ctx.created)).to_numpy()
            shown = partial(lambda k, c: c.iat[k].date(), c=dates)
            yield from _each(table, frame, wrong, column, say, value=shown)


def dates_are_plausible(ctx: Package) -> Findings:
    """Dates lie between Morocco's independence (1956-03-02), since no figure of its ministries is
    older, and the package's creation; the statement is no later than any report of it, and a
    report is not published before its published_not_before."""
    yield from _dates_in_window(ctx)
    statements, sources, stats = (ctx.tables[t] for t in ("statements", "sources", "statistics"))
    published, floor = sources["published"], sources["published_not_before"]
    say, nat = "is before published_not_before", np.datetime64("NaT")
    shown = published.dt.date.to_numpy()
    yield from _each("sources", sources, published < floor, "published", say, value=shown)
    published = np.append(published.fillna(floor).to_numpy(), nat)
    claims = np.append(statements["claim_date"].to_numpy(), nat)
    claim = np.append(claims[_row_of(stats["statement_id"], statements["statement_id"])], nat)
    say = "this report is dated before the statement it reports"
    for table, frame in (("statistics", stats), ("cross_checks", ctx.tables["cross_checks"])):
        report = published[_row_of(frame["source_id"], sources["source_id"])]
        statement = claim[_row_of(frame["statistic_id"], stats["statistic_id"])]
        yield from _each(table, frame, report < statement, "source_id", say)


def sources_are_sound(ctx: Package) -> Findings:
    """The article is the only primary source. Its snapshot's SHA-256 and size are pinned in the
    sources of datapackage.json, with every other snapshot's."""
    sources = ctx.tables["sources"]
    primary = (sources["source_role"] == "primary").sum()
    if primary != 1:
        say = f"exactly one source must be primary, not {primary}"
        yield "sources", None, "source_role", say, None
    paths = _col(sources, "snapshot_path")
    unpinned = [p is not None and p not in ctx.snapshots for p in paths]
    say = "the snapshot is not pinned (path, hash, bytes) in the sources of datapackage.json"
    yield from _each("sources", sources, unpinned, "snapshot_path", say)


def _listed(frame: pd.DataFrame, name: str) -> np.ndarray:
    """Whether each row's inferred_fields lists name."""
    listed = _for_each_row(lambda v: name in v.split(), frame["inferred_fields"], missing=False)
    return listed.astype(bool)


def _sentence(window: str, a: int, b: int) -> str:
    """The sentence of window that holds its part [a, b)."""
    starts = [m.end() for m in re.finditer(r"[.!?]\s|\n", window[:a])]
    end = re.search(r"[.!?](\s|$)|\n", window[b:])
    return window[starts[-1] if starts else 0 : b + end.start() if end else None]


def _names_the_area(window: str, a: int, b: int, area: str) -> bool:
    """Whether the sentence around the figure at window[a:b] names the area as a whole word."""
    return re.search(rf"(?<!\w){re.escape(area)}(?!\w)", _sentence(window, a, b)) is not None


def _inferred_are_fields(ctx: Package) -> Findings:
    """inferred_fields names fields of its own row."""
    for table in ("statistics", "statements"):
        frame = ctx.tables[table]
        unknown = _for_each_row(
            lambda v, f=frame: next((n for n in v.split() if n not in f), None),
            frame["inferred_fields"],
        )
        say = f"{{!r}} is not a field of {table}"
        yield from _each(table, frame, pd.notna(unknown), "inferred_fields", say, unknown)


def _unprinted_claim_dates_listed(ctx: Package) -> Findings:
    """A claim date the snapshot does not print must be listed."""
    statements, text = ctx.tables["statements"], " ".join(ctx.snapshot_of().values())
    written = ("{d:%Y-%m-%d}", "{d.day} {d:%B %Y}", "{d:%B} {d.day}, {d.year}")
    days = statements["claim_date"]
    printed = np.array([any(w.format(d=d) in text for w in written) for d in days], bool)
    say = "the snapshot does not print claim_date: list it"
    unlisted = ~_listed(statements, "claim_date") & ~printed
    yield from _each("statements", statements, unlisted, "inferred_fields", say)


def _unprinted_figure_fields_listed(ctx: Package) -> Findings:
    """A period end equal to an inferred claim date, a start read from a bare year, and an area
    the sentence of the quote does not name must be listed."""
    statements, stats = ctx.tables["statements"], ctx.tables["statistics"]
    start, end = stats["quote_start"].to_numpy(), stats["quote_end"].to_numpy()
    at = np.minimum(start, 400)  # the window holds 400 characters either side of the quote
    window = _slices(ctx.snapshot_of(), stats["source_id"], start - at, end + 400)
    args = (window, at, at + end - start, stats["area"])
    named = _for_each_row(_names_the_area, *args, missing=False).astype(bool)
    row = _row_of(stats["statement_id"], statements["statement_id"])
    inferred_claim = np.append(_listed(statements, "claim_date"), False)[row]
    on_claim = stats["period_end"].to_numpy() == statements["claim_date"].to_numpy()[row]
    unprinted = {
        "period_end": inferred_claim & on_claim,
        "period_start": stats["period_type"] == "cumulative_since_date",
        "area": pd.notna(window) & ~named,
    }
    for field, mask in unprinted.items():
        say = f"{field} is not printed with the figure: list it"
        unlisted = np.asarray(mask) & ~_listed(stats, field)
        yield from _each("statistics", stats, unlisted, "inferred_fields", say)


def inferred_fields_hold(ctx: Package) -> Findings:
    """Each row's inferred_fields lists the fields whose values are not printed in the article;
    the row's notes give the evidence.

    The validator requires these listings: a claim date the snapshot does not print, a period end
    equal to an inferred claim date, a start read from a bare year, and an area its sentence does
    not name."""
    yield from _inferred_are_fields(ctx)
    yield from _unprinted_claim_dates_listed(ctx)
    yield from _unprinted_figure_fields_listed(ctx)


def _fact_fault(text: str, a: Any, b: Any, value: Any, inferred: bool, field: str) -> str | None:
    """Why a statement's fact, value with its span text[a:b], is not the evidence it must be."""
    span = f"{field}_start:{field}_end"
    if a is None or b is None:
        if a is None and b is None and inferred:
            return None  # a fact the snapshot does not print
        return f"give {span}, or list {field} in inferred_fields"
    if inferred:
        return f"a fact the snapshot prints at {span} is not inferred"
    cut = re.match(r"\w\w", text[max(a - 1, 0) : a + 1]) or re.match(r"\w\w", text[b - 1 : b + 1])
    if text[a:b] != value or cut:
        return (
            f"must be worded as the primary snapshot prints it at {span} "
            f"({text[a:b]!r}), as whole words"
        )
    return None


def facts_have_evidence(ctx: Package) -> Findings:
    """Claimant, role, event, location are worded as the article words them, and each has its
    evidence span in the snapshot, checked character by character as the quotes are.

    A fact the snapshot does not print has no span and is listed in inferred_fields."""
    sources, statements = ctx.tables["sources"], ctx.tables["statements"]
    primary = sources["source_id"][(sources["source_role"] == "primary").to_numpy(bool)].tolist()
    text = ctx.snapshot_of().get(primary[0]) if len(primary) == 1 else None
    if text is None:  # sources_are_sound or the quote checks say why
        return
    for field in FACTS:
        inferred, value = _listed(statements, field), _col(statements, field)
        spans = zip(
            _col(statements, f"{field}_start"), _col(statements, f"{field}_end"), strict=True
        )
        for k, (a, b) in enumerate(spans):
            say = _fact_fault(text, a, b, value[k], inferred[k], field)
            if say:
                yield "statements", statements.index[k], field, say, value[k]


def _reports_the_statistic(ctx: Package) -> np.ndarray:
    """Whether each cross-check reports its statistic's value, bound and period."""
    checks, stats = ctx.tables["cross_checks"], ctx.tables["statistics"]
    s = stats.iloc[_row_of(checks["statistic_id"], stats["statistic_id"])]
    claims = ctx.tables["statements"].set_index("statement_id")["claim_date"]
    year = claims.reindex(s["statement_id"]).dt.year
    texts = _col(checks, "reported_period_text")
    period = [implied_period(t, y) for t, y in zip(texts, year, strict=True)]
    start = s["period_start"].dt.strftime("%Y-%m-%d").to_numpy(object, na_value=None)
    ours = zip(_col(s, "period_type"), start, strict=True)
    same = np.array([p == o for p, o in zip(period, ours, strict=True)], bool)
    same &= _col(checks, "reported_value") == _col(s, "value")
    same &= _col(checks, "reported_bound") == _col(s, "value_bound")
    return same


def cross_checks_consistent(ctx: Package) -> Findings:
    """A cross-check compares with a cross_check source: agrees gives the statistic's value, bound
    and period, differs differs in one of them, and not_reported carries no value."""
    checks, sources = ctx.tables["cross_checks"], ctx.tables["sources"]
    role = np.append(_col(sources, "source_role"), None)
    role = role[_row_of(checks["source_id"], sources["source_id"])]
    same, agreement = _reports_the_statistic(ctx), _col(checks, "agreement")
    no_value, each = (
        checks["reported_value"].isna().to_numpy(),
        partial(_each, "cross_checks", checks),
    )
    yield from each(role != "cross_check", "source_id", "compare only with cross_check sources")
    say = "'agrees' needs the statistic's value, bound and period"
    yield from each((agreement == "agrees") & ~same, "agreement", say)
    say = "'differs' needs a value, bound or period other than the statistic's"
    yield from each((agreement == "differs") & same, "agreement", say)
    say = "a not_reported row carries no value"
    yield from each((agreement == "not_reported") & ~no_value, "reported_value", say)
    say = "only a not_reported row has no value"
    yield from each((agreement != "not_reported") & no_value, "reported_value", say)


def _place_fault(area: str, code: str) -> str | None:
    """Why an area and its country_code (or '') disagree, or None."""
    if code and code not in countries:
        return f"{code!r} is no ISO 3166-1 code"
    if code and _NAMES.get(area.casefold()) != code:
        return f"ISO 3166-1 names {code!r} {countries.get(code).name!r}"
    name = _NAMES.get(area.casefold())
    return None if code or not name else f"{area!r} is a country: give its code {name}"


def places_agree(ctx: Package) -> Findings:
    """An area and its ISO 3166-1 country_code must agree. The code is the country of that name,
    and an area without a code is no country."""
    stats = ctx.tables["statistics"]
    found = _for_each_row(_place_fault, stats["area"], stats["country_code"].fillna(""))
    say = "area and country_code disagree: {}"
    yield from _each("statistics", stats, pd.notna(found), "country_code", say, found)


def units_are_named(ctx: Package) -> Findings:
    """Each indicator's unit_words are the article's own words for its unit; the word nearest each
    value in its quote must be one of them, and they must name the indicator's unit.

    The words that name each unit are wording.UNITS."""
    indicators = ctx.tables["indicators"]
    pairs = zip(_col(indicators, "unit"), _col(indicators, "unit_words"), strict=True)
    stray = [" ".join(sorted(set(words.split()) - UNITS.get(unit, set()))) for unit, words in pairs]
    stray = np.array(stray, dtype=object)
    say = (
        "the words {!r} do not name this unit; correct the unit, or decide the words in wording.py"
    )
    yield from _each("indicators", indicators, stray != "", "unit", say, stray)


def text_fault(text: str) -> str | None:
    """Why a text is not clean English text as it reads (hidden, control or compatibility
    characters, letters outside the Latin script), or None."""
    if text.isascii() and text.isprintable():
        return None
    hidden, foreign = _HIDDEN.search(text), _NOT_LATIN.search(text)
    if hidden:
        return f"invisible or control character U+{ord(hidden.group()):04X}"
    if not unicodedata.is_normalized("NFKC", text):
        return (
            "not in Unicode normal form NFKC: "
            "a decomposed accent, or a compatibility form such as a styled letter"
        )
    if foreign:
        letter = foreign.group()
        return f"the letter {letter!r} (U+{ord(letter):04X}) is not in the Latin script"
    return None


def text_is_clean(ctx: Package) -> Findings:
    """Every text cell is clean English text: no control, format or default-ignorable character,
    Unicode NFKC so no compatibility form such as a styled letter, and only Latin letters.

    Each distinct text is read once, and plain printable ASCII is passed over first."""
    for table, frame in ctx.tables.items():
        for column in frame.select_dtypes("string"):
            codes, texts = pd.factorize(frame[column])
            ascii_ = pd.Series(texts).str.fullmatch("[ -~]*").to_numpy(bool)  # printable ASCII
            odd = np.flatnonzero(~ascii_)
            faults = pd.Series([text_fault(t) for t in texts.take(odd)], odd, object)
            found = faults.reindex(codes).to_numpy()
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
    """The keys and strings of the descriptor and schemas follow the same text rules as the cells,
    the dialects' characters aside (they are the release's rules).

    Only the first fault of each file is named, at its JSON path."""
    for name in [n for n in ctx.raw if n.endswith(".json")]:
        texts = ((p, t) for p, t in _strings(ctx.read_json(name), "$") if ".dialect." not in p)
        first = next(((p, t, f) for p, t in texts if (f := text_fault(t))), None)
        if first:
            yield name, None, None, f"{first[0]}: {first[2]}", first[1]


CHECKS: list[Callable[[Package], Findings]] = [
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
    units_are_named,
    text_is_clean,
    json_text_is_clean,
]
