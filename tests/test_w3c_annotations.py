"""Issue #24: with --base-url, annotations.jsonld passes every "must" schema of the W3C Web Annotation test suite.

The schemas are vendored byte-exact in tests/fixtures/web-annotation-tests/ (see its README.md) and run as the
suite's own harness (annotation-model/scripts/JSONtest.js in web-platform-tests) runs them:

- the list of "must" assertions is the suite's annotations/annotationMusts.test; each file it names declares
  assertionType "must", expectedResult "valid" and onUnexpectedResult "failAndContinue", so every one is run and
  every one has to pass (none is a feature probe that may fail, as the "should"/"may" files of
  annotationOptionals.test are);
- each assertion is applied to one whole Annotation, the bodies and targets included: the bodiesTargets and
  specificResource files reach the body and target through their own "properties", so the suite never validates
  a body or a target on its own, and neither does this test;
- the files declare draft-04 ($schema), so they run with Draft4Validator, and their $ref (for example
  "id.json#/definitions/idValueFound") resolve to the vendored definitions/ by their own "id", through a
  referencing Registry that has no retrieve function: nothing is fetched;
- format "uri" is checked, as the suite's validator (Ajv) checks formats: draft-04 defines it as an RFC 3986 URI,
  scheme required, and jsonschema checks it only with an optional package, so the checker is given here from
  rfc3986-validator (a dev dependency: RFC 3986's ABNF as a regex).

The annotations of the export sit in an AnnotationCollection's page, whose @context is the one they are read in
(Web Annotation Data Model §5); the suite's 3.1-annotationContextValidated asks a single Annotation for it, so each
item is checked as it stands alone: the collection's @context, then the item's own keys."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT4
from rfc3986_validator import validate_rfc3986

from edits import ROOT
from morocco_migration_2017.cli import main

SUITE = ROOT / "tests" / "fixtures" / "web-annotation-tests"
BASE = "https://example.org/mm/"
DRAFT_04 = "http://json-schema.org/draft-04/schema#"
UPSTREAM = "adedd9a5f06d9daa75bbfbb97aa9215cd09b4bb5"  # the w3c/web-annotation-tests commit the files come from

Annotation = dict[str, Any]


def read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def must_files() -> list[str]:
    return read(SUITE / "annotations" / "annotationMusts.test")["assertions"]


def is_uri(value: object) -> bool:
    """Draft-04's format "uri": RFC 3986's rule URI, character by character (rfc3986-validator is its
    ABNF as one regex, the checker jsonschema itself uses for "uri"), so a scheme is required and
    `<`, a space, a control character or a bad %-escape is refused."""
    return not isinstance(value, str) or validate_rfc3986(value, rule="URI") is not None


@cache
def validators() -> dict[str, Draft4Validator]:
    """Every "must" assertion of the suite, compiled against the vendored definitions only."""
    definitions = [read(path) for path in sorted((SUITE / "definitions").glob("*.json"))]
    registry = Registry().with_resources((d["id"], DRAFT4.create_resource(d)) for d in definitions)
    formats = FormatChecker()
    formats.checks("uri")(is_uri)
    return {name: Draft4Validator(read(SUITE / name), registry=registry, format_checker=formats) for name in must_files()}


def standalone(collection: dict[str, Any]) -> list[Annotation]:
    """Each annotation of the collection as a document of its own, in the collection's @context."""
    return [{"@context": collection["@context"], **item} for item in collection["first"]["items"]]


