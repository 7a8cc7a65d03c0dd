"""How long the weekly review takes to settle in Chromium on the demo, and where the time goes.

    .venv/bin/python bench/review_settle.py [--runs 5] [--database-url URL]

The demo government (a new SQLite database in a temporary folder unless ``--database-url``
names one with the demo and its people), served in this process on 127.0.0.1, opened by headless
Chromium (/usr/bin/chromium, Playwright) signed in as the governor. A page load settles when
the last DOM change after the last callback answer has happened (a MutationObserver installed
before the page's own scripts notes each change; every pillar's sparkline must be drawn and
the network then idle for 500 ms).
Broken down from the Performance API of the same load: time to the first byte and transfer of
the page and the app's scripts, the server time of each Dash request (request start to first
byte), bytes transferred, main-thread long tasks, and what was drawn (elements, charts). The
first load warms the server's kept grades and the browser's cache and is not counted;
medians of ``--runs`` loads after it. Aim: settled in under 1.5 s.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboards.app import create_app  # noqa: E402
from delivery.db import make_engine, make_session_factory, upgrade  # noqa: E402
from delivery.demo import load_demo  # noqa: E402
from delivery.settings import load_settings  # noqa: E402
from delivery.users import DEMO_PASSWORD, create_demo_users  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
WATCH = """
window.__lastChange = 0;
window.__longTasks = 0;
new MutationObserver(() => { window.__lastChange = performance.now(); })
  .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__longTasks += e.duration;
}).observe({type: 'longtask', buffered: true});
"""
DRAWN = """() => {  // every sparkline of the pillars drawn (a plotly chart or an SVG image)
  const cards = document.querySelectorAll('.sparkline');
  return cards.length > 0 && [...cards].every(c => c.querySelector('.main-svg')
                                                  || (c.tagName === 'IMG' && c.complete));
}"""
MEASURE = r"""() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const isDash = r => /\/_dash-(layout|dependencies|update-component)/.test(r.name);
  const dash = res.filter(isDash);
  const callbacks = dash.filter(r => r.name.includes('_dash-update-component'));
  const scripts = res.filter(r => !isDash(r));
  const sum = (xs, f) => xs.reduce((a, x) => a + f(x), 0);
  const lastAnswer = Math.max(0, ...dash.map(r => r.responseEnd));
  return {
    settled: Math.max(window.__lastChange, lastAnswer),
    document_ttfb: nav.responseStart - nav.startTime,
    scripts_done: Math.max(nav.responseEnd, ...scripts.map(r => r.responseEnd)),
    dom_content_loaded: nav.domContentLoadedEventEnd,
    first_callback_sent: Math.min(...callbacks.map(r => r.requestStart)),
    last_answer: lastAnswer,
    server_layout: sum(dash.filter(r => r.name.includes('_dash-layout')),
                       r => r.responseStart - r.requestStart),
    server_callbacks: sum(callbacks, r => r.responseStart - r.requestStart),
    callbacks: callbacks.length,
    dash_kb: sum(dash, r => r.encodedBodySize) / 1024,
    dash_unpacked_kb: sum(dash, r => r.decodedBodySize) / 1024,
    scripts_kb: sum(scripts, r => r.decodedBodySize) / 1024,
    plotly_end: Math.max(0, ...scripts.filter(r => r.name.includes('plotly'))
                                      .map(r => r.responseEnd)),
    long_tasks: window.__longTasks,
    elements: document.querySelectorAll('#_pages_content *').length,
    charts: document.querySelectorAll(
      '#_pages_content .js-plotly-plot, #_pages_content img.sparkline').length,
    chart_svgs: document.querySelectorAll('#_pages_content .main-svg').length,
  };
}"""
ROWS = [  # (key, label, unit)
    ("settled", "**settled** (last change after the last answer)", "ms"),
    ("document_ttfb", "page: first byte", "ms"),
    ("scripts_done", "page and scripts loaded", "ms"),
    ("dom_content_loaded", "DOMContentLoaded", "ms"),
    ("first_callback_sent", "first callback sent", "ms"),
    ("last_answer", "last callback answered", "ms"),
    ("server_layout", "server: /_dash-layout", "ms"),
    ("server_callbacks", "server: callbacks, summed", "ms"),
    ("callbacks", "callbacks", ""),
    ("dash_kb", "Dash answers transferred", "KB"),
    ("dash_unpacked_kb", "Dash answers unpacked", "KB"),
    ("scripts_kb", "scripts and styles (from the cache after the first load)", "KB"),
    ("plotly_end", "plotly.js loaded", "ms"),
    ("long_tasks", "main-thread long tasks, summed", "ms"),
    ("elements", "elements drawn", ""),
    ("charts", "charts (plotly or SVG images)", ""),
    ("chart_svgs", "chart SVG layers", ""),
]


def demo_database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    load_demo(factory)
    with factory() as session, session.begin():
        create_demo_users(session)
    engine.dispose()
    return url


def measure(base: str, runs: int) -> list[dict[str, Any]]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.goto(f"{base}/signin?next=/")
        page.fill("#signin-username", "governor")
        page.fill("#signin-password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("#signin-submit")
        page.add_init_script(WATCH)
        loads = []
        for _ in range(runs + 1):
            page.goto(f"{base}/review")
            page.wait_for_function(DRAWN, timeout=60_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            loads.append(page.evaluate(MEASURE))
        browser.close()
    return loads[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or demo_database(Path(tmp))
        settings = load_settings({"database_url": url, "data_dir": tmp,
                                  "secret_key": "bench"}, environ={})
        app = create_app(settings)
        httpd = make_server("127.0.0.1", 0, app.server, threaded=True)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            loads = measure(f"http://127.0.0.1:{httpd.server_port}", args.runs)
        finally:
            httpd.shutdown()
            app.server.extensions["delivery"]["engine"].dispose()
    print(f"weekly review on the demo, {args.runs} loads after one warm-up; "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| measure | median | min | max |\n| --- | ---: | ---: | ---: |")
    for key, label, unit in ROWS:
        values = [load[key] for load in loads]
        print(f"| {label} | {statistics.median(values):.0f} {unit} | {min(values):.0f} | "
              f"{max(values):.0f} |")
    settled = statistics.median(load["settled"] for load in loads) / 1000
    print(f"aim: settled under 1.5 s: {'met' if settled < 1.5 else 'MISSED'} ({settled:.2f} s)")


if __name__ == "__main__":
    main()
