"""The front page's lead, figure cards and period timeline, rendered from the typed tables."""

from __future__ import annotations

import datetime as dt
from html import escape

import pandas as pd

from site_render import Row, Tables, day, primary_source, records, value_text


def period_words(stat: Row) -> str:
    start, end = stat["period_start"], stat["period_end"]
    if end is None:
        return "no period given"
    return (
        f"{day(start, '%-d %b %Y')} – {day(end, '%-d %b %Y')}"
        if start is not None
        else f"up to {day(end, '%-d %b %Y')} (no start given)"
    )


def lead(tables: Tables) -> str:
    """Who said the figures, where and when (marked inferred when it is), and who reported them."""
    statement = records(tables["statements"])[0]
    inferred = (
        " (date inferred)" if "claim_date" in (statement["inferred_fields"] or "").split() else ""
    )
    return (
        f"What {escape(statement['claimant'])}, {escape(statement['claimant_role'])}, said in "
        f"{escape(statement['event_location'])} on {day(statement['claim_date'])}{inferred}, "
        f"as reported by {escape(primary_source(tables)['publisher'])}:"
    )


def figure_cards(stats: list[Row], prefix: str) -> str:
    """One card per statistic, linked to its page: the value as worded everywhere, what it counts,
    the period, the place."""
    return '<div class="figure-cards">' + "".join(_card(s, prefix) for s in stats) + "</div>"


def _card(stat: Row, prefix: str) -> str:
    """One figure card: a link to the statistic's page holding its value, label, period and area."""
    sid = escape(stat["statistic_id"])
    return (
        f'<a class="figure-card" href="{prefix}{sid}/" data-statistic="{sid}">'
        f'<span class="figure-value">{escape(value_text(stat))}</span>'
        f'<span class="figure-what">{escape(stat["label"])}</span>'
        f'<span class="figure-when">{escape(period_words(stat))} · '
        f"{escape(stat['area'])}</span></a>"
    )


def _percent(day_: pd.Timestamp, first: int, last: int) -> float:
    span = (dt.date(last + 1, 1, 1) - dt.date(first, 1, 1)).days
    return 100 * (day_.date() - dt.date(first, 1, 1)).days / span


TIMELINE_LEGEND = (
    '<p class="tl-legend"><span class="tl-end printed"></span>end printed in the article '
    '<span class="tl-end inferred"></span>end inferred (see notes) '
    '<span class="tl-bar tl-open"></span>no start given</p>'
)


def _axis(first: int, last: int) -> str:
    """The year labels under the bars: every year, or every other year over a span above six."""
    step = 2 if last - first > 6 else 1
    labels = []
    for year in range(first, last + 2, step):
        left = _percent(pd.Timestamp(year, 1, 1), first, last)
        labels.append(f'<span style="left:{left:.1f}%">{year}</span>')
    return "".join(labels)


def _end_mark(x: float, name: str, inferred: list[str]) -> str:
    """A dot at one end of a bar: hollow when that end is inferred, solid when printed."""
    kind = "inferred" if name in inferred else "printed"
    return f'<span class="tl-end {kind}" style="left:{x:.1f}%"></span>'


def _track(stat: Row, first: int, last: int) -> str:
    """A statistic's bar and its end marks; empty when the period has no end."""
    if stat["period_end"] is None:
        return ""
    inferred = (stat["inferred_fields"] or "").split()
    end = _percent(stat["period_end"], first, last)
    ends = [(end, "period_end")]
    if stat["period_start"] is None:
        start, kind = 0.0, "tl-bar tl-open"
    else:
        start, kind = _percent(stat["period_start"], first, last), "tl-bar"
        ends.append((start, "period_start"))
    width = max(end - start, 0.5)
    bar = f'<span class="{kind}" style="left:{start:.1f}%;width:{width:.1f}%"></span>'
    return bar + "".join(_end_mark(x, name, inferred) for x, name in ends)


def _timeline_row(stat: Row, first: int, last: int) -> str:
    """One line of the timeline: the label and period in text, then the bar (hidden from readers
    of the text, who have the period already)."""
    return (
        f'<li><span class="tl-label">{escape(stat["label"])} '
        f'<span class="tl-period">{escape(period_words(stat))}</span></span>'
        f'<span class="tl-track" aria-hidden="true">{_track(stat, first, last)}</span></li>'
    )


def timeline(stats: list[Row]) -> str:
    """The period of each figure as a bar, labels in HTML text (readable at any width): printed ends
    solid, inferred ends hollow, an open start fading in."""
    dates = [d for s in stats for d in (s["period_start"], s["period_end"]) if d is not None]
    years = [d.year for d in dates]
    first, last = min(years), max(years)
    rows = "".join(_timeline_row(s, first, last) for s in stats)
    return (
        '<figure class="timeline"><figcaption>The period each figure covers</figcaption>'
        f'<div class="tl-axis" aria-hidden="true">{_axis(first, last)}</div>'
        f'<ul class="tl-rows">{rows}</ul>{TIMELINE_LEGEND}</figure>'
    )
