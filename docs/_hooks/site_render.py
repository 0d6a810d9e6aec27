"""Markdown and HTML for the documentation site, from the package's typed tables and Table Schemas.

Pure functions of the read package: the mkdocs hook (site_pages.py, beside this file) calls them at
build time, so the site cannot drift from the data. Not part of the installed package.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from html import escape
from typing import Any

import pandas as pd

from morocco_migration_2017.presentation import format_period, format_value
from morocco_migration_2017.rules import Resource

Row = dict[str, Any]  # one row of a typed table: missing cells are None
Tables = dict[str, pd.DataFrame]


def category_labels(field: dict[str, Any]) -> dict[str, str]:
    """The documented meaning of each enum value (Table Schema v2 'categories')."""
    return {entry["value"]: entry.get("label", "") for entry in field.get("categories", [])}


def records(frame: pd.DataFrame) -> list[Row]:
    """A typed frame's rows as dicts, missing cells as None (so `row[x] or ''` reads naturally)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def statistics_view(tables: Tables) -> list[Row]:
    """Each statistic beside its statement (claimant, date; `*_statement` for its notes) and its
    indicator."""
    flat = tables["statistics"].merge(
        tables["statements"],
        on="statement_id",
        how="left",
        suffixes=("", "_statement"),
        validate="many_to_one",
    )
    return records(
        flat.merge(tables["indicators"], on="indicator_id", how="left", validate="many_to_one")
    )


def primary_source(tables: Tables) -> Row:
    return records(tables["sources"][tables["sources"]["source_role"] == "primary"])[0]


def day(value: Any, form: str = "%-d %B %Y") -> str:
    return "" if value is None else pd.Timestamp(value).strftime(form)


def value_text(stat: Row) -> str:
    """The one wording of a figure (presentation.format_value), for a row of statistics_view."""
    return format_value(stat["value"], stat["value_bound"], stat["unit"])


def heading(stat: Row) -> str:
    """What is counted and how many: 'Migrants granted legal stay: more than 23,000 persons'."""
    return f"{stat['label']}: {value_text(stat)}"


_MARKDOWN_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "|[]*_\\`"})


def _cell(text: Any) -> str:
    """Text for a Markdown table cell: HTML-escaped, and no character Markdown would act on."""
    return (
        escape("" if text is None else str(text), quote=False)
        .translate(_MARKDOWN_SPECIAL)
        .replace("\n", " ")
    )


def _code(text: str) -> str:
    return f"<code>{escape(text)}</code>" if text else ""


def _codes(names: Sequence[str]) -> str:
    """Names in code font, comma-separated: 'nothing' when there are none."""
    return ", ".join(f"<code>{name}</code>" for name in names) or "nothing"


def _inferred(row: Row) -> list[str]:
    """The names of a row's inferred fields (its `inferred_fields`, space-separated)."""
    return (row["inferred_fields"] or "").split()


def external(url: str, text: str) -> str:
    """A link that leaves the site, marked as such for the eye (↗) and for a screen reader."""
    return (
        f'<a class="external" href="{escape(url)}" rel="external noopener">{escape(text)}'
        '<span aria-hidden="true"> ↗</span><span class="sr-only"> (external link)</span></a>'
    )


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table's lines: the header, its rule, then one line per row of ready cells."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _html_row(headers: Sequence[str], row: Sequence[str]) -> str:
    """One body row, each cell labelled with its column for the stacked (phone) layout."""
    cells = (f'<td data-label="{escape(h)}">{c}</td>' for h, c in zip(headers, row, strict=True))
    return "<tr>" + "".join(cells) + "</tr>"


def html_table(headers: Sequence[str], rows: Sequence[Sequence[str]], label: str) -> str:
    """A table whose rows stack into cards on a phone (see extra.css); cells are HTML already."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(_html_row(headers, row) for row in rows)
    return (
        f'<table class="stack" aria-label="{escape(label)}">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def statistic_cell(stat: Row, href: str | None) -> str:
    """The indicator's label first (a link when href is given), then the identifier in code font."""
    label = escape(stat["label"] or "")
    return (
        f'<a href="{href}">{label}</a>' if href else label
    ) + f'<br><code class="ident">{escape(stat["statistic_id"]).replace("_", "_<wbr>")}</code>'


