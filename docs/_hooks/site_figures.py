"""The front page's figure cards and the period timeline (an inline SVG), rendered from the tables."""

from __future__ import annotations

import datetime as dt
from html import escape

from morocco_migration_2017.wording import BOUND_WORDS
from site_render import Record, unit_of

_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"))


def spoken_value(stat: Record, tables: dict[str, list[Record]]) -> str:
    """The value as a reader says it: 'more than 23,000', 'as much as $175 million'."""
    number, unit = int(stat["value"]), unit_of(stat, tables)
    text = next(
        (f"{number / size:g} {word}" for size, word in _SCALES if number >= size and number % (size // 10) == 0),
        f"{number:,}",
    )
    return BOUND_WORDS.get(stat["value_bound"], "") + ("$" + text if unit == "USD" else text)


def period_words(stat: Record) -> str:
    start, end = stat["period_start"], stat["period_end"]
    if not end:
        return "no period given"
    day = dt.date.fromisoformat(end).strftime("%-d %b %Y")
    return f"{dt.date.fromisoformat(start).strftime('%-d %b %Y')} – {day}" if start else f"up to {day} (no start given)"


def lead(tables: dict[str, list[Record]]) -> str:
    """Who said the figures, where and when (marked inferred when it is), and who reported them."""
    (statement,) = tables["statements"][:1]
    primary = next(s for s in tables["sources"] if s["source_role"] == "primary")
    day = dt.date.fromisoformat(statement["claim_date"]).strftime("%-d %B %Y")
    inferred = " (date inferred)" if "claim_date" in statement["inferred_fields"].split() else ""
    return (
        f"What {escape(statement['claimant'])}, {escape(statement['claimant_role'])}, said in "
        f"{escape(statement['event_location'])} on {day}{inferred}, as reported by {escape(primary['publisher'])}:"
    )


def figure_cards(tables: dict[str, list[Record]], prefix: str) -> str:
    """One card per statistic: the value as said, what it counts, the period, the place; linked to its page."""
    labels = {i["indicator_id"]: (i["label"], i["unit"]) for i in tables["indicators"]}
    cards = []
    for s in tables["statistics"]:
        label, unit = labels[s["indicator_id"]]
        ident = escape(s["statistic_id"])
        cards.append(
            f'<a class="figure-card" href="{prefix}{ident}/" data-statistic="{ident}">'
            f'<span class="figure-value">{escape(spoken_value(s, tables))}</span>'
            f'<span class="figure-what">{escape(label)}{"" if unit == "USD" else f" ({escape(unit)})"}</span>'
            f'<span class="figure-when">{escape(period_words(s))} · {escape(s["area"])}</span></a>'
        )
    return '<div class="figure-cards">' + "".join(cards) + "</div>"


def _x(day: dt.date, first: int, last: int, left: int, width: int) -> float:
    span = (dt.date(last + 1, 1, 1) - dt.date(first, 1, 1)).days
    return left + width * (day - dt.date(first, 1, 1)).days / span


def timeline_svg(tables: dict[str, list[Record]]) -> str:
    """The period of each figure as a bar: printed ends solid, inferred ends hollow, an open start fading in."""
    stats = tables["statistics"]
    years = [int(d[:4]) for s in stats for d in (s["period_start"], s["period_end"]) if d]
    first, last = min(years), max(years)
    left, width, row, top = 260, 420, 34, 30
    height = top + row * len(stats) + 60
    parts = [
        f'<svg class="timeline" role="img" viewBox="0 0 {left + width + 20} {height}" xmlns="http://www.w3.org/2000/svg">',
        "<title>The period each figure covers</title>",
        '<defs><linearGradient id="open-start"><stop offset="0" stop-color="#00897b" stop-opacity="0"/>'
        '<stop offset="1" stop-color="#00897b"/></linearGradient></defs>',
    ]
    for year in range(first, last + 2, 2 if last - first > 6 else 1):
        x = _x(dt.date(year, 1, 1), first, last, left, width)
        parts.append(f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - 50}" class="tick"/>')
        parts.append(f'<text x="{x:.1f}" y="{top - 12}" class="year">{year}</text>')
    for i, s in enumerate(stats):
        y = top + i * row
        inferred = s["inferred_fields"].split()
        parts.append(f'<text x="0" y="{y + 16}" class="label">{escape(s["statistic_id"])}</text>')
        if not s["period_end"]:
            parts.append(f'<text x="{left}" y="{y + 16}" class="none">no period given</text>')
            continue
        end = _x(dt.date.fromisoformat(s["period_end"]), first, last, left, width)
        start = _x(dt.date.fromisoformat(s["period_start"]), first, last, left, width) if s["period_start"] else left
        fill = 'fill="url(#open-start)"' if not s["period_start"] else 'class="bar"'
        parts.append(f'<rect x="{start:.1f}" y="{y + 6}" width="{max(end - start, 2):.1f}" height="14" {fill}/>')
        for x, name in ((start, "period_start"), (end, "period_end")):
            if name == "period_start" and not s["period_start"]:
                continue
            kind = "inferred" if name in inferred else "printed"
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y + 13}" r="5" class="end {kind}"><title>{name}: {kind}</title></circle>'
            )
    legend_y = height - 30
    parts += [
        f'<circle cx="8" cy="{legend_y}" r="5" class="end printed"/>',
        f'<text x="18" y="{legend_y + 4}">end printed in the article</text>',
        f'<circle cx="210" cy="{legend_y}" r="5" class="end inferred"/>',
        f'<text x="220" y="{legend_y + 4}">end inferred (see notes)</text>',
        f'<rect x="400" y="{legend_y - 7}" width="40" height="14" fill="url(#open-start)"/>'
        f'<text x="446" y="{legend_y + 4}">no start given</text>',
        "</svg>",
    ]
    return "".join(parts)
