"""Issue: the built site, served on loopback and rendered in headless Chromium, shows what it promises, passes
axe-core's WCAG 2.2 A and AA rules on every page in both palettes at desktop and phone sizes, and fits a phone."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import plain_checks as pc
from edits import ROOT
from site_build import SITE_URL

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


# The site is served under its address's path, as deployed: the 404 page links its assets by absolute path.
SITE_PATH = urlsplit(SITE_URL).path.rstrip("/")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site under SITE_PATH only; anything outside it is not found."""

    def send_head(self) -> object:
        route = self.path.split("?", 1)[0].split("#", 1)[0]
        if route != SITE_PATH and not route.startswith(SITE_PATH + "/"):
            self.send_error(http.HTTPStatus.NOT_FOUND)
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path(path.removeprefix(SITE_PATH) or "/")

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{SITE_PATH}"
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


SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
PALETTES = {"light": "light", "dark": "dark"}  # the palette follows the browser's colour scheme until toggled
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Pages a reader meets: at phone width none of their tables may scroll sideways. Engineering pages may.
READER_PAGES = ["", "statistics/", "cross-checks/", "sources/", "downloads/", "source/", "cite/"] + [
    f"statistics/{r['statistic_id']}/" for r in pc.rows(ROOT, "statistics")
]


def built_pages(site: Path) -> list[str]:
    """Every HTML page of the built site, as a path under the site's root."""
    pages = [p.relative_to(site).as_posix() for p in sorted(site.rglob("*.html"))]
    return [p.removesuffix("index.html") for p in pages]


def open_page(browser: object, url: str, width: int = 1280, height: int = 800, scheme: str = "light") -> object:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.add_init_script("localStorage.clear()")  # no palette remembered from another page: the scheme decides
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url, wait_until="networkidle")
    return page


def screenshot(page: object, name: str) -> None:
    """Kept for people to look at: CI uploads test-artifacts/ (see docs/contributing.md)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


@pytest.mark.parametrize("scheme", PALETTES)
@pytest.mark.parametrize("size", SIZES)
def test_every_page_passes_axe_wcag_22_aa(browser: object, base_url: str, site: Path, size: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe, found = Axe(), {}
    for path in built_pages(site):
        page = open_page(browser, f"{base_url}/{path}", *SIZES[size], scheme=scheme)
        assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        found.update({f"{path} {v['id']}": [n["target"] for n in v["nodes"]][:3] for v in result.response["violations"]})
        screenshot(page, f"{scheme}-{size}/{path.removesuffix('.html').strip('/').replace('/', '--') or 'home'}")
        page.close()  # type: ignore[attr-defined]
    assert found == {}


def test_the_palette_toggle_switches_to_the_dark_palette(browser: object, base_url: str) -> None:
    page = open_page(browser, f"{base_url}/", scheme="light")
    scheme = "document.body.dataset.mdColorScheme"
    assert page.evaluate(scheme) == "default"
    page.get_by_title("Switch to the dark palette").click()
    assert page.evaluate(scheme) == "slate"
    page.close()


@pytest.mark.parametrize("path", READER_PAGES)
def test_reader_pages_fit_a_phone(browser: object, base_url: str, path: str) -> None:
    page = open_page(browser, f"{base_url}/{path}", 390, 844)
    wide = page.evaluate(
        """() => [...document.querySelectorAll('article table, article dl, article figure')]
              .filter(el => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > 391)
              .map(el => el.outerHTML.slice(0, 80))"""
    )
    assert wide == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", SIZES)
def test_copy_button_covers_no_code(browser: object, base_url: str, size: str) -> None:
    page = open_page(browser, f"{base_url}/sources/", *SIZES[size])
    overlaps = page.evaluate(
        """() => [...document.querySelectorAll('pre')].filter(pre => pre.querySelector('.md-code__button')).map(pre => {
              const button = pre.querySelector('.md-code__button').getBoundingClientRect();
              const range = document.createRange();
              range.selectNodeContents(pre.querySelector('code'));
              return [...range.getClientRects()].filter(r => r.width > 0 && r.left < button.right &&
                  r.right > button.left && r.top < button.bottom && r.bottom > button.top).length;
          })"""
    )
    assert overlaps and sum(overlaps) == 0


def test_annotated_source_highlights_every_mention(browser: object, base_url: str, requests_seen: list[str]) -> None:
    page = open_page(browser, f"{base_url}/source/")
    marks = page.locator("pre.annotated-source mark.mention")
    assert marks.count() == len(pc.rows(ROOT, "mentions"))
    assert [marks.nth(i).inner_text() for i in range(marks.count())] == [
        m["mention_text"] for m in pc.rows(ROOT, "mentions")
    ]
    background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    # the role is named in text beside each mark, not by colour or on hover alone
    tags = page.locator("pre.annotated-source .role-tag")
    labels = {m["role"] for m in pc.rows(ROOT, "mentions")}
    assert tags.count() == marks.count() and all(
        marks.nth(i).get_attribute("data-role") == tags.nth(i).get_attribute("data-role") for i in range(tags.count())
    )
    assert len(labels) > 1 and len({tags.nth(i).inner_text() for i in range(tags.count())}) == len(labels)
    for row in pc.rows(ROOT, "statistics"):
        assert page.locator(f"#quote-{row['statistic_id']}").count() == 1
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
    label = next(i["label"] for i in pc.rows(ROOT, "indicators") if i["indicator_id"] == row["indicator_id"])
    assert page.locator("h1").inner_text().startswith(label + ": ") and page.title().startswith(label + ": ")
    assert page.locator(f'a[href$="source/#quote-{row["statistic_id"]}"]').count() == 1
    article = pc.rows(ROOT, "sources")[0]
    link = page.locator(f'article a.external[href="{article["url"]}"]')
    assert link.count() == 1 and "(external link)" in link.inner_text()
    assert page.locator('nav.md-path a[href="../"]').inner_text().strip() == "Statistics"  # the way back to the list
    assert page.locator('.md-nav a[href="./"]').count() >= 1  # listed in the navigation


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
    timeline = page.locator("figure.timeline")
    assert timeline.is_visible() and timeline.bounding_box()["height"] > 50
    assert page.locator(".tl-track .tl-bar").count() >= 4 and page.locator(".tl-track .inferred").count() >= 5
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('figure.timeline *')].filter(el => [...el.childNodes]
              .some(n => n.nodeType === 3 && n.textContent.trim())).map(el => parseFloat(getComputedStyle(el).fontSize))"""
    )
    assert len(sizes) > len(pc.rows(ROOT, "statistics")) and min(sizes) >= 12


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