STATISTICS_HEADERS = ("Statistic", "Value", "Period", "Area")


def _readme_statistics_table(stats: list[Row]) -> str:
    """The statistics as a Markdown table without links, which GitHub renders in the README."""
    rows = [
        (
            f"{_cell(s['label'])} (`{s['statistic_id']}`)",
            _cell(value_text(s)),
            _cell(format_period(s)),
            _cell(s["area"]),
        )
        for s in stats
    ]
    return "\n".join(markdown_table(STATISTICS_HEADERS, rows))


def statistics_table(stats: list[Row], prefix: str | None) -> str:
    """The statistics, label first; prefix is the path to the statistic pages.

    A prefix of None gives the README's table: Markdown, without links."""
    if prefix is None:
        return _readme_statistics_table(stats)
    rows = [
        (
            statistic_cell(s, f"{prefix}{s['statistic_id']}/"),
            escape(value_text(s)),
            escape(format_period(s)),
            escape(s["area"]),
        )
        for s in stats
    ]
    return html_table(STATISTICS_HEADERS, rows, "The statistics")


def _inferred_names(row: Row) -> str:
    """A row's inferred fields as Markdown code, comma-separated, or 'nothing'."""
    return ", ".join(f"`{name}`" for name in _inferred(row)) or "nothing"


def inferred_table(stats: list[Row], tables: Tables, prefix: str) -> str:
    """Each statement's and statistic's inferred fields beside the notes that give the evidence."""
    headers = ("Row", "Inferred, not printed in the source", "Evidence (notes)")
    rows = [
        (f"The statement (`{s['statement_id']}`)", _inferred_names(s), _cell(s["notes"]))
        for s in records(tables["statements"])
    ]
    for s in stats:
        sid = s["statistic_id"]
        link = f'<a href="{prefix}{sid}/">{escape(s["label"])}</a> (`{sid}`)'
        rows.append((link, _inferred_names(s), _cell(s["notes"])))
    return "\n".join(markdown_table(headers, rows))


def _example(field: dict[str, Any], frame: pd.DataFrame) -> str:
    values = frame[field["name"]].dropna()
    if values.empty:
        return ""
    first = values.iloc[0]
    text = day(first, "%Y-%m-%d") if isinstance(first, pd.Timestamp) else str(first)
    return text[:60] + "…" if len(text) > 60 else text


def _enum_text(field: dict[str, Any], values: list[str]) -> str:
    """An enum's values, each followed by its documented meaning where it has one."""
    labels = category_labels(field)
    return ", ".join(f"{v}" + (f" ({labels[v]})" if v in labels else "") for v in values)


def _constraints(field: dict[str, Any]) -> str:
    # x-pattern is the pattern of an optional field, kept out of `constraints` for SQLite's sake
    # (see the methodology).
    rules = {
        **field.get("constraints", {}),
        **({"pattern": field["x-pattern"]} if "x-pattern" in field else {}),
    }
    shown = []
    for name, arg in rules.items():
        if name == "required":
            continue
        if name == "enum":
            arg = _enum_text(field, arg)
        arg = f"<code>{escape(str(arg))}</code>" if name == "pattern" else escape(str(arg))
        shown.append(f"{name}: {arg}" if name != "unique" else "unique")
    return "; ".join(shown)


def _keys(resource: Resource) -> list[str]:
    lines = [f"- **Primary key:** {', '.join(_code(k) for k in resource.primary_key)}"]
    for fk in resource.foreign_keys:
        target = fk["reference"]["resource"]
        lines.append(
            f"- **Foreign key:** {', '.join(_code(f) for f in fk['fields'])} → "
            f"[{target}](#{target}).{', '.join(_code(f) for f in fk['reference']['fields'])}"
        )
    return lines