def failures(annotations: list[Annotation]) -> dict[str, set[str]]:
    """For each "must" assertion that some annotation fails, the ids of the annotations that fail it."""
    failed: dict[str, set[str]] = {}
    for name, validator in validators().items():
        for annotation in annotations:
            if not validator.is_valid(annotation):
                failed.setdefault(name, set()).add(str(annotation.get("id")))
    return failed


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The annotations export made with --base-url and made without any base URL."""
    documents = {}
    with pytest.MonkeyPatch.context() as env:
        env.delenv("SITE_URL", raising=False)
        for name, options in (("absolute", ["--base-url", BASE]), ("relative", [])):
            out = tmp_path_factory.mktemp(name)
            assert main(["export", "--format", "annotations", "--out", str(out), *options]) == 0
            documents[name] = read(out / "annotations.jsonld")
    return documents


def test_the_vendored_files_are_the_suites_must_assertions_and_what_they_ref() -> None:
    names = must_files()
    assert len(names) == len(set(names)) == 54
    for name in names:
        schema = read(SUITE / name)
        assert schema["$schema"] == DRAFT_04, name
        assert (schema["assertionType"], schema["expectedResult"]) == ("must", "valid"), name
    definitions = {p.name for p in (SUITE / "definitions").glob("*.json")}
    assert all(read(SUITE / "definitions" / d)["$schema"] == DRAFT_04 for d in definitions)
    refs = {ref.split("#")[0] for path in SUITE.rglob("*.json") for ref in refs_in(read(path))} - {""}
    assert refs == definitions  # every $ref is vendored, and nothing is vendored that no assertion uses
    vendored = {p.relative_to(SUITE).as_posix() for p in SUITE.rglob("*.json") if p.parent.name != "definitions"}
    assert vendored == set(names)
    readme = (SUITE / "README.md").read_text(encoding="utf-8")
    assert (SUITE / "license.md").is_file() and UPSTREAM in readme and "license.md" in readme


def refs_in(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in refs_in(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in refs_in(value)]
    return []


def test_with_a_base_url_every_annotation_passes_every_must_schema(exported: dict[str, dict[str, Any]]) -> None:
    annotations = standalone(exported["absolute"])
    assert len(annotations) == exported["absolute"]["total"] > 0
    assert failures(annotations) == {}


NOT_URIS = (
    "annotations.jsonld#x",
    "data/sources/a.txt",
    "https://a b/",
    "https://example.org/<a>",
    "https://example.org/%zz",
    "https://example.org/a\x01",
    'https://example.org/"q"',
    "https://example.org/{x}",
)


def test_the_uri_format_is_checked() -> None:
    assert is_uri(BASE + "annotations.jsonld#x") and is_uri("urn:isbn:0451450523")
    assert is_uri("https://[::1]:8080/a%20b") and not is_uri("")


@pytest.mark.parametrize("text", NOT_URIS)
def test_the_uri_format_refuses_what_rfc_3986_refuses(text: str) -> None:
    assert not is_uri(text)


def test_without_a_base_url_the_relative_ids_fail_the_must_schemas(exported: dict[str, dict[str, Any]]) -> None:
    annotations = standalone(exported["relative"])
    failed = failures(annotations)
    every = {a["id"] for a in annotations}
    assert failed["annotations/3.1-annotationIdValidated.json"] == every
    assert failed["annotations/3.2-targetObjectsRecognized.json"] == every  # the source's id is relative too


def broken(collection: dict[str, Any], index: int, change: str) -> list[Annotation]:
    """A copy of the annotations with one fact of one of them broken."""
    annotations = copy.deepcopy(standalone(collection))
    annotation = annotations[index]
    if change == "relative id":
        annotation["id"] = annotation["id"].removeprefix(BASE)
    else:
        del annotation["type"]
    return annotations


@pytest.mark.parametrize(
    ("change", "assertion"),
    [
        ("relative id", "annotations/3.1-annotationIdValidated.json"),
        ("no type", "annotations/3.1-annotationTypeValidated.json"),
    ],
)
def test_one_broken_annotation_fails_exactly_its_must_schema(
    exported: dict[str, dict[str, Any]], change: str, assertion: str
) -> None:
    collection = exported["absolute"]
    index = len(collection["first"]["items"]) // 2
    annotations = broken(collection, index, change)
    assert failures(annotations) == {assertion: {annotations[index]["id"]}}


def test_the_context_is_asked_of_each_annotation(exported: dict[str, dict[str, Any]]) -> None:
    """Why each item is checked with the collection's @context: on its own, the suite's context assertion fails."""
    items = exported["absolute"]["first"]["items"]
    assert failures(items) == {"annotations/3.1-annotationContextValidated.json": {item["id"] for item in items}}
