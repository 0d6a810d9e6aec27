"""The provenance checks: what no schema language states. Each check's rule is the first sentence of
its docstring, as docs/methodology.md states it; a check yields its findings lazily, (table, row
index or None, field, message, value), from whole columns, Python running once per distinct value.
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

from . import wording

CHECK = "provenance"
# The mention roles these checks tell apart; a test holds them to the schema's mentions.role.
VALUE_ROLES = ("value", "headline_value")
BOUND_ROLES = ("period_bound", "headline_period_bound")
HEADLINE_ROLES = ("headline_value", "headline_period_bound")
ORDINAL_ROLE = "ordinal"
FACTS = ("claimant", "claimant_role", "event", "event_location")  # each with its span
EARLIEST_DATE = pd.Timestamp("1956-03-02")  # independence: no figure of its ministries is older
NEAR = 1_000  # how far around its offsets a misplaced quote is looked for
MEGABYTE = 1 << 20
_HIDDEN = regex.compile(r"[\p{C}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]")
_NOT_LATIN = regex.compile(r"[\p{L}--\p{Script=Latin}]", regex.V1)
_NAMES = {n.casefold(): c.alpha2 for c in countries for n in (c.name, c.apolitical_name)}
Findings = Iterator[tuple[str, Any, str | None, str, Any]]
if TYPE_CHECKING:
    from .package import Package


def _col(frame: pd.DataFrame, name: str) -> np.ndarray:
    """The column as an array of Python objects, None where a cell is empty."""
    return frame[name].to_numpy(object, na_value=None)


def _offsets(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The columns <name>_start and <name>_end as arrays."""
    return frame[f"{name}_start"].to_numpy(), frame[f"{name}_end"].to_numpy()


def _each(
    table: str, frame: pd.DataFrame, mask: Any, field: str, say: str, *args: Any, value: Any = None
) -> Findings:
    """A finding for each row k where mask holds: say formatted with each args[k] (or args(k)),
    showing value[k] (or value(k); by default the cell of field)."""

    def pick(a: Any, k: int) -> Any:
        return a(k) if callable(a) else a[k]

    for k in np.flatnonzero(mask):
        shown = frame[field].iat[k] if value is None else pick(value, k)
        yield table, frame.index[k], field, say.format(*(pick(a, k) for a in args)), shown


def _for_each_row(read: Callable[..., Any], *columns: Any, missing: Any = None) -> np.ndarray:
    """For speed only, [missing if None in row else read(*row) for row in zip(*columns)], calling
    read once per distinct row (the benchmark's 100,000 rows repeat a few texts)."""
    factorized = [pd.factorize(column) for column in columns]
    row_codes = np.zeros(len(columns[0]), np.int64)
    for codes, uniques in factorized:  # one code per distinct row, in order of first appearance
        row_codes = pd.factorize(row_codes * (len(uniques) + 1) + codes + 1)[0]
    first = np.flatnonzero(~pd.Series(row_codes).duplicated().to_numpy())  # code k first at [k]
    # The values of each distinct row (code -1, a missing value, reads None)
    values = [np.append(np.asarray(u, dtype=object), None)[c[first]] for c, u in factorized]
    rows = (missing if None in row else read(*row) for row in zip(*values, strict=True))
    return np.fromiter(rows, dtype=object, count=len(first))[row_codes]


def _row_of(keys: pd.Series, ids: pd.Series) -> np.ndarray:
    """The row of ids each key names (an id's first), -1 where none does. For speed only, it is
    pd.Index(ids).get_indexer(keys), slower on Arrow strings and refusing an id that repeats."""
    codes, _ = pd.factorize(pd.concat([ids, keys], ignore_index=True))
    first_row = np.full(codes.max(initial=0) + 2, -1)  # by number; [-1] stays -1, a missing key
    first_row[codes[: len(ids)][::-1]] = np.arange(len(ids))[::-1]  # the last written wins
    return first_row[codes[len(ids) :]]