def _field_card(table: str, field: dict[str, Any], frame: pd.DataFrame) -> list[str]:
    """A field's card: its name, type and whether required, its description, rules and example."""
    name = field["name"]
    required = "required" if field.get("constraints", {}).get("required") else "optional"
    rules, example = _constraints(field), _example(field, frame)
    rules_text = "Rules: " + rules + "." if rules else "No further rules."
    example_text = f" Example: <code>{escape(example)}</code>" if example else ""
    return [
        '<div class="field-card">',
        f'<p><code class="field" data-table="{table}" id="{table}-{name}">{name}</code>'
        f" · {field['type']} · {required}</p>",
        f"<p>{escape(field.get('description', ''))}</p>",
        f'<p class="field-rules">{rules_text}{example_text}</p>',
        "</div>",
        "",
    ]


def _table_section(name: str, resource: Resource, frame: pd.DataFrame) -> list[str]:
    """A table's section of the data dictionary: what it holds, its files and keys, its fields."""
    lines = [
        f"## {name} {{#{name}}}",
        "",
        resource.schema.get("description", ""),
        "",
        f"File: [`{resource.path}`]({resource.path}) · schema: [`schemas/{name}.schema.json`]"
        f"(schemas/{name}.schema.json) · {len(frame)} rows",
        "",
        *_keys(resource),
        "",
    ]
    for field in resource.fields:
        lines += _field_card(name, field, frame)
    return [*lines, ""]


def data_dictionary(resources: dict[str, Resource], tables: Tables) -> str:
    parts = [
        "# Data dictionary",
        "",
        "Generated from `schemas/*.schema.json`, the single source of truth for every field. "
        "Examples are taken from the data.",
        "",
    ]
    for name, resource in resources.items():
        parts += _table_section(name, resource, tables[name])
    return "\n".join(parts)


def paragraph_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The blank-line-delimited paragraph of text that holds [start, end)."""
    left = text.rfind("\n\n", 0, start)
    right = text.find("\n\n", end)
    return (0 if left < 0 else left + 2), (len(text) if right < 0 else right)


def highlighted_paragraph(text: str, start: int, end: int, statistic_id: str) -> str:
    left, right = paragraph_span(text, start, end)
    return (
        f'<blockquote class="source-paragraph"><p>{escape(text[left:start])}'
        f'<mark class="quote" data-statistic="{escape(statistic_id)}">'
        f"{escape(text[start:end])}</mark>"
        f"{escape(text[end:right])}</p></blockquote>"
    )


def _csv_block(frame: pd.DataFrame, statistic_id: str) -> str:
    """The statistic's row as the CSV writes it (dates as YYYY-MM-DD, empty cells empty)."""
    out = io.StringIO()
    row = frame[frame["statistic_id"] == statistic_id]
    row.to_csv(
        out, index=False, lineterminator="\n", date_format="%Y-%m-%d", quoting=csv.QUOTE_MINIMAL
    )
    return "```csv\n" + out.getvalue() + "```"


def facts_list(facts: Sequence[tuple[str, str]]) -> str:
    """Label and value pairs as a definition list: it wraps on any screen, nothing scrolls
    sideways."""
    return (
        '<dl class="facts">'
        + "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in facts)
        + "</dl>"
    )


def _statistic_facts(stat: Row, source: Row) -> list[tuple[str, str]]:
    """A statistic's facts, label and HTML value: what, when, where, who said it, and where."""
    inferred = (stat["inferred_fields_statement"] or "").split() + _inferred(stat)
    country = f" ({stat['country_code']})" if stat["country_code"] else ""
    claim_date = day(stat["claim_date"]) + (" (inferred)" if "claim_date" in inferred else "")
    quote = f"../../source/#quote-{escape(stat['statistic_id'])}"
    quote_link = f'<a href="{quote}">the quote in the annotated source</a>'
    counted = f"{escape(stat['label'])}: {escape(stat['definition'])}"
    read_it = f"{external(source['url'], source['title'])}, {escape(source['publisher'])}"
    position = f"characters {stat['quote_start']}–{stat['quote_end']}"
    return [
        ("Value", escape(value_text(stat))),
        ("What is counted", f"{counted} (<code>{stat['indicator_id']}</code>)"),
        ("Period", escape(format_period(stat)) + f" (<code>{stat['period_type']}</code>)"),
        ("Area", escape(stat["area"] + country)),
        ("Said by", escape(f"{stat['claimant']}, {stat['claimant_role']}")),
        ("Date of the statement", escape(claim_date)),
        ("Event", escape(f"{stat['event']}, {stat['event_location']}")),
        ("Source", f"{read_it}; {quote_link}"),
        ("Quote position", f"{position} of the snapshot (code points)"),
        ("Inferred, not printed in the source", _codes(inferred)),
    ]


