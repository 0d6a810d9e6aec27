"""Markdown and HTML for the documentation site, rendered from the package's typed tables and Table Schemas.

Pure functions of the read package: the mkdocs hook (site_pages.py, beside this file) calls them at build
time, so the site cannot drift from the data. Not part of the installed package.
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
    """Each statistic beside its statement (claimant, date; `*_statement` for its notes) and its indicator."""
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


def external(url: str, text: str) -> str:
    """A link that leaves the site, marked as such for the eye (↗) and for a screen reader."""
    return (
        f'<a class="external" href="{escape(url)}" rel="external noopener">{escape(text)}'
        '<span aria-hidden="true"> ↗</span><span class="sr-only"> (external link)</span></a>'
    )


def html_table(headers: Sequence[str], rows: Sequence[Sequence[str]], label: str) -> str:
    """A table whose rows stack into cards on a phone (see extra.css); cells are HTML already."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td data-label="{escape(h)}">{c}</td>' for h, c in zip(headers, row, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return f'<table class="stack" aria-label="{escape(label)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def statistic_cell(stat: Row, href: str | None) -> str:
    """The indicator's label first (a link when href is given), then the identifier in code font."""
    label = escape(stat["label"] or "")
    return (
        f'<a href="{href}">{label}</a>' if href else label
    ) + f'<br><code class="ident">{escape(stat["statistic_id"]).replace("_", "_<wbr>")}</code>'


def statistics_table(stats: list[Row], prefix: str | None) -> str:
    """The statistics, label first; prefix is the path to the statistic pages (None: no links, for the README)."""
    headers = ("Statistic", "Value", "Period", "Area")
    if prefix is None:  # GitHub renders the README's Markdown table
        lines = ["| " + " | ".join(headers) + " |", "|---|---|---|---|"]
        lines += [
            f"| {_cell(s['label'])} (`{s['statistic_id']}`) | {_cell(value_text(s))} | {_cell(format_period(s))}"
            f" | {_cell(s['area'])} |"
            for s in stats
        ]
        return "\n".join(lines)
    rows = [
        (
            statistic_cell(s, f"{prefix}{s['statistic_id']}/"),
            escape(value_text(s)),
            escape(format_period(s)),
            escape(s["area"]),
        )
        for s in stats
    ]
    return html_table(headers, rows, "The statistics")


def inferred_table(stats: list[Row], tables: Tables, prefix: str) -> str:
    """Each statement's and statistic's inferred fields beside the notes that give the evidence."""
    lines = ["| Row | Inferred, not printed in the source | Evidence (notes) |", "|---|---|---|"]
    for s in records(tables["statements"]):
        fields = (
            ", ".join(f"`{name}`" for name in (s["inferred_fields"] or "").split()) or "nothing"
        )
        lines.append(f"| The statement (`{s['statement_id']}`) | {fields} | {_cell(s['notes'])} |")
    for s in stats:
        fields = (
            ", ".join(f"`{name}`" for name in (s["inferred_fields"] or "").split()) or "nothing"
        )
        link = f'<a href="{prefix}{s["statistic_id"]}/">{escape(s["label"])}</a> (`{s["statistic_id"]}`)'
        lines.append(f"| {link} | {fields} | {_cell(s['notes'])} |")
    return "\n".join(lines)


def _example(field: dict[str, Any], frame: pd.DataFrame) -> str:
    values = frame[field["name"]].dropna()
    if values.empty:
        return ""
    first = values.iloc[0]
    text = day(first, "%Y-%m-%d") if isinstance(first, pd.Timestamp) else str(first)
    return text[:60] + "…" if len(text) > 60 else text


def _constraints(field: dict[str, Any]) -> str:
    # x-pattern is the pattern of an optional field, kept out of `constraints` for SQLite's sake (methodology).
    rules = {
        **field.get("constraints", {}),
        **({"pattern": field["x-pattern"]} if "x-pattern" in field else {}),
    }
    shown = []
    for name, arg in rules.items():
        if name == "required":
            continue
        if name == "enum":
            labels = category_labels(field)
            arg = ", ".join(f"{v}" + (f" ({labels[v]})" if v in labels else "") for v in arg)
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


def data_dictionary(resources: dict[str, Resource], tables: Tables) -> str:
    parts = [
        "# Data dictionary",
        "",
        "Generated from `schemas/*.schema.json`, the single source of truth for every field. "
        "Examples are taken from the data.",
        "",
    ]
    for name, resource in resources.items():
        parts += [
            f"## {name} {{#{name}}}",
            "",
            resource.schema.get("description", ""),
            "",
            f"File: [`{resource.path}`]({resource.path}) · schema: [`schemas/{name}.schema.json`]"
            f"(schemas/{name}.schema.json) · {len(tables[name])} rows",
            "",
            *_keys(resource),
            "",
        ]
        for field in resource.fields:
            required = "required" if field.get("constraints", {}).get("required") else "optional"
            rules, example = _constraints(field), _example(field, tables[name])
            parts += [
                '<div class="field-card">',
                f'<p><code class="field" data-table="{name}" id="{name}-{field["name"]}">{field["name"]}</code>'
                f" · {field['type']} · {required}</p>",
                f"<p>{escape(field.get('description', ''))}</p>",
                f'<p class="field-rules">{"Rules: " + rules + "." if rules else "No further rules."}'
                + (f" Example: <code>{escape(example)}</code>" if example else "")
                + "</p>",
                "</div>",
                "",
            ]
        parts.append("")
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
        f'<mark class="quote" data-statistic="{escape(statistic_id)}">{escape(text[start:end])}</mark>'
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
    """Label and value pairs as a definition list: it wraps on any screen, nothing scrolls sideways."""
    return (
        '<dl class="facts">'
        + "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in facts)
        + "</dl>"
    )


def statistic_page(stat: Row, tables: Tables, snapshot: str, source: Row) -> str:
    """A statistic's page: what is counted and how many, its facts, the quote in its paragraph, other reports."""
    inferred = (stat["inferred_fields_statement"] or "").split() + (
        stat["inferred_fields"] or ""
    ).split()
    country = f" ({stat['country_code']})" if stat["country_code"] else ""
    quote_link = f'<a href="../../source/#quote-{escape(stat["statistic_id"])}">the quote in the annotated source</a>'
    facts = [
        ("Value", escape(value_text(stat))),
        (
            "What is counted",
            f"{escape(stat['label'])}: {escape(stat['definition'])} (<code>{stat['indicator_id']}</code>)",
        ),
        ("Period", escape(format_period(stat)) + f" (<code>{stat['period_type']}</code>)"),
        ("Area", escape(stat["area"] + country)),
        ("Said by", escape(f"{stat['claimant']}, {stat['claimant_role']}")),
        (
            "Date of the statement",
            escape(day(stat["claim_date"])) + (" (inferred)" if "claim_date" in inferred else ""),
        ),
        ("Event", escape(f"{stat['event']}, {stat['event_location']}")),
        (
            "Source",
            f"{external(source['url'], source['title'])}, {escape(source['publisher'])}; {quote_link}",
        ),
        (
            "Quote position",
            f"characters {stat['quote_start']}–{stat['quote_end']} of the snapshot (code points)",
        ),
        (
            "Inferred, not printed in the source",
            ", ".join(f"<code>{f}</code>" for f in inferred) or "nothing",
        ),
    ]
    lines = [
        f"---\ntitle: {json.dumps(heading(stat), ensure_ascii=False)}\n---",  # the browser's title says it too
        "",
        f"# {_cell(heading(stat))}",
        "",
        f"A claim by an official as reported by the source, not a verified fact. Identifier: `{stat['statistic_id']}`.",
        "",
        facts_list(facts),
        "",
        "## The words of the source",
        "",
        highlighted_paragraph(
            snapshot, stat["quote_start"], stat["quote_end"], stat["statistic_id"]
        ),
        "",
        "## Notes",
        "",
        _cell(stat["notes"]),
        "",
        f"About the statement (`{stat['statement_id']}`): {_cell(stat['notes_statement'])}"
        if stat["notes_statement"]
        else "",
        "",
    ]
    lines += cross_check_section(stat, tables)
    lines += ["## The row as CSV", "", _csv_block(tables["statistics"], stat["statistic_id"]), ""]
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


def annotated_source(
    snapshot: str,
    mentions: pd.DataFrame,
    stats: list[Row],
    role_labels: dict[str, str],
    prefix: str,
) -> str:
    """The whole snapshot with every mention marked, its role named in text, and each quote's start anchored."""
    marks = sorted(records(mentions), key=lambda m: m["mention_start"])
    # each quote's start is anchored; one that starts inside a mention, just before that mention
    anchors = sorted(
        (
            next(
                (m["mention_start"] for m in marks if m["mention_start"] < q < m["mention_end"]), q
            ),
            sid,
        )
        for q, sid in ((s["quote_start"], s["statistic_id"]) for s in stats)
    )
    pieces, cursor = [], 0

    def text_to(end: int) -> None:
        nonlocal cursor
        while anchors and anchors[0][0] <= end:
            at, sid = anchors.pop(0)
            pieces.extend([escape(snapshot[cursor:at]), f'<span id="quote-{escape(sid)}"></span>'])
            cursor = at
        pieces.append(escape(snapshot[cursor:end]))
        cursor = end

    for m in marks:
        text_to(m["mention_start"])
        role, inner = m["role"], escape(snapshot[m["mention_start"] : m["mention_end"]])
        if m["statistic_id"]:
            inner = f'<a href="{prefix}{m["statistic_id"]}/">{inner}</a>'
        pieces.append(
            f'<mark class="mention role-{role}" data-role="{role}">{inner}</mark>'
            f'<span class="role-tag" data-role="{role}"> [{role.replace("_", " ")}]</span>'
        )
        cursor = m["mention_end"]
    text_to(len(snapshot))
    counts = mentions["role"].value_counts()
    legend = [
        (
            f'<mark class="mention role-{role}">123</mark> [{role.replace("_", " ")}]',
            escape(label),
            f"<code>{role}</code>",
            str(counts.get(role, 0)),
        )
        for role, label in role_labels.items()
    ]
    return "\n".join(
        [
            "## Legend",
            "",
            "Each number is marked and followed by its role in brackets; "
            "a number that states a statistic links to its page.",
            "",
            html_table(("Mark", "Role", "Identifier", "Count"), legend, "The roles of the numbers"),
            "",
            "## The snapshot",
            "",
            f'<pre class="annotated-source">{"".join(pieces)}</pre>',
            "",
        ]
    )


def sources_page(tables: Tables, pins: dict[str, dict[str, Any]]) -> str:
    """Every source; a snapshot's hash and size come from its pin in the descriptor's sources."""
    lines = ["# Sources", ""]
    for s in records(tables["sources"]):
        not_before = day(s["published_not_before"])
        published = day(s["published"]) or (
            "unknown" + (f" (not before {not_before})" if not_before else "")
        )
        facts = [
            (
                "Role",
                "the article the figures come from"
                if s["source_role"] == "primary"
                else "a cross-check: another report of the same speech",
            ),
            ("Publisher", escape(s["publisher"])),
            ("Published", escape(published)),
            ("Read it", external(s["url"], s["title"])),
            ("Language", escape(s["language"])),
            ("Rights", escape(s["rights"])),
            ("Identifier", f"<code>{escape(s['source_id'])}</code>"),
        ]
        verify: list[str] = []
        if s["snapshot_path"]:
            pin = pins[s["snapshot_path"]]
            sha = pin["hash"].removeprefix("sha256:")
            facts += [
                (
                    "Snapshot",
                    f'<a href="../{s["snapshot_path"]}">{escape(s["snapshot_path"])}</a>, {pin["bytes"]:,} bytes',
                ),
                (
                    "SHA-256",
                    f'<code class="hash">{sha}</code> (pinned in the <code>sources</code> of <code>datapackage.json</code>)',
                ),
            ]
            verify = [
                "Verify the snapshot yourself from a clone or an unpacked wheel:",
                "",
                "```sh",
                f"sha256sum {s['snapshot_path']}",
                f"# expected: {sha}  {s['snapshot_path']}",
                "```",
                "",
            ]
        lines += [
            f"## {escape(s['short_name'])}: {escape(s['title'])} {{#{s['source_id']}}}",
            "",
            facts_list(facts),
            "",
            *verify,
        ]
        lines += [_cell(s["notes"]), ""]
    return "\n".join(lines)


def cross_checks_page(stats: list[Row], tables: Tables, prefix: str) -> str:
    sources = {s["source_id"]: s for s in records(tables["sources"])}
    others = [s for s in sources.values() if s["source_role"] == "cross_check"]
    by_id = {s["statistic_id"]: s for s in stats}
    rows = [
        (
            statistic_cell(by_id[c["statistic_id"]], f"{prefix}{c['statistic_id']}/")
            + f"<br>{escape(value_text(by_id[c['statistic_id']]))}",
            external(sources[c["source_id"]]["url"], sources[c["source_id"]]["short_name"]),
            escape(reported_text(c, by_id[c["statistic_id"]]["unit"])),
            f"<strong>{c['agreement']}</strong>",
            escape(c["difference"] or ""),
        )
        for c in records(tables["cross_checks"])
    ]
    return "\n".join(
        [
            "# Cross-checks",
            "",
            "Other reports of the same speech, compared figure by figure with the article. "
            "Only figures, bounds and short labels of those reports are recorded; the difference notes are ours.",
            "",
            "Reports compared: "
            + "; ".join(
                f"{_report_link(s)} ([record](sources.md#{s['source_id']}))" for s in others
            )
            + ".",
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
    """The package's licence (from datapackage.json) as a link: 'CC-BY-4.0, Creative Commons Attribution 4.0 (…)'."""
    return external(licence["path"], licence["name"]) + (
        f", {escape(licence['title'])}" if licence.get("title") else ""
    )


def cite_page(citation: dict[str, Any], licence: dict[str, Any]) -> str:
    authors = "; ".join(
        a.get("name") or _joined(a.get("family-names"), a.get("given-names"), sep=", ")
        for a in citation.get("authors", [])
    )
    year = str(citation.get("date-released", ""))[:4]
    lines = [
        "# How to cite",
        "",
        "Rendered from `CITATION.cff`.",
        "",
        citation.get("message", ""),
        "",
        "## This dataset",
        "",
    ]
    lines += [
        _joined(
            f"{authors} ({year})" if year else authors,
            f"*{citation['title']}*, version {citation['version']}",
            f"Licence: {licence_link(licence)}",
        )
        + ".",
        "",
    ]
    lines += [
        "## A specific version",
        "",
        "Cite the version you used: its number and date are the ones above, and every version's files stay "
        "checkable with `morocco-migration-2017 verify`. Once the repository is linked to Zenodo, each release "
        "gets a DOI of its own, minted from `.zenodo.json`, and Zenodo's concept DOI resolves to the latest "
        "version. A version's DOI then appears on its Zenodo record, in its release notes, and in the "
        "`identifiers` of `CITATION.cff` from the next version on. Until the first release is published there "
        "is no DOI: cite the version number.",
        "",
    ]
    ref = citation.get("preferred-citation") or next(iter(citation.get("references", [])), None)
    if ref:
        who = "; ".join(a.get("name", "") for a in ref.get("authors", []))
        when = _joined(ref.get("year"), ref.get("month") and f"{int(ref['month']):02d}", sep="-")
        lines += [
            "## The original article (cite it as well)",
            "",
            _joined(
                who,
                f"“{ref['title']}”",
                ref.get("publisher", {}).get("name", "")
                if ref.get("publisher", {}).get("name") != who
                else "",
                ref.get("issue") and f"article {ref['issue']}",
                when,
                ref.get("url") and external(ref["url"], "Read the article"),
            )
            + ".",
            "",
        ]
    lines += [
        "## BibTeX",
        "",
        "```bibtex",
        f"@misc{{morocco_migration_2017_v{citation['version'].replace('.', '_')},",
        f"  title = {{{citation['title']}}},",
        f"  author = {{{authors}}},",
        f"  version = {{{citation['version']}}},",
        *([f"  year = {{{year}}},"] if year else []),
        "}",
        "```",
        "",
    ]
    return "\n".join(lines)


def performance_page(results: dict[str, Any] | None) -> str:
    lines = [
        "# Performance",
        "",
        "Measured by `python benchmarks/run.py`; every figure is a median of repeated runs, "
        "and every comparison a ratio measured in the same run.",
        "",
    ]
    if not results:
        return "\n".join(
            [*lines, "No benchmark results are recorded yet: run the command above.", ""]
        )
    machine = results["machine"]
    lines += [
        f"Machine: {machine['cores']} cores, {machine['platform']}, Python {machine['python']}; "
        + ", ".join(f"{k} {v}" for k, v in machine["packages"].items())
        + f". Run on {results['date']}.",
        "",
        "## Ratios against a baseline in the same run",
        "",
        "| Comparison | Ours (s) | Baseline (s) | Ratio | Target | Met |",
        "|---|---|---|---|---|---|",
    ]
    for r in results["comparisons"]:
        lines.append(
            f"| {_cell(r['name'])} | {r['ours']:.3f} | {r['baseline']:.3f} | {r['ratio']:.2f}× | "
            f"≤ {r['target']}× | {'yes' if r['met'] else '**no**'} |"
        )
    lines += [
        "",
        "## Scaling of the validator",
        "",
        "| Rows | Stage | Seconds | Rows per second |",
        "|---|---|---|---|",
    ]
    for r in results["scaling"]:
        lines.append(
            f"| {r['rows']:,} | {r['stage']} | {r['seconds']:.3f} | {r['rows_per_second']:,.0f} |"
        )
    lines += ["", "| Stage | Growth exponent 10k→100k | Target | Met |", "|---|---|---|---|"]
    for r in results["exponents"]:
        lines.append(
            f"| {r['stage']} | {r['exponent']:.2f} | ≤ {r['target']} | {'yes' if r['met'] else '**no**'} |"
        )
    lines += [
        "",
        f"Peak memory (max RSS) of `validate` on {results['memory']['rows']:,} rows: "
        f"{results['memory']['max_rss_mb']:.0f} MB.",
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
    return "\n".join(lines)
