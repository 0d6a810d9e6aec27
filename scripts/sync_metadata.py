"""Keep the citation and archive metadata in step with datapackage.json, and the project URLs with mkdocs.yml.

    python scripts/sync_metadata.py [--check]

datapackage.json is the one source of the version, the date (`created`), the title, description, keywords and
licence; `repo_url` in mkdocs.yml is the one setting of the repository's address (and `site_url` of the docs').
From them this script writes:

- CITATION.cff: `version`, `date-released` and, once the address is set, `repository-code`, at the top and
  in `preferred-citation` (what GitHub's "Cite this repository" reads);
- .zenodo.json: what Zenodo reads when a GitHub release mints a DOI for the version;
- pyproject.toml: `[project.urls]`, once an address is set (the wheel's project links).

--check reports what is stale and changes nothing (exit 1).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

from _maintenance import apply_changes

ROOT = Path(__file__).resolve().parent.parent
URLS_HEADER = "[project.urls]\n# written by scripts/sync_metadata.py from repo_url and site_url in mkdocs.yml\n"


def setting(root: Path, key: str) -> str | None:
    """A top-level URL setting of mkdocs.yml (read as text: the file may hold tags a safe YAML loader refuses).

    Only an http(s) address written in the file counts: a tag such as `!ENV SITE_URL` is an address given at
    build time, which no released file can hold, so it counts as unset."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    found = re.search(rf"^{key}:[ \t]*['\"]?(https?://[^'\"\s#]+)", text, re.MULTILINE)
    return found.group(1).rstrip("/") if found else None


PREFERRED = "\npreferred-citation:\n"


def citation(text: str, descriptor: dict, repo: str | None) -> str:
    """CITATION.cff with the version, the release date and the repository's address of the descriptor and mkdocs.yml,
    at the top level and in preferred-citation (its keys indented by two spaces)."""
    top, marker, preferred = text.partition(PREFERRED)
    top = citation_keys(top, "", descriptor, repo)
    return top + marker + (citation_keys(preferred, "  ", descriptor, repo) if marker else "")


def citation_keys(text: str, indent: str, descriptor: dict, repo: str | None) -> str:
    """The version, release date and repository-code keys written at one indent of a CITATION.cff."""
    text = re.sub(rf"^{indent}version: .*$", f"{indent}version: {descriptor['version']}", text, count=1, flags=re.MULTILINE)
    released = f"{indent}date-released: {descriptor['created'][:10]}"
    text = re.sub(rf"^{indent}date-released: .*$", released, text, count=1, flags=re.MULTILINE)
    text = re.sub(rf"^{indent}repository-code: .*\n", "", text, flags=re.MULTILINE)
    if repo:
        where = rf"^({indent}date-released: .*\n)"
        text = re.sub(where, rf'\1{indent}repository-code: "{repo}"\n', text, count=1, flags=re.MULTILINE)
    return text


def citation_faults(text: str, descriptor: dict, repo: str | None) -> list[str]:
    """What a CITATION.cff, read as YAML, says otherwise than the descriptor and mkdocs.yml, key by key: in the
    file as it is (--check), or as written (a key the text rewrite could not reach: another indent, a key removed)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return [f"CITATION.cff is not YAML: {error}"]
    wanted = {"version": descriptor["version"], "date-released": descriptor["created"][:10], "repository-code": repo}
    faults = []
    preferred = data.get("preferred-citation") if isinstance(data, dict) else None
    for where, keys in (("the top level", data), ("preferred-citation", preferred)):
        if not isinstance(keys, dict):
            faults.append(f"CITATION.cff: {where} is not a mapping")
            continue
        for key, value in wanted.items():
            found = keys.get(key)
            found = str(found) if found is not None else None
            if found != value:
                named = key if where == "the top level" else f"{where}.{key}"
                faults.append(f"CITATION.cff: {named} is {found!r}, not {value!r}; write it as `{key}: ` at its indent")
    return faults


def zenodo(descriptor: dict, repo: str | None) -> str:
    """.zenodo.json: the deposit metadata of a version (Zenodo's legacy deposit schema, which its GitHub link reads)."""
    article = next(s["path"] for s in descriptor["sources"] if s["path"].startswith("https://"))
    related = [{"identifier": article, "relation": "isDerivedFrom", "resource_type": "publication-article", "scheme": "url"}]
    related += [{"identifier": repo, "relation": "isSupplementedBy", "scheme": "url"}] if repo else []
    record = {
        "title": f"{descriptor['name']}: {descriptor['title']}",
        "upload_type": "dataset",
        "access_right": "open",
        "description": descriptor["description"],
        "version": descriptor["version"],
        "publication_date": descriptor["created"][:10],
        "creators": [{"name": c["title"]} for c in descriptor["contributors"] if "creator" in c.get("roles", [])],
        "license": descriptor["licenses"][0]["name"].lower(),
        "keywords": descriptor["keywords"],
        "related_identifiers": related,
        "notes": descriptor["licenses"][0]["title"],
    }
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def project_urls(text: str, repo: str | None, site: str | None) -> str:
    """pyproject.toml with a [project.urls] table of the addresses that are set, and none while none is."""
    text = re.sub(r"\[project\.urls\]\n# written by .*?\n\n(?=\[)", "", text, flags=re.DOTALL)
    urls = {"Documentation": site} if site else {}
    if repo:
        urls |= {"Source": repo, "Issues": f"{repo}/issues", "Changelog": f"{repo}/blob/main/CHANGELOG.md"}
    if not urls:
        return text
    table = URLS_HEADER + "".join(f'{name} = "{url}"\n' for name, url in urls.items()) + "\n"
    return text.replace("[project.scripts]\n", table + "[project.scripts]\n", 1)


def changes(root: Path, descriptor: dict, cff: str, repo: str | None) -> dict[Path, bytes]:
    """The files whose text is not what datapackage.json and mkdocs.yml make it, with that text."""
    site = setting(root, "site_url")
    wanted = {
        root / "CITATION.cff": citation(cff, descriptor, repo),
        root / ".zenodo.json": zenodo(descriptor, repo),
        root / "pyproject.toml": project_urls((root / "pyproject.toml").read_text(encoding="utf-8"), repo, site),
    }
    return {
        path: text.encode("utf-8")
        for path, text in wanted.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report what is stale; change nothing")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository (default: this one)")
    args = parser.parse_args(argv)
    try:
        descriptor = json.loads((args.root / "datapackage.json").read_text(encoding="utf-8"))
        current, repo = (args.root / "CITATION.cff").read_text(encoding="utf-8"), setting(args.root, "repo_url")
        wanted = changes(args.root, descriptor, current, repo)  # each file read once
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        print(f"cannot read the metadata files (UTF-8 text, datapackage.json as JSON): {error}", file=sys.stderr)
        return 1
    written = wanted.get(args.root / "CITATION.cff")
    text = written.decode("utf-8") if written and not args.check else current
    faults = citation_faults(text, descriptor, repo)
    if faults:
        print("\n".join(faults), file=sys.stderr)
    code = apply_changes(wanted, args.root, args.check, "stale", "wrote")
    if args.check and not code and not faults:
        print("current: CITATION.cff, .zenodo.json and pyproject.toml agree with datapackage.json and mkdocs.yml")
    return 1 if faults else code


if __name__ == "__main__":
    raise SystemExit(main())