def _statistic_notes(stat: Row) -> list[str]:
    """The Notes section: the statistic's notes, then its statement's when it has any."""
    about = ""
    if stat["notes_statement"]:
        about = f"About the statement (`{stat['statement_id']}`): {_cell(stat['notes_statement'])}"
    return ["## Notes", "", _cell(stat["notes"]), "", about, ""]


def statistic_page(stat: Row, tables: Tables, snapshot: str, source: Row) -> str:
    """A statistic's page: what is counted and how many, its facts, the quote in its paragraph,
    other reports."""
    title = json.dumps(heading(stat), ensure_ascii=False)  # the browser's title says it too
    sid = stat["statistic_id"]
    quote = highlighted_paragraph(snapshot, stat["quote_start"], stat["quote_end"], sid)
    lines = [
        f"---\ntitle: {title}\n---",
        "",
        f"# {_cell(heading(stat))}",
        "",
        "A claim by an official as reported by the source, not a verified fact. "
        f"Identifier: `{sid}`.",
        "",
        facts_list(_statistic_facts(stat, source)),
        "",
        "## The words of the source",
        "",
        quote,
        "",
        *_statistic_notes(stat),
    ]
    lines += cross_check_section(stat, tables)
    lines += ["## The row as CSV", "", _csv_block(tables["statistics"], sid), ""]
    return "\n".join(lines)


def reported_text(check: Row, unit: str) -> str:
    """What another report gives, worded as our figures are: 'around US$175 million', or '—'."""
    if check["reported_value"] is None:
        return "—"
    around = "around " if check["reported_bound"] == "approximate" else ""
    value = format_value(check["reported_value"], check["reported_bound"], unit)
    return f"{around}{value} {check['reported_period_text'] or ''}".strip()


def _report_link(source: Row) -> str:
    published = f", {day(source['published'])}" if source["published"] is not None else ""
    return external(source["url"], source["short_name"]) + escape(published)


def cross_check_section(stat: Row, tables: Tables) -> list[str]:
    sources = {s["source_id"]: s for s in records(tables["sources"])}
    checks, statistic_id = tables["cross_checks"], stat["statistic_id"]
    rows = [
        (
            _report_link(sources[c["source_id"]]),
            escape(reported_text(c, stat["unit"])),
            f"<strong>{c['agreement']}</strong>",
            escape(c["difference"] or ""),
        )
        for c in records(checks[checks["statistic_id"] == statistic_id])
    ]
    if not rows:
        return []
    table = html_table(
        ("Report", "Gives", "Agreement", "Difference"), rows, "Other reports of the same statement"
    )
    return ["## Other reports of the same statement", "", table, ""]


def _anchor_at(marks: list[Row], quote_start: int) -> int:
    """Where a quote's anchor goes: at its start, or just before the mention that start falls in."""
    for m in marks:
        if m["mention_start"] < quote_start < m["mention_end"]:
            return m["mention_start"]
    return quote_start


def _plain_text(snapshot: str, start: int, end: int, anchors: list[tuple[int, str]]) -> str:
    """The unmarked snapshot text from start to end, escaped, with the quote anchors that fall in
    it; those anchors are taken off the front of the sorted anchors."""
    pieces = []
    while anchors and anchors[0][0] <= end:
        at, sid = anchors.pop(0)
        pieces += [escape(snapshot[start:at]), f'<span id="quote-{escape(sid)}"></span>']
        start = at
    pieces.append(escape(snapshot[start:end]))
    return "".join(pieces)


