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
def base_url(site: Path) -> Iterator[str]:
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


def open_page(browser: object, url: str, width: int = 1280, height: int = 800) -> object:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.set_viewport_size({"width": width, "height": height})
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
    assert pc.rows(ROOT, "statements")[0]["claimant"] in page.locator("article").inner_text()


def test_phone_front_page_shows_all_six_values_before_the_first_heading(browser: object, base_url: str) -> None:
    page = open_page(browser, f"{base_url}/", 390, 844)
    cards = page.locator("a.figure-card")
    assert cards.count() == len(pc.rows(ROOT, "statistics"))
    first_h2 = page.locator("article h2").first.bounding_box()
    for i in range(cards.count()):
        value = cards.nth(i).locator(".figure-value")
        box = value.bounding_box()
        assert value.is_visible() and value.inner_text().strip()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] < first_h2["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    hrefs = [cards.nth(i).get_attribute("href") for i in range(cards.count())]
    assert hrefs == [f"statistics/{r['statistic_id']}/" for r in pc.rows(ROOT, "statistics")]
    timeline = page.locator("svg.timeline")
    assert timeline.is_visible() and timeline.bounding_box()["height"] > 50
    assert page.locator("svg.timeline rect").count() >= 4 and page.locator("svg.timeline circle.inferred").count() >= 5
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "front-page-390.png"), full_page=True)


def test_data_dictionary_has_no_overflowing_table_at_desktop_width(browser: object, base_url: str) -> None:
    page = open_page(browser, f"{base_url}/data-dictionary/", 1280, 800)
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('article table, article .field-card')]
              .filter(el => el.scrollWidth > el.parentElement.clientWidth + 1).length"""
    )
    assert overflowing == 0
    assert page.locator("article .field-card").count() == sum(
        len(json.loads(p.read_text())["fields"]) for p in (ROOT / "schemas").glob("*.json")
    )
