"""The report in a real browser (Debian's headless Chromium): every chart drawn, nothing fetched, no errors.

Screenshots are kept in /tmp/report-shots/ to be looked at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from png_support import Image, png_size, read_png
from report_records import HOSTILE, healthy, hostile, judged, rolled_back
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from canarykit.report import write_report

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SHOTS = Path("/tmp/report-shots")
WIDTH, MAX_HEIGHT = 1100, 6000
DEADLINE = 60.0
"""Seconds a page may take to load on a busy machine: a wait for a condition, not a delay."""
FAILED_RED = (198, 40, 40)

PAGES: dict[str, tuple[Callable[[], Any], int]] = {
    "rolled-back": (lambda: rolled_back(), 2),
    "judged": (lambda: judged(), 4),
    "healthy": (lambda: healthy(), 2),
    "demo-three": (lambda: {"experiments": [x().to_dict() for x in (healthy, rolled_back, judged)]}, 8),
}
"""Each page: how its record is made, and how many charts it holds."""


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument(f"--window-size={WIDTH},1200")
    options.add_argument("--force-device-scale-factor=1")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver: WebDriver, condition: Callable[[WebDriver], Any]) -> Any:
    return WebDriverWait(driver, DEADLINE, poll_frequency=0.1).until(condition)


def open_page(driver: WebDriver, page: Path, charts: int) -> None:
    """Load `page` and wait until it is complete with all its charts laid out."""
    driver.get(page.as_uri())
    script = "return document.readyState === 'complete' && document.querySelectorAll('figure svg').length"
    wait(driver, lambda d: d.execute_script(script) == charts)


def full_page_screenshot(driver: WebDriver, name: str) -> Path:
    """Resize to the page's height (waiting until the viewport has it), then save the screenshot."""
    height = min(int(driver.execute_script("return document.documentElement.scrollHeight")), MAX_HEIGHT)
    frame = driver.get_window_size()["height"] - int(driver.execute_script("return window.innerHeight"))
    driver.set_window_size(WIDTH, height + frame)
    wait(driver, lambda d: d.execute_script("return window.innerHeight") >= height)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    assert driver.save_screenshot(str(path))
    return path


def console(driver: WebDriver) -> list[dict[str, Any]]:
    """What the page logged to the console since the last call."""
    entries: list[dict[str, Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    return entries


def near(image: Image, colour: tuple[int, int, int], tolerance: int = 30) -> bool:
    return any(
        max(abs(a - b) for a, b in zip(pixel, colour, strict=True)) <= tolerance for pixel in image.pixels
    )


@pytest.mark.parametrize("name", list(PAGES))
def test_the_report_renders_every_chart_without_errors_or_fetches(
    browser: WebDriver, tmp_path: Path, name: str
) -> None:
    make, charts = PAGES[name]
    page = write_report(make(), tmp_path / f"{name}.html")
    console(browser)  # forget what an earlier page logged
    open_page(browser, page, charts)

    sizes = browser.execute_script(
        "return [...document.querySelectorAll('figure svg')].map(s => s.getBoundingClientRect())"
        ".map(r => [r.width, r.height])"
    )
    assert len(sizes) == charts and all(w > 400 and h > 100 for w, h in sizes)
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    errors = [entry for entry in console(browser) if entry["level"] in ("SEVERE", "WARNING")]
    assert errors == []

    for figure in browser.find_elements(By.CSS_SELECTOR, "figure svg"):
        image = read_png(figure.screenshot_as_png)
        assert image.non_white_share() > 0.03 and image.colours() > 10 and image.variance() > 100
    width, height = png_size(full_page_screenshot(browser, name).read_bytes())
    assert width == WIDTH and height > 300 * charts


def test_a_failed_measurement_is_drawn_in_red(browser: WebDriver, tmp_path: Path) -> None:
    page = write_report(rolled_back(), tmp_path / "red.html")
    open_page(browser, page, 2)
    metric = browser.find_elements(By.CSS_SELECTOR, "figure svg")[1]
    assert near(read_png(metric.screenshot_as_png), FAILED_RED)
    timeline = browser.find_elements(By.CSS_SELECTOR, "figure svg")[0]
    assert not near(read_png(timeline.screenshot_as_png), FAILED_RED, tolerance=10)


def test_hostile_names_are_shown_as_text_and_run_nothing(browser: WebDriver, tmp_path: Path) -> None:
    page = write_report(hostile(), tmp_path / "hostile.html")
    open_page(browser, page, 2)
    assert browser.execute_script("return document.querySelectorAll('script, img, iframe').length") == 0
    assert browser.find_element(By.TAG_NAME, "h4").text == HOSTILE
    assert HOSTILE in browser.find_element(By.TAG_NAME, "h2").text
    assert [entry for entry in console(browser) if entry["level"] == "SEVERE"] == []
    full_page_screenshot(browser, "hostile")