def _role_words(role: str) -> str:
    return role.replace("_", " ")


def _mention_mark(snapshot: str, mention: Row, prefix: str) -> str:
    """A mention marked with its role, linked to its statistic's page when it states one, then its
    role in words."""
    role = mention["role"]
    inner = escape(snapshot[mention["mention_start"] : mention["mention_end"]])
    if mention["statistic_id"]:
        inner = f'<a href="{prefix}{mention["statistic_id"]}/">{inner}</a>'
    return (
        f'<mark class="mention role-{role}" data-role="{role}">{inner}</mark>'
        f'<span class="role-tag" data-role="{role}"> [{_role_words(role)}]</span>'
    )


def _marked_snapshot(snapshot: str, marks: list[Row], stats: list[Row], prefix: str) -> str:
    """The whole snapshot as HTML: every mention marked, each quote's start anchored."""
    anchors = sorted((_anchor_at(marks, s["quote_start"]), s["statistic_id"]) for s in stats)
    pieces, cursor = [], 0
    for m in marks:
        pieces.append(_plain_text(snapshot, cursor, m["mention_start"], anchors))
        pieces.append(_mention_mark(snapshot, m, prefix))
        cursor = m["mention_end"]
    pieces.append(_plain_text(snapshot, cursor, len(snapshot), anchors))
    return "".join(pieces)


def _role_legend(mentions: pd.DataFrame, role_labels: dict[str, str]) -> str:
    """The legend: each role's mark, meaning, identifier and number of mentions."""
    counts = mentions["role"].value_counts()
    rows = [
        (
            f'<mark class="mention role-{role}">123</mark> [{_role_words(role)}]',
            escape(label),
            f"<code>{role}</code>",
            str(counts.get(role, 0)),
        )
        for role, label in role_labels.items()
    ]
    return html_table(("Mark", "Role", "Identifier", "Count"), rows, "The roles of the numbers")


def annotated_source(
    snapshot: str,
    mentions: pd.DataFrame,
    stats: list[Row],
    role_labels: dict[str, str],
    prefix: str,
) -> str:
    """The whole snapshot with every mention marked, its role named in text, and each quote's
    start anchored."""
    marks = sorted(records(mentions), key=lambda m: m["mention_start"])
    marked = _marked_snapshot(snapshot, marks, stats, prefix)
    return "\n".join(
        [
            "## Legend",
            "",
            "Each number is marked and followed by its role in brackets; "
            "a number that states a statistic links to its page.",
            "",
            _role_legend(mentions, role_labels),
            "",
            "## The snapshot",
            "",
            f'<pre class="annotated-source">{marked}</pre>',
            "",
        ]
    )


SOURCE_ROLES = {
    "primary": "the article the figures come from",
    "cross_check": "a cross-check: another report of the same speech",
}


def _published(source: Row) -> str:
    """When a source was published: its date, or 'unknown' with the earliest date it can be."""
    if source["published"] is not None:
        return day(source["published"])
    not_before = day(source["published_not_before"])
    return "unknown" + (f" (not before {not_before})" if not_before else "")


def _source_facts(source: Row) -> list[tuple[str, str]]:
    """A source's facts, label and HTML value: its role, publisher, date, link, language, rights."""
    role = SOURCE_ROLES.get(source["source_role"], SOURCE_ROLES["cross_check"])
    return [
        ("Role", role),
        ("Publisher", escape(source["publisher"])),
        ("Published", escape(_published(source))),
        ("Read it", external(source["url"], source["title"])),
        ("Language", escape(source["language"])),
        ("Rights", escape(source["rights"])),
        ("Identifier", f"<code>{escape(source['source_id'])}</code>"),
    ]


def _snapshot_facts(path: str, pin: dict[str, Any]) -> list[tuple[str, str]]:
    """A snapshot's link and size, and its SHA-256 as pinned in the descriptor."""
    sha = pin["hash"].removeprefix("sha256:")
    pinned = "pinned in the <code>sources</code> of <code>datapackage.json</code>"
    return [
        ("Snapshot", f'<a href="../{path}">{escape(path)}</a>, {pin["bytes"]:,} bytes'),
        ("SHA-256", f'<code class="hash">{sha}</code> ({pinned})'),
    ]


