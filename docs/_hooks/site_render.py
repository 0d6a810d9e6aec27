"""Markdown and HTML for the documentation site, rendered from the data and the Table Schemas.

Pure functions of the package's files: the mkdocs hook (site_pages.py, beside this file) calls them at
build time, so the site cannot drift from the data. Not part of the installed package.
"""

from __future__ import annotations

import csv
import io
from html import escape
from pathlib import Path
from typing import Any

from morocco_migration_2017.package import Resource, category_labels, read_file
from morocco_migration_2017.presentation import format_period, format_value
from morocco_migration_2017.wording import BOUND_WORDS

Record = dict[str, str]


def read_tables(root: Path, resources: dict[str, Resource]) -> dict[str, list[Record]]:
    """Every table as text records, read through the package's safe reader."""
    return {
        name: list(csv.DictReader(io.StringIO(read_file(root, res.path).decode("utf-8"), newline="")))
        for name, res in resources.items()
    }


def statement_of(stat: Record, tables: dict[str, list[Record]]) -> Record:
    return next(s for s in tables["statements"] if s["statement_id"] == stat["statement_id"])


def unit_of(stat: Record, tables: dict[str, list[Record]]) -> str:
    return next(i["unit"] for i in tables["indicators"] if i["indicator_id"] == stat["indicator_id"])


_MARKDOWN_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "|[]*_\\`"})


def _cell(text: Any) -> str:
    """Text for a Markdown table cell: HTML-escaped, and no character Markdown would act on."""
    return escape(str(text), quote=False).translate(_MARKDOWN_SPECIAL).replace("\n", " ")


def _code(text: str) -> str:
    return f"<code>{escape(text)}</code>" if text else ""


def value_text(stat: Record, tables: dict[str, list[Record]]) -> str:
    return format_value(stat["value"], stat["value_bound"], unit_of(stat, tables))


def statistics_table(tables: dict[str, list[Record]], prefix: str | None) -> str:
    """The statistics as a Markdown table; identifiers link to their pages when a prefix is given."""
    labels = {i["indicator_id"]: i["label"] for i in tables["indicators"]}
    lines = ["| Statistic | Indicator | Value | Period | Area |", "|---|---|---|---|---|"]
    for s in tables["statistics"]:
        ident = (
            f"[{_cell(s['statistic_id'])}]({prefix}{s['statistic_id']}.md)"
            if prefix is not None
            else f"`{s['statistic_id']}`"
        )
        lines.append(
            f"| {ident} | {_cell(labels.get(s['indicator_id'], ''))}"
            f" | {_cell(value_text(s, tables))} | {_cell(format_period(s))} | {_cell(s['area'])} |"
        )
    return "\n".join(lines)


def inferred_table(tables: dict[str, list[Record]], prefix: str) -> str:
    """Each statistic's inferred fields beside the notes that give the evidence."""
    lines = ["| Row | Inferred, not printed in the source | Evidence (notes) |", "|---|---|---|"]
    for s in tables["statements"]:
        fields = ", ".join(f"`{name}`" for name in s["inferred_fields"].split()) or "nothing"
        lines.append(f"| statement `{s['statement_id']}` | {fields} | {_cell(s['notes'])} |")
    for s in tables["statistics"]:
        fields = ", ".join(f"`{name}`" for name in s["inferred_fields"].split()) or "nothing"
        lines.append(f"| [{_cell(s['statistic_id'])}]({prefix}{s['statistic_id']}.md) | {fields} | {_cell(s['notes'])} |")
    return "\n".join(lines)


def _example(field: dict[str, Any], rows: list[Record]) -> str:
    values = [r.get(field["name"], "") for r in rows if r.get(field["name"], "")]
    return (values[0][:60] + "…" if len(values[0]) > 60 else values[0]) if values else ""


def _constraints(field: dict[str, Any]) -> str:
    # x-pattern is the pattern of an optional field, kept out of `constraints` for SQLite's sake (methodology).
    rules = {**field.get("constraints", {}), **({"pattern": field["x-pattern"]} if "x-pattern" in field else {})}
    shown = []
    for name, arg in rules.items():
        if name == "required":
            continue
        if name == "enum":
            labels = category_labels(field)
            arg = ", ".join(f"{v}" + (f" ({labels[v]})" if v in labels else "") for v in arg)
        shown.append(f"{name}: {arg}" if name != "unique" else "unique")
    return escape("; ".join(map(str, shown)))


def _keys(resource: Resource) -> list[str]:
    lines = [f"- **Primary key:** {', '.join(_code(k) for k in resource.primary_key)}"]
    for fk in resource.foreign_keys:
        target = fk["reference"]["resource"]
        lines.append(
            f"- **Foreign key:** {', '.join(_code(f) for f in fk['fields'])} → "
            f"[{target}](#{target}).{', '.join(_code(f) for f in fk['reference']['fields'])}"
        )
    return lines


