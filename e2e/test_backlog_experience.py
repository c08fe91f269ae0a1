"""The backlog pages as people use them (issue 9), on the demo product, each at 1280 px and on a 390 px phone:
layout, feedback after each action, keyboard, accessibility (axe-core), saying no, proposals, poker, hand-over."""
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from conftest import assert_accessible, make_browser, submit

PASSWORD = "tandem-demo"
NO_SIDEWAYS_SCROLL = "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def token_for(server, email):
    return server.api("POST", "/api/v1/sessions", json={"email": email, "password": PASSWORD}).json()["token"]


def demo_product(server):
    return server.api("GET", "/api/v1/products", token=token_for(server, "po@tandem.demo")).json()["items"][0]["id"]


def log_in(server, driver, email):
    driver.delete_all_cookies()
    driver.get(server.url + "/login")
    form = driver.find_element(By.CSS_SELECTOR, "form[aria-label='Log in']")
    form.find_element(By.NAME, "email").send_keys(email)
    form.find_element(By.NAME, "password").send_keys(PASSWORD)
    submit(driver, form)


def backlog(server, driver, query=""):
    driver.get(f"{server.url}/products/{demo_product(server)}/backlog{query}")


def api_order(server, token, limit=10):
    items = server.api("GET", f"/api/v1/products/{demo_product(server)}/backlog?limit={limit}", token=token).json()["items"]
    return items


def wait_status(driver, text):
    WebDriverWait(driver, 10).until(expected_conditions.text_to_be_present_in_element((By.ID, "status"), text))
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "backlog").get_attribute("aria-busy") is None)


def settle_list(driver):
    """Waits until the backlog list has stopped growing (rows appended as the page scrolls)."""
    last = [-1]

    def steady(d):
        count = len(d.find_elements(By.CSS_SELECTOR, "#backlog > li.item"))
        same = count == last[0]
        last[0] = count
        return same

    WebDriverWait(driver, 10, poll_frequency=0.4).until(steady)


def visible_status(driver):
    status = driver.find_element(By.ID, "status")
    assert status.is_displayed(), "the status region is visible"
    assert status.get_attribute("role") == "status", "and screen readers announce it"
    return status.text


def test_the_backlog_fits_the_screen(demo_server, screen):
    log_in(demo_server, screen, "po@tandem.demo")
    backlog(demo_server, screen)
    assert screen.execute_script(NO_SIDEWAYS_SCROLL), "nothing is off-screen sideways"
    heights = screen.execute_script("""
        return Array.from(document.querySelectorAll('#backlog > li.item')).filter(li => !li.querySelector('details[open], .declined'))
          .map(li => li.getBoundingClientRect().height);""")
    if screen.screen_name == "desktop":
        # A title keeps its whole line; a long one moves its badges under it (issue 18), so a row is one or two lines.
        assert max(heights) < 2.2 * min(heights), f"each row is at most two lines on a desktop: heights {min(heights)}..{max(heights)}"
        cut = screen.execute_script("return [...document.querySelectorAll('#backlog a.title')].filter(t => t.scrollWidth > t.clientWidth + 1).length")
        assert cut == 0, f"{cut} titles are cut"
        main = screen.execute_script("return document.querySelector('.backlog-main').getBoundingClientRect().width")
        layout = screen.execute_script("return document.querySelector('.backlog-layout').getBoundingClientRect().width")
        assert main > 0.65 * layout, "the list gets the space, not the sidebar"
    else:
        small = screen.execute_script("""
            return Array.from(document.querySelectorAll('#backlog button.icon:not([hidden]), #proposals button'))
              .map(b => b.getBoundingClientRect()).filter(r => r.width < 44 || r.height < 44).length;""")
        assert small == 0, "touch targets are at least 44 px"
        outside = screen.execute_script("""
            return Array.from(document.querySelectorAll('#proposals button, #proposals input'))
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).length;""")
        assert outside == 0, "the inbox's buttons are on screen"
    graph = screen.execute_script("""
        const box = document.querySelector('.graph'); const svg = box.querySelector('svg');
        return {fits: svg.getBoundingClientRect().width <= box.clientWidth + 1, scrolls: box.classList.contains('scroll'),
                cue: !!box.querySelector('.cue'), width: svg.getBoundingClientRect().width};""")
    assert graph["fits"] or (graph["scrolls"] and graph["cue"]), f"the graph fits its box or scrolls with a cue: {graph}"


