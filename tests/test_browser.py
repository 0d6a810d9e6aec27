"""Issue: the built site, served on loopback and rendered in headless Chromium, shows what it promises."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import plain_checks as pc
from edits import ROOT
from site_build import build_site

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is required in CI: .ci/run installs Debian's chromium package")
    pytest.skip("Chromium is not installed (apt-get install chromium); CI installs it", allow_module_level=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("site")
    assert build_site(ROOT, site).returncode == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=FLAGS[1:], headless=True)
        yield context
        context.close()


@pytest.fixture
def requests_seen(browser: object) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(request: object) -> None:
        seen.append(request.url)  # type: ignore[attr-defined]

    browser.on("request", record)  # type: ignore[attr-defined]
    yield seen
    browser.remove_listener("request", record)  # type: ignore[attr-defined]


def open_page(browser: object, url: str) -> object:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(url, wait_until="networkidle")
    return page


def test_annotated_source_highlights_every_mention(browser: object, base_url: str, requests_seen: list[str]) -> None:
    page = open_page(browser, f"{base_url}/source/")
    marks = page.locator("pre.annotated-source mark.mention")
    assert marks.count() == len(pc.rows(ROOT, "mentions"))
    assert [marks.nth(i).inner_text() for i in range(marks.count())] == [
        m["mention_text"] for m in pc.rows(ROOT, "mentions")
    ]
    background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "annotated-source.png"), full_page=True)
    assert {url.split("/")[2] for url in requests_seen} == {base_url.split("/")[2]}


def test_data_dictionary_lists_every_field(browser: object, base_url: str) -> None:
    page = open_page(browser, f"{base_url}/data-dictionary/")
    shown = page.locator("code.field").evaluate_all("els => els.map(e => [e.dataset.table, e.innerText])")
    expected = [
        [path.name.removesuffix(".schema.json"), field["name"]]
        for path in sorted((ROOT / "schemas").glob("*.json"))
        for field in json.loads(path.read_text())["fields"]
    ]
    assert sorted(shown) == sorted(expected)


@pytest.mark.parametrize("row", pc.rows(ROOT, "statistics"), ids=lambda r: r["statistic_id"])
def test_statistic_page_shows_its_quote_highlighted(browser: object, base_url: str, row: dict[str, str]) -> None:
    page = open_page(browser, f"{base_url}/statistics/{row['statistic_id']}/")
    mark = page.locator("mark.quote")
    assert mark.count() == 1 and mark.inner_text() == row["quote"] and mark.is_visible()
    assert row["claimant"] in page.locator("article").inner_text()
