"""What every export shares: the rows as plain values, the citation, and how a file is written
(atomically, byte-reproducible: every timestamp is the package's `created`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import ipaddress
import json
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pandas as pd

from ..package import Package
from ..problems import PackageError
from ..reading import read_file

NAME = "morocco-migration-2017"


def records(package: Package, name: str) -> list[dict[str, Any]]:
    """Rows as plain Python values: int, float, str, ISO date text, None for empty."""
    kinds = {f["name"]: f.get("type", "string") for f in package.resources[name].fields}
    return [
        {k: plain(v, kinds[k]) for k, v in row.items()}
        for row in package.tables[name].to_dict("records")
    ]


def plain(value: Any, kind: str) -> Any:
    if pd.isna(value):
        return None
    return {"date": lambda v: v.date().isoformat(), "integer": int, "number": float}.get(kind, str)(
        value
    )


def citation(package: Package) -> str:
    descriptor, article = package.descriptor, the_row(package, "sources", source_role="primary")
    author = descriptor["contributors"][0]["title"]
    return (
        f"{author} ({package.created.year}). {descriptor['title']}, version "
        f"{descriptor['version']} ({descriptor['id']}). Cite the original article as well: "
        f"{article['publisher']}, {article['title']}, {article['url']}"
    )


def atomic(path: Path, data: bytes) -> Path:
    """Write data to path through a temporary file beside it, so a reader sees the old file or the
    new one, never part of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    return put_in_place(temp, path)


def put_in_place(temp: str, path: Path) -> Path:
    """Move a finished temporary file onto path; if that fails (path is a folder, say), remove the
    temporary file so that nothing is left behind, and raise."""
    try:
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except OSError:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def pinned_zip(entries: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A zip whose bytes depend only on its entries: fixed order, timestamps and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def json_bytes(document: Any) -> bytes:
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def base_url(text: str, setting: str = "--base-url") -> str:
    """The site's address checked (see checked_url), ending in '/' so that paths join under it."""
    text = checked_url(text, setting)
    return text if text.endswith("/") else text + "/"


def checked_url(text: str, setting: str) -> str:
    """An address checked: an absolute http(s) URL with a host, no query or fragment, only
    printable ASCII. PackageError, a usage error that names the setting, for anything else."""
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (a port that is not a number raises ValueError)
    except ValueError:
        parts = None
    problem = _url_fault(text, parts)
    if problem is None:
        return text
    shown = text if len(text) <= 80 else text[:79] + "…"
    example = "give an address such as https://example.org/data/"
    raise PackageError(f"{setting} {shown!r} {problem}; {example}")


# RFC 3986's characters (unreserved, reserved) and well-formed %-escapes; a host's DNS labels.
_URI_CHARACTERS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.?")
MAX_URL = 2000  # characters; every id of an export begins with the address


def _url_fault(text: str, parts: Any) -> str | None:
    """What is wrong with an address as the base of every id, or None."""
    if not parts or parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an absolute http(s) URL"
    if parts.query or parts.fragment or not all("!" <= c <= "~" for c in text):
        return "has a query, a fragment, spaces or characters outside printable ASCII"
    if not _is_uri(text, parts):
        return 'is not a plain RFC 3986 address (a user name, a bad host or %-escape, <>"{}|^`)'
    return None


def _is_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return bool(_HOST.fullmatch(host))
    return True


def _is_uri(text: str, parts: Any) -> bool:
    """An address every id can begin with: RFC 3986 characters only, no user name or password, a
    valid host and port, at most MAX_URL characters."""
    return (
        len(text) <= MAX_URL
        and bool(_URI_CHARACTERS.fullmatch(text))
        and parts.username is None
        and _is_host(parts.hostname)
        and parts.port != 0
    )


def relative_note(document: str) -> str:
    """What a linked-data export says of itself when it was made without the site's address."""
    return (
        f"The ids are relative: paths from where {document} sits, beside datapackage.json. "
        "Export with --base-url (or SITE_URL) to make them absolute."
    )


def link(site_url: str | None, path: str) -> str:
    """A package or site path as a URL: absolute under the site's address if known, else as is."""
    return urljoin(site_url, path) if site_url else path


def day(value: Any) -> str | None:
    return None if pd.isna(value) else value.date().isoformat()


def rows_where(package: Package, table: str, **match: Any) -> list[dict[str, Any]]:
    return [
        row
        for row in package.tables[table].to_dict("records")
        if all(row[k] == v for k, v in match.items())
    ]


def the_row(package: Package, table: str, **match: Any) -> dict[str, Any]:
    (row,) = rows_where(package, table, **match)
    return row


def entry(path: str, data: bytes, mediatype: str, description: str) -> dict[str, Any]:
    return {
        "name": Path(path).name,
        "path": path,
        "data": data,
        "mediatype": mediatype,
        "description": description,
    }


def package_entries(package: Package) -> list[dict[str, Any]]:
    """The descriptor, each CSV and each pinned snapshot.

    Each entry: name, package path, bytes, media type, description."""
    descriptor = package.descriptor
    about = "The Data Package descriptor (v2): resources, Table Schemas, sources, licence."
    files = [entry("datapackage.json", package.raw["datapackage.json"], "application/json", about)]
    for resource in descriptor["resources"]:
        files.append(
            entry(
                resource["path"],
                package.raw[resource["path"]],
                "text/csv",
                resource.get("description", ""),
            )
        )
    for path, text in package.snapshots.items():
        source = next(s for s in descriptor["sources"] if s.get("path") == path)
        files.append(entry(path, text.encode("utf-8"), "text/plain", source["title"]))
    return files


def _citation_file(package: Package) -> dict[str, Any]:
    """CITATION.cff as read, where the package has one (a checkout), else nothing."""
    import yaml

    if not (package.root / "CITATION.cff").is_file():
        return {}
    return yaml.safe_load(read_file(package.root, "CITATION.cff").decode("utf-8"))


def cite_as(package: Package, site_url: str | None = None) -> str:
    """BibTeX for the dataset: from CITATION.cff where the package has one (a checkout), else from
    the descriptor; its url is the site's address, else the CITATION.cff's url or repository."""
    about = _citation_file(package)
    authors = [
        a.get("name") or f"{a.get('given-names', '')} {a.get('family-names', '')}".strip()
        for a in about.get("authors", [])
    ]
    authors = authors or [c["title"] for c in package.descriptor["contributors"]]
    version = str(about.get("version", package.descriptor["version"]))
    year = str(about.get("date-released", package.created.date()))[:4]
    bibtex = {
        "author": " and ".join(f"{{{name}}}" for name in authors),
        "title": about.get("title", package.descriptor["title"]),
        "version": version,
        "year": year,
        "url": site_url or about.get("url") or about.get("repository-code"),
        "note": " ".join(str(about.get("message", "")).split()),
    }
    fields = ",\n".join(f"  {key} = {{{value}}}" for key, value in bibtex.items() if value)
    return f"@misc{{{NAME}-{version},\n{fields}\n}}"