def test_creating_an_item_is_confirmed_and_leads_to_it(demo_server, screen):
    log_in(demo_server, screen, "po@tandem.demo")
    backlog(demo_server, screen)
    form = screen.find_element(By.CSS_SELECTOR, "form.create-item")
    title = f"Offline mode {screen.screen_name} {int(time.time() * 1000) % 100000}"
    form.find_element(By.NAME, "title").send_keys(title)
    submit(screen, form)
    text = visible_status(screen)
    assert "Item added at the bottom" in text
    # The demo has more than 50 items: the new one is beyond the rows shown, so the status links to it.
    link = screen.find_element(By.CSS_SELECTOR, "#status a")
    assert link.text.startswith("Open DEMO-")
    link.click()
    assert title in screen.find_element(By.TAG_NAME, "h1").text


def test_keyboard_moves_focus_and_items_and_keeps_controls_right(demo_server, screen):
    log_in(demo_server, screen, "po@tandem.demo")
    backlog(demo_server, screen)
    rows = screen.find_elements(By.CSS_SELECTOR, "#backlog > li.item")
    assert [r.get_attribute("tabindex") for r in rows[:3]] == ["0", "-1", "-1"], "the list is one tab stop"
    screen.execute_script("arguments[0].focus()", rows[0])
    ActionChains(screen).send_keys(Keys.ARROW_DOWN).perform()
    second = screen.switch_to.active_element
    assert second.get_attribute("data-ref") == rows[1].get_attribute("data-ref"), "the arrow keys move between rows"
    assert second.get_attribute("tabindex") == "0"
    moved_ref = second.get_attribute("data-ref")
    ActionChains(screen).key_down(Keys.ALT).send_keys(Keys.ARROW_UP).key_up(Keys.ALT).perform()
    wait_status(screen, "to position 1")
    first = screen.find_element(By.CSS_SELECTOR, "#backlog > li.item:nth-child(1)")
    assert first.get_attribute("data-ref") == moved_ref
    assert "highlight" in first.get_attribute("class"), "the moved item is highlighted"
    assert first.find_element(By.CSS_SELECTOR, "button[data-direction=up]").get_attribute("hidden") is not None, "the top row cannot move up"
    second_row = screen.find_element(By.CSS_SELECTOR, "#backlog > li.item:nth-child(2)")
    assert second_row.find_element(By.CSS_SELECTOR, "button[data-direction=up]").get_attribute("hidden") is None, "the row below can"
    token = token_for(demo_server, "po@tandem.demo")
    assert api_order(demo_server, token, 1)[0]["ref"] == moved_ref


def test_a_refused_move_is_explained_and_the_list_shows_the_current_order(demo_server, screen):
    log_in(demo_server, screen, "po@tandem.demo")
    backlog(demo_server, screen)
    third = screen.find_element(By.CSS_SELECTOR, "#backlog > li.item:nth-child(3)")
    ref = third.get_attribute("data-ref")
    # Someone else moves that item meanwhile: the page's version of it is now stale.
    token = token_for(demo_server, "po@tandem.demo")
    item = demo_server.api("GET", f"/api/v1/items/{ref}", token=token).json()
    assert demo_server.api("POST", f"/api/v1/items/{ref}/move", token=token, json={"to": "top", "version": item["version"]}).status_code == 200
    # The live page follows the move; a page that missed it (a lost connection) still carries the old version.
    WebDriverWait(screen, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "#backlog > li.item").get_attribute("data-ref") == ref)
    third = screen.find_element(By.CSS_SELECTOR, f"#backlog > li.item[data-ref='{ref}']")
    screen.execute_script("arguments[0].setAttribute('data-version', arguments[1])", third, str(item["version"]))
    screen.execute_script("arguments[0].focus()", third)
    ActionChains(screen).key_down(Keys.ALT).send_keys(Keys.ARROW_DOWN).key_up(Keys.ALT).perform()
    wait_status(screen, "Not moved")
    note = screen.find_element(By.CSS_SELECTOR, f"#backlog > li.item[data-ref='{ref}'] .row-error")
    assert note.is_displayed() and "Not moved" in note.text, "the reason stands next to the item"
    shown = [li.get_attribute("data-ref") for li in screen.find_elements(By.CSS_SELECTOR, "#backlog > li.item")][:10]
    assert shown == [i["ref"] for i in api_order(demo_server, token, 10)], "the list shows the current order"


def test_skip_links_and_few_tab_stops_before_the_inbox(demo_server):
    driver = make_browser()
    try:
        log_in(demo_server, driver, "po@tandem.demo")
        backlog(demo_server, driver)
        count = driver.execute_script("""
            const inbox = document.getElementById('proposals');
            const all = Array.from(document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]'));
            return all.filter(e => e.tabIndex >= 0 && !e.disabled && !e.hidden && e.getClientRects().length > 0
              && (inbox.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_PRECEDING)).length;""")
        print("tab stops before the inbox:", count)
        assert count <= 40, f"{count} tab stops before the proposal inbox"
        for target in ("backlog", "proposals", "filters"):
            assert driver.find_element(By.CSS_SELECTOR, f"a.skip[href='#{target}']")
        ActionChains(driver).send_keys(Keys.TAB).send_keys(Keys.TAB).send_keys(Keys.TAB).perform()
        active = driver.switch_to.active_element
        assert active.text == "Skip to the proposals", "the skip links come first"
        active.send_keys(Keys.ENTER)
        assert driver.execute_script("return location.hash") == "#proposals"
    finally:
        driver.quit()


