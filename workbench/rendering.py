"""An SVG drawn as a PNG by the headless chromium on this machine (through Playwright), with
no network: the page is the SVG alone, loaded from a string."""
import re
from pathlib import Path

from django.conf import settings


class RenderingUnavailable(RuntimeError):
    """No browser here to draw with; ``str(error)`` says what is missing."""


def svg_to_png(svg: str) -> bytes:
    """The SVG drawn at its size (its root's width and height; twice the pixels, for sharp text)."""
    size = re.search(r'<svg[^>]*?\swidth="(\d+)"[^>]*?\sheight="(\d+)"', svg)
    width, height = (int(size[1]), int(size[2])) if size else (1200, 800)
    chromium = settings.WORKBENCH_CHROMIUM
    if not Path(chromium).exists():
        raise RenderingUnavailable(f"PNG needs a chromium browser at {chromium} (WORKBENCH_CHROMIUM); "
                                   "download the SVG instead.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise RenderingUnavailable("PNG needs the playwright package (requirements.txt); "
                                   "download the SVG instead.") from exc
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=2,
                                    java_script_enabled=False)
            page.route("**/*", lambda route: route.abort())  # nothing but the SVG itself is loaded
            page.set_content(f'<!doctype html><html><body style="margin:0">{svg}</body></html>')
            return page.locator("svg").first.screenshot(type="png")
        finally:
            browser.close()
