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
    """One card per statistic: the value as worded everywhere, what it counts, the period, the place; linked."""
    cards = [
        f'<a class="figure-card" href="{prefix}{escape(s["statistic_id"])}/" data-statistic="{escape(s["statistic_id"])}">'
        f'<span class="figure-value">{escape(value_text(s))}</span>'
        f'<span class="figure-what">{escape(s["label"])}</span>'
        f'<span class="figure-when">{escape(period_words(s))} · {escape(s["area"])}</span></a>'
        for s in stats
    ]
    return '<div class="figure-cards">' + "".join(cards) + "</div>"


def _percent(day_: pd.Timestamp, first: int, last: int) -> float:
    span = (dt.date(last + 1, 1, 1) - dt.date(first, 1, 1)).days
    return 100 * (day_.date() - dt.date(first, 1, 1)).days / span


def timeline(stats: list[Row]) -> str:
    """The period of each figure as a bar, labels in HTML text (readable at any width): printed ends solid,
    inferred ends hollow, an open start fading in."""
    years = [d.year for s in stats for d in (s["period_start"], s["period_end"]) if d is not None]
    first, last = min(years), max(years)
    axis = "".join(
        f'<span style="left:{_percent(pd.Timestamp(year, 1, 1), first, last):.1f}%">{year}</span>'
        for year in range(first, last + 2, 2 if last - first > 6 else 1)
    )
    rows = []
    for s in stats:
        inferred = (s["inferred_fields"] or "").split()
        track = ""
        if s["period_end"] is not None:
            end = _percent(s["period_end"], first, last)
            start = (
                _percent(s["period_start"], first, last) if s["period_start"] is not None else 0.0
            )
            kind = "tl-bar" if s["period_start"] is not None else "tl-bar tl-open"
            ends = [(end, "period_end")] + (
                [(start, "period_start")] if s["period_start"] is not None else []
            )
            track = (
                f'<span class="{kind}" style="left:{start:.1f}%;width:{max(end - start, 0.5):.1f}%"></span>'
                + "".join(
                    f'<span class="tl-end {"inferred" if name in inferred else "printed"}" style="left:{x:.1f}%"></span>'
                    for x, name in ends
                )
            )
        rows.append(
            f'<li><span class="tl-label">{escape(s["label"])} '
            f'<span class="tl-period">{escape(period_words(s))}</span></span>'
            f'<span class="tl-track" aria-hidden="true">{track}</span></li>'
        )
    legend = (
        '<p class="tl-legend"><span class="tl-end printed"></span>end printed in the article '
        '<span class="tl-end inferred"></span>end inferred (see notes) '
        '<span class="tl-bar tl-open"></span>no start given</p>'
    )
    return (
        '<figure class="timeline"><figcaption>The period each figure covers</figcaption>'
        f'<div class="tl-axis" aria-hidden="true">{axis}</div><ul class="tl-rows">{"".join(rows)}</ul>{legend}</figure>'
    )