@pytest.mark.parametrize("page", ["backlog", "item", "product", "vision"])
def test_axe_finds_no_violations(demo_server, screen, page):
    log_in(demo_server, screen, "po@tandem.demo")
    product = demo_product(demo_server)
    screen.get(demo_server.url + {"backlog": f"/products/{product}/backlog", "item": "/items/DEMO-1", "product": f"/products/{product}", "vision": f"/products/{product}/vision"}[page])
    assert_accessible(screen, page)


def test_declined_items_show_why_and_can_be_reopened(demo_server, screen):
    token = token_for(demo_server, "po@tandem.demo")
    item = demo_server.api("POST", f"/api/v1/products/{demo_product(demo_server)}/items", token=token,
                           json={"title": f"Gantt chart {screen.screen_name}", "kind": "story"}).json()
    demo_server.api("POST", f"/api/v1/items/{item['id']}/decline", token=token, json={"reason": "Not how Scrum teams plan"})
    log_in(demo_server, screen, "po@tandem.demo")
    backlog(demo_server, screen, "?status=declined")
    row = screen.find_element(By.ID, f"item-{item['id']}")
    assert "Said no by Paula Owner" in row.text and "Not how Scrum teams plan" in row.text
    assert not row.find_elements(By.CSS_SELECTOR, ".move-form"), "no move controls for a declined item"
    row.find_element(By.CSS_SELECTOR, "details.reopen summary").click()
    form = row.find_element(By.CSS_SELECTOR, "form")
    form.find_element(By.NAME, "note").send_keys("A stakeholder asked again with a real need")
    submit(screen, form)
    assert "Item reopened" in visible_status(screen)
    assert demo_server.api("GET", f"/api/v1/items/{item['id']}", token=token).json()["status"] == "open"


def test_a_proposer_sees_outcomes_and_withdraws(demo_server, screen):
    dev = token_for(demo_server, "dev1@tandem.demo")
    po = token_for(demo_server, "po@tandem.demo")
    first, second = api_order(demo_server, po, 4)[2:4]
    declined = demo_server.api("POST", f"/api/v1/items/{first['id']}/proposals", token=dev, json={"to": "top", "rationale": f"Demo day {screen.screen_name}"}).json()
    demo_server.api("POST", f"/api/v1/proposals/{declined['id']}/decline", token=po, json={"note": f"The release goal comes first ({screen.screen_name})"})
    demo_server.api("POST", f"/api/v1/items/{second['id']}/proposals", token=dev, json={"to": "top", "rationale": f"Withdraw me {screen.screen_name}"})
    log_in(demo_server, screen, "dev1@tandem.demo")
    backlog(demo_server, screen)
    panel = screen.find_element(By.ID, "my-proposals")
    assert f"The release goal comes first ({screen.screen_name})" in panel.text
    assert "declined by Paula Owner" in panel.text
    withdraw = panel.find_element(By.CSS_SELECTOR, f"form[aria-label='Withdraw the proposal for {second['ref']}']")
    # Scrolling down to the panel loads the next 50 rows above it, which moves it: wait until the list stops growing.
    screen.execute_script("arguments[0].scrollIntoView({block: 'center'})", withdraw)
    settle_list(screen)
    screen.execute_script("arguments[0].scrollIntoView({block: 'center'})", withdraw)
    submit(screen, withdraw)
    assert "Proposal withdrawn" in visible_status(screen)
    assert "withdrawn" in screen.find_element(By.ID, "my-proposals").text


def test_poker_marks_your_vote_and_who_is_missing(demo_server, screen):
    dev1 = token_for(demo_server, "dev1@tandem.demo")
    po = token_for(demo_server, "po@tandem.demo")
    item = demo_server.api("POST", f"/api/v1/products/{demo_product(demo_server)}/items", token=po,
                           json={"title": f"Poker target {screen.screen_name}", "kind": "story"}).json()
    round_ = demo_server.api("POST", f"/api/v1/items/{item['id']}/estimation-rounds", token=dev1).json()
    demo_server.api("PUT", f"/api/v1/items/{item['id']}/estimation-rounds/{round_['id']}/vote", token=dev1, json={"points": 5})
    log_in(demo_server, screen, "dev1@tandem.demo")
    screen.get(f"{demo_server.url}/items/{item['ref']}")
    section = screen.find_element(By.ID, "estimation")
    assert "Dana Dev (your vote): 5" in section.text
    assert "Not voted yet:" in section.text and "Devi Patel" in section.text