def _slices(texts: dict[str, str], sources: pd.Series, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """text[a:b] of each row's source snapshot, None where the source has no snapshot."""
    out = np.full(len(sources), None, dtype=object)
    for source, text in texts.items():
        own = np.flatnonzero((sources == source).to_numpy(bool, na_value=False))
        spans = zip(a[own].tolist(), b[own].tolist(), strict=True)
        out[own] = [text[start:end] for start, end in spans]
    return out


def _span_faults(ctx: Package, table: str, field: str, actual: np.ndarray) -> Findings:
    """A row whose source has no snapshot, or whose field is not actual, the text at its offsets."""
    frame, texts, name = ctx.tables[table], ctx.snapshot_of(), field.split("_")[0]
    source, wanted, (start, end) = frame["source_id"], _col(frame, field), _offsets(frame, name)

    def near(k: int) -> str:  # a constant cost: the search stays near the offsets
        found = texts[source.iat[k]].find(wanted[k], max(0, start[k] - NEAR), end[k] + NEAR)
        return f"occurs at {found}" if found >= 0 else f"is not in the snapshot near {name}_start"

    no_snapshot, each = pd.isna(actual), partial(_each, table, frame)
    yield from each(no_snapshot, "source_id", "the source has no snapshot to quote from")
    say = f"snapshot[{name}_start:{name}_end] is {{!r}}, not the {field}; the {field} {{}}"
    yield from each(~no_snapshot & (actual != wanted), field, say, actual, near)


def quotes_match_snapshot(ctx: Package) -> Findings:
    """Each statistic's quote is the snapshot's characters from quote_start to quote_end, checked
    character by character."""
    stats = ctx.tables["statistics"]
    actual = _slices(ctx.snapshot_of(), stats["source_id"], *_offsets(stats, "quote"))
    yield from _span_faults(ctx, "statistics", "quote", actual)


def _whole(window: str, at: int, length: int) -> bool:
    """Whether window[at:at + length] is a whole number as written, not a part of a longer one."""
    match = wording.MENTION_PATTERN.match(window, at)
    if not match or match.end() != at + length:
        return False
    return not re.search(r"(\d[,.]?|\$)\Z", window[:at])


def _digit_runs(text: str) -> np.ndarray:
    """For speed only, [m.span() for m in re.finditer(r"\\d+", text)] (a second on 44 MB): ASCII
    digits found in the UTF-8 bytes, a megabyte at a time (digits beyond ASCII take the loop)."""
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


def _mentions_of_the_source(ctx: Package, role: Any, source_id: str, text: str) -> Findings:
    """Every run of digits lies in exactly one mention (the last that starts at or before it), and
    a headline repetition stands on a line that is the title, every other mention (an ordinal
    aside) in the body."""
    mentions = ctx.tables["mentions"]
    mine = (mentions["source_id"] == source_id).to_numpy(bool, na_value=False)
    start, end = _offsets(mentions, "mention")
    order, runs = np.argsort(start[mine]), _digit_runs(text)
    last = np.searchsorted(start[mine][order], runs[:, 0], side="right") - 1
    outside = (last < 0) | (np.append(end[mine][order], -1)[last] < runs[:, 1])
    for a, b in runs[outside]:
        say = f"source {source_id}: the number {text[a:b]!r} at {a}-{b} of the snapshot"
        yield "mentions", None, "mention_start", f"{say} is in no mention; add it", None
    title = ctx.tables["sources"].set_index("source_id")["title"][source_id]
    lines = np.array([*_lines(text, title), len(text) + 1])  # where each title line starts
    line = np.searchsorted(lines, start, side="right") - 1
    headline = (line >= 0) & (end <= lines[line] + len(title))
    place = np.where(headline, "in the headline", "in the body")
    wrong = (headline != np.isin(role, HEADLINE_ROLES)) & (role != ORDINAL_ROLE) & mine
    say = "the mention stands {}; its role must say so"
    yield from _each("mentions", mentions, wrong, "role", say, place)


def _roles_fit_the_statistics(mentions: pd.DataFrame, role: Any, stats: pd.DataFrame) -> Findings:
    """An ordinal (35th) is never a value: it names no statistic, every other mention names its
    own, and the role is ordinal exactly for a number written as one. A year bounding a period is
    its statistic's start or end year."""
    each = partial(_each, "mentions", mentions)
    ordinal, named = role == ORDINAL_ROLE, mentions["statistic_id"].notna().to_numpy(bool)
    say = "an ordinal names no statistic; leave it empty, or give another role"
    yield from each(ordinal & named, "statistic_id", say)
    say = "a {!r} mention must name its statistic"
    yield from each(~ordinal & ~named, "statistic_id", say, role)
    written = mentions["mention_text"].str.contains(r"\d(?:st|nd|rd|th)$").to_numpy(bool)
    say = "the role is 'ordinal' exactly for a number written as one"
    yield from each(ordinal != written, "role", say)
    text = _col(mentions, "mention_text")
    row = _row_of(mentions["statistic_id"], stats["statistic_id"])
    wrong = np.isin(role, BOUND_ROLES) & (row >= 0)
    for field in ("period_start", "period_end"):
        year = stats[field].dt.year.astype("Int64").astype(str)
        wrong &= text != np.append(year, "")[row]
    say = "year is not the start or end year of {}'s period"
    yield from each(wrong, "mention_text", say, mentions["statistic_id"])


def mentions_fit_the_snapshot(ctx: Package) -> Findings:
    """Every run of digits in the snapshot was listed and classified in data/mentions.csv: the value
    of a statistic, a headline repetition of a value, a year bounding a period, its headline
    repetition, or an ordinal."""
    mentions, texts = ctx.tables["mentions"], ctx.snapshot_of()
    (start, end), role = _offsets(mentions, "mention"), _col(mentions, "role")
    at = np.minimum(start, 2)  # the window holds 2 characters before and 12 after the mention
    window = _slices(texts, mentions["source_id"], start - at, end + 12)
    actual = _for_each_row(lambda w, a, n: w[a : a + n], window, at, end - start)
    yield from _span_faults(ctx, "mentions", "mention_text", actual)
    # A mention holds a whole number (it cannot cover part of one, or a word)
    whole = _for_each_row(_whole, window, at, end - start, missing=True).astype(bool)
    say = (
        "a mention must hold a whole number as written: "
        "all its digits, its currency sign, scale word and ordinal"
    )
    wrong = (actual == _col(mentions, "mention_text")) & ~whole
    yield from _each("mentions", mentions, wrong, "mention_text", say)
    for source_id, text in texts.items():
        yield from _mentions_of_the_source(ctx, role, source_id, text)
    yield from _roles_fit_the_statistics(mentions, role, ctx.tables["statistics"])


def _bounds_follow_the_words(ctx: Package, stats: pd.DataFrame, mention: Any) -> Findings:
    """The words just before the number in the snapshot, quoted or not, give the value_bound."""
    mentions = ctx.tables["mentions"]
    start, source = mentions["mention_start"].to_numpy()[mention], mentions["source_id"]
    before = _slices(ctx.snapshot_of(), source.iloc[mention], np.maximum(start - 40, 0), start)
    found = _for_each_row(wording.implied_bound, before, missing=(None, ""))
    rule, words = (np.array([f[i] for f in found], dtype=object) for i in (0, 1))
    wrong, each = rule != _col(stats, "value_bound"), partial(_each, "statistics", stats)
    say = (
        "the words before the number end in {!r}, which no rule reads yet: decide it in wording.py"
    )
    yield from each(wrong & pd.isna(rule), "value_bound", say, words)
    shown = np.where(rule == "point", "no qualifier", words)
    say = "the words before the number ({}) make it {}"
    yield from each(wrong & pd.notna(rule), "value_bound", say, shown, rule)


def _nearest_unit(words: re.Pattern[str], quote: str, a: int, b: int) -> str | None:
    """The unit word of quote nearest its part [a, b), or None where it names none."""
    found = [(max(m.start() - b, a - m.end(), 0), m.group()) for m in words.finditer(quote)]
    return min(found)[1] if found else None


def _units_follow_the_words(ctx: Package, stats: pd.DataFrame, mention: Any) -> Findings:
    """The word nearest each value in its quote must be one of its indicator's unit_words."""
    mentions, indicators = ctx.tables["mentions"], ctx.tables["indicators"]
    own = dict(zip(_col(indicators, "indicator_id"), _col(indicators, "unit_words"), strict=True))
    any_word = "|".join(re.escape(w) for words in own.values() for w in words.split())
    unit_word = re.compile(rf"(?<![A-Za-z])(?:{any_word})(?![A-Za-z])")
    start, end = (offset[mention] for offset in _offsets(mentions, "mention"))
    a, indicator = start - stats["quote_start"].to_numpy(), _col(stats, "indicator_id")
    named = _for_each_row(partial(_nearest_unit, unit_word), stats["quote"], a, a + end - start)
    unlisted = _for_each_row(
        lambda n, i: n not in own.get(i, "").split(), named, indicator, missing=True
    )

    def word(k: int) -> str:
        return f"the word {named[k]!r}" if named[k] else "no word"

    say = "the quote names {} for its unit, not one of {}'s unit_words ({})"
    args = (word, indicator, lambda k: own.get(indicator[k]))
    yield from _each("statistics", stats, unlisted.astype(bool), "indicator_id", say, *args)


def figures_follow_their_words(ctx: Package) -> Findings:
    """Every statistic has a value mention inside its quote that reads as its value."""
    stats, mentions = ctx.tables["statistics"], ctx.tables["mentions"]
    row = _row_of(mentions["statistic_id"], stats["statistic_id"])
    role, (start, end) = _col(mentions, "role"), _offsets(mentions, "mention")
    reads = _for_each_row(wording.parse_mention, mentions["mention_text"])
    value = np.append(_col(stats, "value"), None)[row]
    # A value mention reads as its statistic's value (50K = 50000, $175 million = 175000000)
    wrong = np.isin(role, VALUE_ROLES) & (row >= 0) & (reads != value)

    def read(k: int) -> str:
        if reads[k] is None:
            return "does not read as a value (an ordinal never does)"
        return f"reads as {reads[k]}"

    say, args = "{}, but statistic {!r} has value {}", (read, mentions["statistic_id"], value)
    yield from _each("mentions", mentions, wrong, "mention_text", say, *args)
    quote_start, quote_end = (np.append(offset, 0)[row] for offset in _offsets(stats, "quote"))
    source = np.append(_col(stats, "source_id"), None)[row]
    inside = (quote_start <= start) & (end <= quote_end) & (_col(mentions, "source_id") == source)
    found = np.flatnonzero((role == "value") & (row >= 0) & (reads == value) & inside)
    has, first = np.unique(row[found], return_index=True)  # each statistic's first such mention
    missing = ~np.isin(np.arange(len(stats)), has)
    say = "no mention with role 'value' inside the quote reads as this value"
    yield from _each("statistics", stats, missing, "value", say)
    yield from _bounds_follow_the_words(ctx, stats.iloc[has], found[first])
    yield from _units_follow_the_words(ctx, stats.iloc[has], found[first])


def _phrases(window: str, a: int, b: int) -> str:
    """The period phrases of a stretch of snapshot that overlap its part [a, b), joined by ' / '."""
    found = wording.PERIOD_PHRASE.finditer(window)
    return " / ".join(m.group() for m in found if m.start() < b and m.end() > a)


def _differs(dates: pd.Series, wanted: pd.DatetimeIndex) -> np.ndarray:
    """Where dates are not the dates wanted, an empty date being equal to an empty one."""
    empty = pd.Timestamp(0)
    return dates.fillna(empty).to_numpy() != wanted.fillna(empty).to_numpy()


def periods_follow_the_words(ctx: Package) -> Findings:
    """Periods are read from period_text, which must be the whole period phrase the article
    attaches to the number (not so far cut from so far in 2017); a so far or to date period ends
    on the statement's claim_date."""
    stats, statements = ctx.tables["statistics"], ctx.tables["statements"]
    row = _row_of(stats["statement_id"], statements["statement_id"])
    claim = statements["claim_date"].to_numpy()[row]
    said = stats["period_text"].fillna("").to_numpy(object)
    implied = _for_each_row(wording.implied_period, said, pd.DatetimeIndex(claim).year)
    start, stop = _offsets(stats, "quote")
    at = np.minimum(start, 20)  # the window holds 20 characters either side of the quote
    window = _slices(ctx.snapshot_of(), stats["source_id"], start - at, stop + 20)
    phrases = _for_each_row(_phrases, window, at, at + stats["quote"].str.len().to_numpy())
    # period_text is words of the quote, that a rule of wording.py reads, and the whole phrase
    quoted = _for_each_row(str.__contains__, stats["quote"], said).astype(bool)
    worded, whole = quoted & pd.notna(implied), (phrases == said) | pd.isna(phrases)
    each = partial(_each, "statistics", stats)
    yield from each(~quoted, "period_text", "must be words of the quote", value=said)
    say = "no rule reads this wording yet: add one to wording.py"
    yield from each(quoted & ~worded, "period_text", say, value=said)
    say = "must be the whole period phrase of the source: {!r}"
    yield from each(worded & ~whole, "period_text", say, phrases, value=said)
    # period_type, period_start and period_end follow a period_text that holds
    holds, kind = worded & whole, _for_each_row(lambda period: period[0], implied)
    begin = pd.to_datetime(_for_each_row(lambda period: period[1], implied))
    say = "period_text {!r} makes it {}"
    yield from each(holds & (_col(stats, "period_type") != kind), "period_type", say, said, kind)

    def begin_text(k: int) -> object:
        return "empty" if pd.isna(begin[k]) else begin[k].date()

    wrong = holds & _differs(stats["period_start"], begin)
    yield from each(wrong, "period_start", say, said, begin_text)
    end = pd.to_datetime(np.where(kind == "unspecified", None, claim))
    wrong = holds & _differs(stats["period_end"], end)
    say = "empty exactly when the source gives no period"
    yield from each(wrong & end.isna(), "period_end", say)
    say = "a period given up to the statement ends on its claim_date ({})"
    yield from each(wrong & end.notna(), "period_end", say, lambda k: end[k].date())


def dates_are_plausible(ctx: Package) -> Findings:
    """Dates lie between Morocco's independence (1956-03-02), since no figure of its ministries is
    older, and the package's creation; the statement is no later than any report of it, and a
    report is not published before its published_not_before."""
    created = ctx.created
    say = f"must lie between {EARLIEST_DATE.date()} and the package's creation ({created.date()})"
    for table, frame in ctx.tables.items():
        for column in frame.select_dtypes("datetime64[us]"):
            dates = frame[column]
            wrong = ((dates < EARLIEST_DATE) | (dates > created)).to_numpy()
            shown = partial(lambda k, c: c.iat[k].date(), c=dates)
            yield from _each(table, frame, wrong, column, say, value=shown)
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
    unpinned = [p is not None and p not in ctx.snapshots for p in _col(sources, "snapshot_path")]
    say = "the snapshot is not pinned (path, hash, bytes) in the sources of datapackage.json"
    yield from _each("sources", sources, unpinned, "snapshot_path", say)


def _listed(frame: pd.DataFrame, name: str) -> np.ndarray:
    """Whether each row's inferred_fields lists name."""
    listed = _for_each_row(lambda v: name in v.split(), frame["inferred_fields"], missing=False)
    return listed.astype(bool)


def _names_the_area(window: str, a: int, b: int, area: str) -> bool:
    """Whether the sentence around the figure at window[a:b] names the area as a whole word."""
    starts = [m.end() for m in re.finditer(r"[.!?]\s|\n", window[:a])]
    end = re.search(r"[.!?](\s|$)|\n", window[b:])
    sentence = window[starts[-1] if starts else 0 : b + end.start() if end else None]
    return re.search(rf"(?<!\w){re.escape(area)}(?!\w)", sentence) is not None


def inferred_fields_hold(ctx: Package) -> Findings:
    """Each row's inferred_fields lists the fields whose values are not printed in the article;
    the row's notes give the evidence."""
    statements, stats = ctx.tables["statements"], ctx.tables["statistics"]
    for table in ("statistics", "statements"):  # inferred_fields names fields of its own row
        frame = ctx.tables[table]
        unknown = _for_each_row(
            lambda v, f=frame: next((n for n in v.split() if n not in f), None),
            frame["inferred_fields"],
        )
        say = f"{{!r}} is not a field of {table}"
        yield from _each(table, frame, pd.notna(unknown), "inferred_fields", say, unknown)
    # A claim date the snapshot does not print must be listed
    text = " ".join(ctx.snapshot_of().values())
    written = ("{d:%Y-%m-%d}", "{d.day} {d:%B %Y}", "{d:%B} {d.day}, {d.year}")
    days = statements["claim_date"]
    printed = np.array([any(w.format(d=d) in text for w in written) for d in days], bool)
    say = "the snapshot does not print claim_date: list it"
    unlisted = ~_listed(statements, "claim_date") & ~printed
    yield from _each("statements", statements, unlisted, "inferred_fields", say)
    # So must a period end equal to an inferred claim date, a start read from a bare year, and an
    # area the sentence of the quote does not name
    start, end = _offsets(stats, "quote")
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
    if text[a:b] == value and not cut:
        return None
    printed = f"{span} ({text[a:b]!r})"
    return f"must be worded as the primary snapshot prints it at {printed}, as whole words"


def facts_have_evidence(ctx: Package) -> Findings:
    """Claimant, role, event, location are worded as the article words them, and each has its
    evidence span in the snapshot, checked character by character as the quotes are."""
    sources, statements = ctx.tables["sources"], ctx.tables["statements"]
    primary = sources["source_id"][(sources["source_role"] == "primary").to_numpy(bool)].tolist()
    text = ctx.snapshot_of().get(primary[0]) if len(primary) == 1 else None
    if text is None:  # sources_are_sound or the quote checks say why
        return
    for field in FACTS:
        inferred, value = _listed(statements, field), _col(statements, field)
        start, end = _col(statements, f"{field}_start"), _col(statements, f"{field}_end")
        for k in range(len(statements)):
            say = _fact_fault(text, start[k], end[k], value[k], inferred[k], field)
            if say:
                yield "statements", statements.index[k], field, say, value[k]


def cross_checks_consistent(ctx: Package) -> Findings:
    """A cross-check compares with a cross_check source: agrees gives the statistic's value, bound
    and period, differs differs in one of them, and not_reported carries no value."""
    checks, sources, stats = (ctx.tables[n] for n in ("cross_checks", "sources", "statistics"))
    role = np.append(_col(sources, "source_role"), None)
    role = role[_row_of(checks["source_id"], sources["source_id"])]
    # same: the cross-check reports its statistic's value, bound and period
    s = stats.iloc[_row_of(checks["statistic_id"], stats["statistic_id"])]
    claims = ctx.tables["statements"].set_index("statement_id")["claim_date"]
    year = claims.reindex(s["statement_id"]).dt.year
    texts = _col(checks, "reported_period_text")
    period = [wording.implied_period(t, y) for t, y in zip(texts, year, strict=True)]
    start = s["period_start"].dt.strftime("%Y-%m-%d").to_numpy(object, na_value=None)
    ours = zip(_col(s, "period_type"), start, strict=True)
    same = np.array([p == o for p, o in zip(period, ours, strict=True)], bool)
    same &= _col(checks, "reported_value") == _col(s, "value")
    same &= _col(checks, "reported_bound") == _col(s, "value_bound")
    agreement, no_value = _col(checks, "agreement"), checks["reported_value"].isna().to_numpy()
    each = partial(_each, "cross_checks", checks)
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
    value in its quote must be one of them, and they must name the indicator's unit."""
    indicators = ctx.tables["indicators"]
    pairs = zip(_col(indicators, "unit"), _col(indicators, "unit_words"), strict=True)
    stray = [set(words.split()) - wording.UNITS.get(unit, set()) for unit, words in pairs]
    stray = np.array([" ".join(sorted(words)) for words in stray], dtype=object)
    say = (
        "the words {!r} do not name this unit; correct the unit, or decide the words in wording.py"
    )
    yield from _each("indicators", indicators, stray != "", "unit", say, stray)


def text_fault(text: str) -> str | None:
    """Why a text is not clean English text as it reads, or None."""
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
    Unicode NFKC so no compatibility form such as a styled letter, and only Latin letters."""
    for table, frame in ctx.tables.items():
        for column in frame.select_dtypes("string"):  # each distinct text read once
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
    the dialects' characters aside (they are the release's rules). Only each file's first fault is
    named, at its JSON path."""
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
