"""Issue: export --base-url. With the site's address (the option, or SITE_URL) every id of
annotations.jsonld and every @id of croissant.json is absolute under it; without it the ids are
relative, and both the document and the command say so."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from morocco_migration_2017.cli import main
from morocco_migration_2017.export import base_url
from morocco_migration_2017.problems import PackageError

BASE = "https://example.org/mm/"


def ids(node: Any) -> Iterator[str]:
    """Every id and @id in a JSON document, at any depth (the targets' source.id among them)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("id", "@id"):
                yield value
            yield from ids(value)
    elif isinstance(node, list):
        for value in node:
            yield from ids(value)


def exported(tmp_path: Path, *options: str) -> dict[str, Any]:
    assert main(["export", "--format", "annotations", "--out", str(tmp_path), *options]) == 0
    return json.loads((tmp_path / "annotations.jsonld").read_text(encoding="utf-8"))


def assert_absolute(document: dict[str, Any]) -> None:
    found = list(ids(document))
    assert len(found) > 2 * document["total"]  # the collection, each annotation, its source, links
    for value in found:
        parts = urlsplit(value)
        assert (parts.scheme, parts.netloc) == ("https", "example.org"), value
        assert parts.path.startswith("/mm/"), value
    assert "comment" not in document


def test_every_id_is_absolute_under_the_base_url(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    document = exported(tmp_path, "--base-url", BASE)
    assert_absolute(document)
    assert document["id"] == BASE + "annotations.jsonld"
    sources = {item["target"]["source"]["id"] for item in document["first"]["items"]}
    assert sources and all(s.startswith(BASE + "data/sources/") for s in sources)


def test_site_url_is_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SITE_URL", "https://example.org/mm")  # no trailing slash: it is added
    assert_absolute(exported(tmp_path))
    assert capsys.readouterr().err == ""


def test_without_a_base_url_the_ids_are_relative_and_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SITE_URL", "")  # set but empty counts as unset
    document = exported(tmp_path)
    assert all(not urlsplit(value).scheme for value in ids(document))
    assert "relative" in document["comment"] and "--base-url" in document["comment"]
    assert document["@context"][1]["comment"] == "http://www.w3.org/2000/01/rdf-schema#comment"
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "relative" in err and "--base-url" in err


def exported_croissant(tmp_path: Path, *options: str) -> dict[str, Any]:
    assert main(["export", "--format", "croissant", "--out", str(tmp_path), *options]) == 0
    return json.loads((tmp_path / "croissant.json").read_text(encoding="utf-8"))


def test_every_croissant_id_is_absolute_under_the_base_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    document = exported_croissant(tmp_path, "--base-url", BASE)
    found = list(ids({k: v for k, v in document.items() if k != "@context"}))
    fields = sum(len(r["field"]) for r in document["recordSet"])
    assert len(found) > len(document["distribution"]) + 2 * fields  # files, fields, their sources
    for value in found:
        if value.startswith("urn:uuid:"):  # the dataset's own id, absolute already
            continue
        parts = urlsplit(value)
        assert (parts.scheme, parts.netloc) == ("https", "example.org"), value
        assert parts.path.startswith("/mm/"), value
    assert "rdfs:comment" not in document
    files = {f["@id"]: f["contentUrl"] for f in document["distribution"]}
    assert files[BASE + "data/statistics.csv"] == "data/statistics.csv"  # loads beside itself
    statistics = document["recordSet"][0]
    assert statistics["@id"] == BASE + "croissant.json#statistics"
    assert f"  url = {{{BASE}}},\n" in document["citeAs"]  # the BibTeX names where the dataset is


def test_without_a_base_url_croissant_says_its_ids_are_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    document = exported_croissant(tmp_path)
    found = ids({k: v for k, v in document.items() if k != "@context"})
    relative = [value for value in found if not value.startswith("urn:uuid:")]
    assert relative and all(not urlsplit(value).scheme for value in relative)
    comment = document["rdfs:comment"]
    assert "relative" in comment and "--base-url" in comment and "croissant.json" in comment
    assert document["@context"]["rdfs"] == "http://www.w3.org/2000/01/rdf-schema#"
    assert "url = " not in document["citeAs"]  # no address is known: none is made up
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "relative" in err and "--base-url" in err


BAD = ["ftp://x", "notaurl", "https://", "https://example.org/?q=1", "http://h:port/"]


@pytest.mark.parametrize("bad", BAD)
def test_a_bad_base_url_is_a_usage_error(
    bad: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    options = ["--out", str(tmp_path), "--base-url", bad]
    assert main(["export", "--format", "annotations", *options]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and "--base-url" in err and bad in err
    assert not list(tmp_path.iterdir())  # nothing written


def test_a_bad_site_url_is_a_usage_error_too(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SITE_URL", "notaurl")
    assert main(["export", "--format", "croissant", "--out", "unused"]) == 2
    err = capsys.readouterr().err
    assert "SITE_URL 'notaurl'" in err and "--base-url" not in err


@pytest.mark.parametrize("fmt", ["json", "sqlite"])
def test_a_bad_site_url_does_not_stop_a_format_that_makes_no_ids(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SITE_URL", "notaurl")  # left in a CI environment for the site build
    assert main(["export", "--format", fmt, "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""


def test_base_url_normalises() -> None:
    assert base_url("http://example.org") == "http://example.org/"
    assert base_url(BASE) == BASE
    with pytest.raises(PackageError):
        base_url(" https://example.org/")


@pytest.mark.parametrize(
    "address",
    ["https://exa mple.org/", "https://example.org/\x1b[31mX", "https://example.org/\u202e", "https://example.org/\nx"],
)
def test_a_base_url_with_spaces_or_control_characters_is_refused(address: str) -> None:
    with pytest.raises(PackageError, match="printable ASCII"):
        base_url(address)


NOT_URIS = [
    "https://example.org/<script>",
    'https://example.org/"x',
    "https://example.org/{x}|^`",
    "https://example.org/%zz",
    "https://user:pw@example.org/",
    "https://-/",
    "https://a..b/",
    "https://example.org:0/",
    "https://example.org/" + "a" * 2000,
]


@pytest.mark.parametrize("address", NOT_URIS)
def test_a_base_url_that_is_no_plain_uri_is_refused(address: str) -> None:
    with pytest.raises(PackageError, match="RFC 3986"):
        base_url(address)


@pytest.mark.parametrize("address", ["https://example.org/a%20b/", "http://[::1]:8000/x/", "https://sub.ex-ample.org./"])
def test_a_plain_uri_is_taken(address: str) -> None:
    assert base_url(address).startswith(address.rstrip("/"))


def test_the_dataset_card_cites_the_base_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    monkeypatch.delenv("SITE_URL", raising=False)
    assert main(["export", "--format", "zip", "--out", str(tmp_path), "--base-url", BASE]) == 0
    with zipfile.ZipFile(tmp_path / "morocco-migration-2017.zip") as z:
        card = z.read("morocco-migration-2017/README.md").decode("utf-8")
    assert f"  url = {{{BASE}}},\n" in card.split("```bibtex", 1)[1]