def _verify_lines(path: str, pin: dict[str, Any]) -> list[str]:
    """How to check a snapshot's hash by hand, and the hash expected."""
    sha = pin["hash"].removeprefix("sha256:")
    return [
        "Verify the snapshot yourself from a clone or an unpacked wheel:",
        "",
        "```sh",
        f"sha256sum {path}",
        f"# expected: {sha}  {path}",
        "```",
        "",
    ]


def _source_section(source: Row, pins: dict[str, dict[str, Any]]) -> list[str]:
    """A source's section: its facts, its snapshot's pin and how to verify it, then its notes."""
    facts, verify = _source_facts(source), []
    path = source["snapshot_path"]
    if path:
        facts += _snapshot_facts(path, pins[path])
        verify = _verify_lines(path, pins[path])
    return [
        f"## {escape(source['short_name'])}: {escape(source['title'])} {{#{source['source_id']}}}",
        "",
        facts_list(facts),
        "",
        *verify,
        _cell(source["notes"]),
        "",
    ]


def sources_page(tables: Tables, pins: dict[str, dict[str, Any]]) -> str:
    """Every source; a snapshot's hash and size come from its pin in the descriptor's sources."""
    lines = ["# Sources", ""]
    for s in records(tables["sources"]):
        lines += _source_section(s, pins)
    return "\n".join(lines)


def _cross_check_row(
    check: Row, by_id: dict[str, Row], sources: dict[str, Row], prefix: str
) -> tuple[str, ...]:
    """One row of the cross-checks table: our figure, the other report, what it gives, the
    verdict."""
    stat, source = by_id[check["statistic_id"]], sources[check["source_id"]]
    return (
        statistic_cell(stat, f"{prefix}{check['statistic_id']}/")
        + f"<br>{escape(value_text(stat))}",
        external(source["url"], source["short_name"]),
        escape(reported_text(check, stat["unit"])),
        f"<strong>{check['agreement']}</strong>",
        escape(check["difference"] or ""),
    )


def cross_checks_page(stats: list[Row], tables: Tables, prefix: str) -> str:
    sources = {s["source_id"]: s for s in records(tables["sources"])}
    others = [s for s in sources.values() if s["source_role"] == "cross_check"]
    by_id = {s["statistic_id"]: s for s in stats}
    rows = [_cross_check_row(c, by_id, sources, prefix) for c in records(tables["cross_checks"])]
    compared = "; ".join(
        f"{_report_link(s)} ([record](sources.md#{s['source_id']}))" for s in others
    )
    return "\n".join(
        [
            "# Cross-checks",
            "",
            "Other reports of the same speech, compared figure by figure with the article. "
            "Only figures, bounds and short labels of those reports are recorded; "
            "the difference notes are ours.",
            "",
            f"Reports compared: {compared}.",
            "",
            html_table(
                ("Statistic", "Report", "Gives", "Agreement", "Difference"),
                rows,
                "Cross-checks, figure by figure",
            ),
            "",
        ]
    )


def _joined(*parts: Any, sep: str = ". ") -> str:
    """The non-empty parts joined: an empty field leaves no stray punctuation behind."""
    return sep.join(str(p).strip() for p in parts if p is not None and str(p).strip())


def licence_link(licence: dict[str, Any]) -> str:
    """The package's licence (from datapackage.json) as a link:
    'CC-BY-4.0, Creative Commons Attribution 4.0 (…)'."""
    return external(licence["path"], licence["name"]) + (
        f", {escape(licence['title'])}" if licence.get("title") else ""
    )


def _authors(citation: dict[str, Any]) -> str:
    """The authors of CITATION.cff, each by name or as 'family, given', separated by semicolons."""
    names = []
    for a in citation.get("authors", []):
        names.append(
            a.get("name") or _joined(a.get("family-names"), a.get("given-names"), sep=", ")
        )
    return "; ".join(names)


