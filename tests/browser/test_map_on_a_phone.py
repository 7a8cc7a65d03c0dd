"""The strategy map on a phone (a touch screen, 390 px): the whole drawing is in view on load
(it once showed a corner: it could not zoom out far enough), dragged and zoomed it comes back
whole with Fit, and a tap on a goal shows its name and status with a link, without leaving the
map (a phone cannot point at it). A mouse's click still opens the page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import DEMO_LOGIN, screenshot, settle, sign_in

CY = "document.getElementById('map-graph')._cyreg.cy"
# Every element's box inside the visible area, in the drawing's coordinates.
IN_VIEW = f"""() => {{
    const cy = {CY}, box = cy.elements().boundingBox(), view = cy.extent();
    return box.x1 >= view.x1 - 1 && box.x2 <= view.x2 + 1
        && box.y1 >= view.y1 - 1 && box.y2 <= view.y2 + 1;
}}"""
# A tap on the first goal node, as Cytoscape.js reports a finger's tap (synthetic touches on a
# canvas this crowded land on whichever dot is drawn last); gives the goal's code.
TAP_A_GOAL = f"""() => {{
    const node = {CY}.nodes().filter(n => n.data('kind') === 'goal')[0];
    node.emit('tap');
    return node.data('code');
}}"""


def test_on_a_phone_the_map_fits_and_a_tap_shows_a_goal(browser, live_app, backend):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        sign_in(page, live_app, DEMO_LOGIN["governor"], "/map")
        page.wait_for_selector("#map-graph canvas")
        settle(page)
        assert page.evaluate("() => window.matchMedia('(hover: none)').matches")
        assert page.evaluate(IN_VIEW), "the map does not fit the phone's screen"
        expect(page.locator("#map-hover")).to_contain_text("Tap or point at a goal")
        screenshot(page, "map-phone", backend)

        page.evaluate(f"() => {{ {CY}.zoom(2); {CY}.pan({{x: -400, y: -300}}); }}")
        assert not page.evaluate(IN_VIEW)
        page.click("#map-fit")
        page.wait_for_function(IN_VIEW)

        code = page.evaluate(TAP_A_GOAL)
        expect(page.locator("#map-hover")).to_contain_text(code)
        expect(page.locator("#map-hover a.map-open")).to_have_attribute(
            "href", re.compile(r"^/goal/"))
        assert page.url.endswith("/map")  # still on the map
        screenshot(page, "map-phone-tapped", backend)
        assert errors == []
    finally:
        context.close()