def data_dictionary(resources: dict[str, Resource], tables: dict[str, list[Record]]) -> str:
    parts = [
        "# Data dictionary",
        "",
        "Generated from `schemas/*.schema.json`, the single source of truth for every "
        "field. Examples are taken from the data.",
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


def _csv_block(header: list[str], record: Record) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerow([record[h] for h in header])
    return "```csv\n" + out.getvalue() + "```"


def statistic_page(stat: Record, tables: dict[str, list[Record]], snapshot: str, header: list[str]) -> str:
    indicator = next((i for i in tables["indicators"] if i["indicator_id"] == stat["indicator_id"]), {})
    statement = statement_of(stat, tables)
    inferred = statement["inferred_fields"].split() + stat["inferred_fields"].split()
    facts = [
        ("Value", value_text(stat, tables)),
        ("Indicator", f"{indicator.get('label', '')} ({indicator.get('definition', '')})"),
        ("Period", format_period(stat)),
        ("Period type", stat["period_type"]),
        ("Area", stat["area"] + (f" ({stat['country_code']})" if stat["country_code"] else "")),
        ("Claimant", f"{statement['claimant']}, {statement['claimant_role']}"),
        ("Date of the statement", statement["claim_date"]),
        ("Event", f"{statement['event']}, {statement['event_location']}"),
        ("Source", stat["source_id"]),
        ("Quote offsets", f"{stat['quote_start']}–{stat['quote_end']} (code points)"),
        ("Inferred, not printed in the source", ", ".join(inferred) or "nothing"),
    ]
    lines = [
        f"# {value_text(stat, tables)}",
        "",
        f"`{stat['statistic_id']}`: a claim by an official as reported by the source, not a verified fact.",
        "",
        "| Field | Value |",
        "|---|---|",
    ]
    lines += [f"| {k} | {_cell(v)} |" for k, v in facts]
    lines += [
        "",
        "## The words of the source",
        "",
        highlighted_paragraph(snapshot, int(stat["quote_start"]), int(stat["quote_end"]), stat["statistic_id"]),
        "",
        "## Notes",
        "",
        stat["notes"],
        "",
        f"About the statement (`{statement['statement_id']}`): {statement['notes']}",
        "",
    ]
    lines += cross_check_section(stat["statistic_id"], tables)
    lines += ["## The row as CSV", "", _csv_block(header, stat), ""]
    return "\n".join(lines)


def reported_text(check: Record) -> str:
    """What another report gives: 'more than 3,000 since 2004', 'around 175,000,000', or '—'."""
    if not check["reported_value"]:
        return "—"
    bound = check["reported_bound"]
    qualifier = "around " if bound == "approximate" else BOUND_WORDS.get(bound, "")
    return f"{qualifier}{float(check['reported_value']):,.0f} {check['reported_period_text']}".strip()


def cross_check_section(statistic_id: str, tables: dict[str, list[Record]]) -> list[str]:
    sources = {s["source_id"]: s for s in tables["sources"]}
    rows = [c for c in tables.get("cross_checks", []) if c["statistic_id"] == statistic_id]
    if not rows:
        return []
    lines = [
        "## Other reports of the same statement",
        "",
        "| Report | Gives | Agreement | Difference |",
        "|---|---|---|---|",
    ]
    for c in rows:
        gives = reported_text(c)
        lines.append(
            f"| {_cell(sources[c['source_id']]['short_name'])} ({_cell(sources[c['source_id']]['published'])})"
            f" | {_cell(gives)} | **{c['agreement']}** | {_cell(c['difference'])} |"
        )
    return [*lines, ""]


def annotated_source(snapshot: str, mentions: list[Record], role_labels: dict[str, str], prefix: str) -> str:
    """The whole snapshot with every mention highlighted and linked to its statistic."""
    pieces, cursor = [], 0
    for m in sorted(mentions, key=lambda r: int(r["mention_start"])):
        start, end = int(m["mention_start"]), int(m["mention_end"])
        pieces.append(escape(snapshot[cursor:start]))
        title = escape(
            f"{m['role']}: {role_labels.get(m['role'], '')}" + (f" → {m['statistic_id']}" if m["statistic_id"] else "")
        )
        inner = escape(snapshot[start:end])
        if m["statistic_id"]:
            inner = f'<a href="{prefix}{m["statistic_id"]}/">{inner}</a>'
        pieces.append(f'<mark class="mention role-{m["role"]}" data-role="{m["role"]}" title="{title}">{inner}</mark>')
        cursor = end
    pieces.append(escape(snapshot[cursor:]))
    legend = ["| Mark | Role | Meaning | Count |", "|---|---|---|---|"]
    legend += [
        f'| <mark class="mention role-{role}">123</mark> | `{role}` | {_cell(label)} | '
        f"{sum(m['role'] == role for m in mentions)} |"
        for role, label in role_labels.items()
    ]
    return "\n".join(
        ["## Legend", "", *legend, "", "## The snapshot", "", f'<pre class="annotated-source">{"".join(pieces)}</pre>', ""]
    )


def sources_page(tables: dict[str, list[Record]], pins: dict[str, dict[str, Any]]) -> str:
    """Every source; a snapshot's hash and size come from its pin in the descriptor's sources."""
    lines = ["# Sources", ""]
    for s in tables["sources"]:
        published = s["published"] or f"unknown (not before {s['published_not_before']})"
        lines += [
            f"## {s['short_name']}: {s['title']} {{#{s['source_id']}}}",
            "",
            "| | |",
            "|---|---|",
            f"| Identifier | `{s['source_id']}` |",
            f"| Role | {s['source_role']} |",
            f"| Publisher | {_cell(s['publisher'])} |",
            f"| Published | {_cell(published)} |",
            f"| Address | <code>{escape(s['url'])}</code> |",
            f"| Language | {s['language']} |",
            f"| Rights | {_cell(s['rights'])} |",
        ]
        if s["snapshot_path"]:
            pin = pins[s["snapshot_path"]]
            sha = pin["hash"].removeprefix("sha256:")
            lines += [
                f"| Snapshot | [`{s['snapshot_path']}`]({s['snapshot_path']}), {pin['bytes']} bytes |",
                f"| SHA-256 | `{sha}` (pinned in the `sources` of `datapackage.json`) |",
                "",
                "Verify the snapshot yourself from a clone or an unpacked wheel:",
                "",
                "```sh",
                f"sha256sum {s['snapshot_path']}",
                f"# expected: {sha}  {s['snapshot_path']}",
                "```",
            ]
        lines += ["", s["notes"], ""]
    return "\n".join(lines)


def cross_checks_page(tables: dict[str, list[Record]], prefix: str) -> str:
    sources = {s["source_id"]: s for s in tables["sources"]}
    others = [s for s in tables["sources"] if s["source_role"] == "cross_check"]
    lines = [
        "# Cross-checks",
        "",
        "Other reports of the same speech, compared figure by figure with the article. "
        "Only figures, bounds and short labels of those reports are recorded; the difference notes are ours.",
        "",
        "Reports compared: "
        + "; ".join(f"{s['short_name']}, {s['published']} ([record](sources.md#{s['source_id']}))" for s in others)
        + ".",
        "",
        "| Statistic | Report | Gives | Agreement | Difference |",
        "|---|---|---|---|---|",
    ]
    stats = {s["statistic_id"]: s for s in tables["statistics"]}
    for c in tables["cross_checks"]:
        gives, value = reported_text(c), value_text(stats[c["statistic_id"]], tables)
        lines.append(
            f"| [{c['statistic_id']}]({prefix}{c['statistic_id']}.md) ({_cell(value)})"
            f" | {_cell(sources[c['source_id']]['short_name'])} | {_cell(gives)} | **{c['agreement']}** | "
            f"{_cell(c['difference'])} |"
        )
    return "\n".join([*lines, ""])


def cite_page(citation: dict[str, Any]) -> str:
    authors = "; ".join(
        a.get("name") or f"{a.get('family-names', '')}, {a.get('given-names', '')}" for a in citation.get("authors", [])
    )
    lines = [
        "# How to cite",
        "",
        "Rendered from `CITATION.cff`.",
        "",
        citation.get("message", ""),
        "",
        "## This dataset",
        "",
        f"{authors} ({str(citation.get('date-released', ''))[:4]}). *{citation['title']}*, "
        f"version {citation['version']}. Licence: {citation.get('license', '')}.",
        "",
    ]
    ref = citation.get("preferred-citation") or next(iter(citation.get("references", [])), None)
    if ref:
        who = "; ".join(a.get("name", "") for a in ref.get("authors", []))
        lines += [
            "## The original article (cite it as well)",
            "",
            f"{who}. “{ref['title']}”. {ref.get('publisher', {}).get('name', '')}, article "
            f"{ref.get('issue', '')}. <code>{escape(ref.get('url', ''))}</code>",
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
        f"  year = {{{str(citation.get('date-released', ''))[:4]}}},",
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
        return "\n".join([*lines, "No benchmark results are recorded yet: run the command above.", ""])
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
    lines += ["", "## Scaling of the validator", "", "| Rows | Stage | Seconds | Rows per second |", "|---|---|---|---|"]
    for r in results["scaling"]:
        lines.append(f"| {r['rows']:,} | {r['stage']} | {r['seconds']:.3f} | {r['rows_per_second']:,.0f} |")
    lines += ["", "| Stage | Growth exponent 10k→100k | Target | Met |", "|---|---|---|---|"]
    for r in results["exponents"]:
        lines.append(f"| {r['stage']} | {r['exponent']:.2f} | ≤ {r['target']} | {'yes' if r['met'] else '**no**'} |")
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