def _dataset_reference(citation: dict[str, Any], licence: dict[str, Any]) -> str:
    """The dataset's reference: authors (year). *Title*, version. Licence."""
    authors, year = _authors(citation), _year(citation)
    return (
        _joined(
            f"{authors} ({year})" if year else authors,
            f"*{citation['title']}*, version {citation['version']}",
            f"Licence: {licence_link(licence)}",
        )
        + "."
    )


def _year(citation: dict[str, Any]) -> str:
    """The year of the release date in CITATION.cff, or '' without one."""
    return str(citation.get("date-released", ""))[:4]


A_SPECIFIC_VERSION = [
    "## A specific version",
    "",
    "Cite the version you used: its number and date are the ones above, "
    "and every version's files stay checkable with `morocco-migration-2017 verify`. "
    "Once the repository is linked to Zenodo, each release gets a DOI of its own, "
    "minted from `.zenodo.json`, and Zenodo's concept DOI resolves to the latest version. "
    "A version's DOI then appears on its Zenodo record, in its release notes, "
    "and in the `identifiers` of `CITATION.cff` from the next version on. "
    "Until the first release is published there is no DOI: cite the version number.",
    "",
]


def _article_date(ref: dict[str, Any]) -> str:
    """The article's year and month as YYYY-MM (the year alone without a month)."""
    month = f"{int(ref['month']):02d}" if ref.get("month") else None
    return _joined(ref.get("year"), month, sep="-")


def _article_publisher(ref: dict[str, Any], authors: str) -> str:
    """The publisher's name, unless it is the author's name already."""
    name = ref.get("publisher", {}).get("name", "")
    return "" if name == authors else name


def _original_article(ref: dict[str, Any]) -> list[str]:
    """The section citing the original article: its authors, title, publisher, issue, date, link."""
    who = "; ".join(a.get("name", "") for a in ref.get("authors", []))
    issue = f"article {ref['issue']}" if ref.get("issue") else None
    link = external(ref["url"], "Read the article") if ref.get("url") else None
    reference = _joined(
        who, f"“{ref['title']}”", _article_publisher(ref, who), issue, _article_date(ref), link
    )
    return ["## The original article (cite it as well)", "", reference + ".", ""]


def _bibtex(citation: dict[str, Any]) -> list[str]:
    """The dataset's BibTeX entry, keyed by its version."""
    year = _year(citation)
    key = "morocco_migration_2017_v" + citation["version"].replace(".", "_")
    return [
        "## BibTeX",
        "",
        "```bibtex",
        f"@misc{{{key},",
        f"  title = {{{citation['title']}}},",
        f"  author = {{{_authors(citation)}}},",
        f"  version = {{{citation['version']}}},",
        *([f"  year = {{{year}}},"] if year else []),
        "}",
        "```",
        "",
    ]


def cite_page(citation: dict[str, Any], licence: dict[str, Any]) -> str:
    """The How to cite page, from CITATION.cff: the dataset, a version, the article, BibTeX."""
    lines = [
        "# How to cite",
        "",
        "Rendered from `CITATION.cff`.",
        "",
        citation.get("message", ""),
        "",
        "## This dataset",
        "",
        _dataset_reference(citation, licence),
        "",
        *A_SPECIFIC_VERSION,
    ]
    ref = citation.get("preferred-citation") or next(iter(citation.get("references", [])), None)
    if ref:
        lines += _original_article(ref)
    return "\n".join(lines + _bibtex(citation))


def _met(row: Row) -> str:
    return "yes" if row["met"] else "**no**"


