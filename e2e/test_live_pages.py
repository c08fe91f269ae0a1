"""Live pages in real Chromium: two sessions on the demo; what one does appears in the other without a reload, and
the other's half-typed form is kept."""
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from conftest import make_browser, submit
from test_backlog_experience import PASSWORD, demo_product, log_in, token_for


@pytest.fixture()
def two_sessions():
    first, second = make_browser(), make_browser()
    yield first, second
    first.quit()
    second.quit()


def rows(driver):
    return [li.get_attribute("data-ref") for li in driver.find_elements(By.CSS_SELECTOR, "#backlog > li.item")]


def test_a_move_in_one_session_appears_in_the_other_with_its_typing_kept(demo_server, two_sessions):
    developer, owner = two_sessions
    product = demo_product(demo_server)
    log_in(demo_server, developer, "dev1@tandem.demo")
    log_in(demo_server, owner, "po@tandem.demo")
    developer.get(f"{demo_server.url}/products/{product}/backlog")
    owner.get(f"{demo_server.url}/products/{product}/backlog")
    # The Developer starts writing a new item and leaves it half typed, the cursor in the field.
    form = developer.find_element(By.CSS_SELECTOR, "form[aria-label='Add an item']")
    title = form.find_element(By.NAME, "title")
    title.send_keys("Export the burnup as CSV, half")
    before = rows(developer)
    # The Product Owner moves the fourth item to the top with its own row's "Move to top" (a real form post).
    fourth = owner.find_elements(By.CSS_SELECTOR, "#backlog > li.item")[3]
    moved_ref = fourth.get_attribute("data-ref")
    top = fourth.find_element(By.CSS_SELECTOR, "button[data-direction='top']")
    owner.execute_script("arguments[0].hidden = false; arguments[0].closest('li').scrollIntoView({block: 'center'});", top)
    owner.execute_script("arguments[0].click()", top)

    WebDriverWait(developer, 10).until(lambda d: rows(d)[0] == moved_ref)
    after = rows(developer)
    assert after[0] == moved_ref and sorted(after) == sorted(before), "the move appears, nothing else lost"
    title = developer.find_element(By.CSS_SELECTOR, "form[aria-label='Add an item'] input[name=title]")
    assert title.get_attribute("value") == "Export the burnup as CSV, half", "the half-typed title is kept"
    assert developer.execute_script("return document.activeElement === arguments[0]", title), "and keeps the focus"
    WebDriverWait(developer, 10).until(expected_conditions.text_to_be_present_in_element((By.ID, "live-notice"), f"moved {moved_ref} to position 1"))
    notice = developer.find_element(By.ID, "live-notice")
    assert notice.get_attribute("role") == "status" and notice.get_attribute("aria-live") == "polite"
    assert "Paula" in notice.text
    # The page was not reloaded: the typed text is still there and nothing navigated.
    assert developer.execute_script("return performance.getEntriesByType('navigation').length") == 1


def test_one_stream_per_browser_and_the_unread_count_follows(demo_server):
    driver = make_browser()
    try:
        product = demo_product(demo_server)
        log_in(demo_server, driver, "sm@tandem.demo")
        driver.get(f"{demo_server.url}/products/{product}/backlog")
        driver.switch_to.new_window("tab")
        driver.get(f"{demo_server.url}/products/{product}/dashboard")
        time.sleep(1.5)
        # Each tab asked the server for the stream at most once: the second waits for the first's lock.
        streams = driver.execute_script(
            "return performance.getEntriesByType('resource').filter(function (e) { return e.name.indexOf('/events') >= 0; }).length")
        driver.switch_to.window(driver.window_handles[0])
        first = driver.execute_script(
            "return performance.getEntriesByType('resource').filter(function (e) { return e.name.indexOf('/events') >= 0; }).length")
        assert first + streams <= 1 or (first == 1 and streams == 0), f"streams opened: {first} and {streams}"
        # A question asked of the Product Owner is a notification for them; the PO's header follows live.
        owner = make_browser()
        try:
            log_in(demo_server, owner, "po@tandem.demo")
            owner.get(f"{demo_server.url}/products/{product}/backlog")
            link = owner.find_element(By.CSS_SELECTOR, "header nav a[href='/notifications']")
            before = link.text
            token = token_for(demo_server, "dev2@tandem.demo")
            asked = demo_server.api("POST", f"/api/v1/products/{product}/questions", token=token, json={"text": "Is the CSV export in scope?", "blocking": True})
            assert asked.status_code == 201, asked.text
            WebDriverWait(owner, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "header nav a[href='/notifications']").text != before)
            assert "unread" in owner.find_element(By.CSS_SELECTOR, "header nav a[href='/notifications']").text
        finally:
            owner.quit()
    finally:
        driver.quit()


def test_a_change_to_the_item_being_edited_is_said_beside_the_form_and_the_save_meets_the_conflict(demo_server, two_sessions):
    owner, _ = two_sessions
    product = demo_product(demo_server)
    token = token_for(demo_server, "sm@tandem.demo")
    item = demo_server.api("GET", f"/api/v1/products/{product}/backlog?limit=1", token=token).json()["items"][0]
    log_in(demo_server, owner, "po@tandem.demo")
    owner.get(f"{demo_server.url}/items/{item['ref']}")
    form = owner.find_element(By.CSS_SELECTOR, f"form[aria-label='Refine {item['ref']}']")
    title = form.find_element(By.NAME, "title")
    title.clear()
    title.send_keys("A sharper title, typed by the Product Owner")
    # Meanwhile the Scrum Master changes the item's description through the API.
    changed = demo_server.api("PATCH", f"/api/v1/items/{item['id']}", token=token,
                              json={"version": item["version"], "description": "Rewritten by the Scrum Master"})
    assert changed.status_code == 200, changed.text
    WebDriverWait(owner, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "form .live-note"))
    form = owner.find_element(By.CSS_SELECTOR, f"form[aria-label='Refine {item['ref']}']")
    assert form.find_element(By.NAME, "title").get_attribute("value") == "A sharper title, typed by the Product Owner"
    assert form.find_element(By.NAME, "version").get_attribute("value") == str(item["version"]), "the form keeps the version it was opened at"
    assert "changed this while you were editing" in form.find_element(By.CSS_SELECTOR, ".live-note").text
    submit(owner, form)
    # The save is refused as any stale save is, and nothing the Scrum Master wrote is lost.
    refusal = owner.find_element(By.CSS_SELECTOR, f"form[aria-label='Refine {item['ref']}'] .form-error, form[aria-label='Refine {item['ref']}'] .field-error").text
    assert "version" in refusal.lower() or "changed" in refusal.lower(), refusal
    stored = demo_server.api("GET", f"/api/v1/items/{item['id']}", token=token).json()
    assert stored["description"] == "Rewritten by the Scrum Master" and stored["title"] == item["title"]