def test_handing_over_asks_and_preselects_nobody(demo_server, screen):
    log_in(demo_server, screen, "po@tandem.demo")
    screen.get(f"{demo_server.url}/products/{demo_product(demo_server)}")
    form = screen.find_element(By.CSS_SELECTOR, "form[aria-label='Hand over the Product Owner accountability']")
    assert form.find_element(By.NAME, "userId").get_attribute("value") == "", "nobody is pre-selected"
    assert "would hold both accountabilities" in form.text
    assert "one person hold both accountabilities" in form.text
    assert form.find_element(By.NAME, "confirm").get_attribute("required") is not None
    assert screen.execute_script(NO_SIDEWAYS_SCROLL)


def test_dragging_near_the_bottom_edge_scrolls_the_list(demo_server):
    driver = make_browser()
    try:
        log_in(demo_server, driver, "po@tandem.demo")
        backlog(demo_server, driver)
        handle = driver.find_element(By.CSS_SELECTOR, "#backlog > li.item:nth-child(2) .handle")
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", handle)
        before = driver.execute_script("return window.scrollY")
        top = driver.execute_script("return arguments[0].getBoundingClientRect().top", handle)
        height = driver.execute_script("return window.innerHeight")
        (ActionChains(driver).click_and_hold(handle).pause(0.1)
            .move_by_offset(0, int(height - top - 15)).pause(1.0).perform())
        during = driver.execute_script("return window.scrollY")
        ActionChains(driver).release().perform()
        assert during > before + 100, f"the page scrolled while the item was held near the edge ({before} -> {during})"
        WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "backlog").get_attribute("aria-busy") is None)
    finally:
        driver.quit()


def test_the_agreed_estimate_starts_at_the_suggestion(demo_server, screen):
    dev1, dev2, sm = (token_for(demo_server, f"{who}@tandem.demo") for who in ("dev1", "dev2", "sm"))
    po = token_for(demo_server, "po@tandem.demo")
    item = demo_server.api("POST", f"/api/v1/products/{demo_product(demo_server)}/items", token=po,
                           json={"title": f"Agree target {screen.screen_name}", "kind": "story"}).json()
    round_ = demo_server.api("POST", f"/api/v1/items/{item['id']}/estimation-rounds", token=dev1).json()
    base = f"/api/v1/items/{item['id']}/estimation-rounds/{round_['id']}"
    demo_server.api("PUT", base + "/vote", token=dev1, json={"points": 2})
    demo_server.api("PUT", base + "/vote", token=dev2, json={"points": 8})
    assert demo_server.api("POST", base + "/reveal", token=sm).status_code == 200
    log_in(demo_server, screen, "sm@tandem.demo")
    screen.get(f"{demo_server.url}/items/{item['ref']}")
    section = screen.find_element(By.ID, "estimation")
    assert section.find_element(By.NAME, "points").get_attribute("value") == "8", "two votes: the higher middle one, not 0"
    assert "wide spread is worth a conversation" in section.text


def test_saving_and_deciding_confirm_visibly(demo_server, screen):
    po = token_for(demo_server, "po@tandem.demo")
    dev = token_for(demo_server, "dev1@tandem.demo")
    item = demo_server.api("POST", f"/api/v1/products/{demo_product(demo_server)}/items", token=po,
                           json={"title": f"Save target {screen.screen_name}", "kind": "story"}).json()
    log_in(demo_server, screen, "po@tandem.demo")
    screen.get(f"{demo_server.url}/items/{item['ref']}")
    form = screen.find_element(By.CSS_SELECTOR, f"form[aria-label='Refine {item['ref']}']")
    title = form.find_element(By.NAME, "title")
    title.clear()
    title.send_keys(f"Saved target {screen.screen_name}")
    submit(screen, form)
    flash = screen.find_element(By.CSS_SELECTOR, ".flash.notice")
    assert flash.text == "Saved." and flash.get_attribute("role") == "status", "saving confirms, for screen readers too"

    proposal = demo_server.api("POST", f"/api/v1/items/{item['id']}/proposals", token=dev, json={"to": "top", "rationale": f"Decide me {screen.screen_name}"}).json()
    backlog(demo_server, screen)
    decline = screen.find_element(By.CSS_SELECTOR, f"#proposals [data-proposal='{proposal['id']}'] form[aria-label^='Decline the proposal']")
    decline.find_element(By.NAME, "note").send_keys("The release goal comes first")
    submit(screen, decline)
    assert "Proposal declined" in visible_status(screen)
    assert screen.execute_script(NO_SIDEWAYS_SCROLL)