def _machine_line(results: dict[str, Any]) -> str:
    """The machine and packages the benchmarks ran on, and the date of the run."""
    machine = results["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in machine["packages"].items())
    return (
        f"Machine: {machine['cores']} cores, {machine['platform']}, Python {machine['python']}; "
        f"{packages}. Run on {results['date']}."
    )


def _ratios_table(comparisons: list[Row]) -> list[str]:
    """Each comparison's times, ratio and target, and whether the target is met."""
    headers = ("Comparison", "Ours (s)", "Baseline (s)", "Ratio", "Target", "Met")
    rows = [
        (
            _cell(r["name"]),
            f"{r['ours']:.3f}",
            f"{r['baseline']:.3f}",
            f"{r['ratio']:.2f}×",
            f"≤ {r['target']}×",
            _met(r),
        )
        for r in comparisons
    ]
    return markdown_table(headers, rows)


# The bound of a quotient is benchmarks/run.py's (REGRESSION): the results carry it as `target`.
NO_BEFORE_AFTER = (
    "No before/after comparison is recorded. `python benchmarks/run.py --before REF` also "
    "measures the code of git REF in the same run and divides each ratio above by the same "
    "ratio of REF: a quotient above the benchmark's bound is a regression."
)


def _before_after_table(pairs: dict[str, Any]) -> list[str]:
    """Each comparison's ratio before and after, their quotient, its bound, and if it is met."""
    headers = ("Comparison", "Before", "After", "After/before", "Bound", "Met")
    rows = [
        (
            _cell(r["name"]),
            f"{r['before']:.2f}×",
            f"{r['after']:.2f}×",
            f"{r['quotient']:.3f}",
            f"≤ {r['target']:.2f}",
            _met(r),
        )
        for r in pairs["comparisons"]
    ]
    return markdown_table(headers, rows)


def _before_after(results: dict[str, Any]) -> list[str]:
    """The section comparing each ratio after a change with the same ratio before it
    (benchmarks/run.py --before REF); or that no such comparison is recorded."""
    lines = ["## Before and after a change", ""]
    pairs = results.get("before_after")
    if not pairs:
        return [*lines, NO_BEFORE_AFTER, ""]
    return [
        *lines,
        "Each ratio above (after) divided by the same ratio measured, in the same run, on the "
        f"code of <code>{escape(pairs['ref'])}</code> (before): "
        "a quotient above its bound is a regression.",
        "",
        *_before_after_table(pairs),
        "",
    ]


def _scaling_tables(results: dict[str, Any]) -> list[str]:
    """The validator's seconds per stage at each size, and each stage's growth exponent."""
    scaling = [
        (f"{r['rows']:,}", r["stage"], f"{r['seconds']:.3f}", f"{r['rows_per_second']:,.0f}")
        for r in results["scaling"]
    ]
    exponents = [
        (r["stage"], f"{r['exponent']:.2f}", f"≤ {r['target']}", _met(r))
        for r in results["exponents"]
    ]
    return [
        "## Scaling of the validator",
        "",
        *markdown_table(("Rows", "Stage", "Seconds", "Rows per second"), scaling),
        "",
        *markdown_table(("Stage", "Growth exponent 10k→100k", "Target", "Met"), exponents),
    ]


def _memory_and_notes(results: dict[str, Any]) -> list[str]:
    """Peak memory, the run's notes, and the command that reproduces it."""
    memory = results["memory"]
    return [
        f"Peak memory (max RSS) of `validate` on {memory['rows']:,} rows: "
        f"{memory['max_rss_mb']:.0f} MB.",
        "",
        "## Notes",
        "",
        *[f"- {n}" for n in results.get("notes", [])],
        "",
        "Reproduce:",
        "",
        "```sh",
        results["command"],
        "```",
        "",
    ]


def performance_page(results: dict[str, Any] | None) -> str:
    """The Performance page, from benchmarks/results/latest.json (None: no results yet)."""
    lines = [
        "# Performance",
        "",
        "Measured by `python benchmarks/run.py`; every figure is a median of repeated runs, "
        "and every comparison a ratio measured in the same run.",
        "",
    ]
    if not results:
        lines += ["No benchmark results are recorded yet: run the command above.", ""]
        return "\n".join(lines)
    lines += [
        _machine_line(results),
        "",
        "## Ratios against a baseline in the same run",
        "",
        *_ratios_table(results["comparisons"]),
        "",
        *_before_after(results),
        *_scaling_tables(results),
        "",
        *_memory_and_notes(results),
    ]
    return "\n".join(lines)
