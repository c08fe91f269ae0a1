"""The Product Backlog in a real browser: the Product Owner orders by keyboard and by drag; a Developer proposes; the Product Owner accepts."""
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import submit


def setup_product(server, unique):
    po_email, dev_email = f"po{unique}@example.com", f"dev{unique}@example.com"
    for email, name in ((po_email, "Pia Owner"), (dev_email, "Dev Eloper")):
        assert server.api("POST", "/api/v1/users", json={"email": email, "password": "correct-horse", "displayName": name}).status_code == 201
    token = server.api("POST", "/api/v1/sessions", json={"email": po_email, "password": "correct-horse"}).json()["token"]
    product = server.api("POST", "/api/v1/products", token=token, json={"name": "Orbit", "key": f"B{unique}"[:10]}).json()
    team = server.api("POST", f"/api/v1/products/{product['id']}/teams", token=token, json={"name": "Crew"}).json()
    server.api("POST", f"/api/v1/teams/{team['id']}/members", token=token, json={"email": dev_email, "accountability": "developer"})
    for title in ("Alpha", "Bravo", "Charlie", "Delta", "Echo"):
        assert server.api("POST", f"/api/v1/products/{product['id']}/items", token=token, json={"title": title, "kind": "story"}).status_code == 201
    return product["id"], token, po_email, dev_email


def order(server, product_id, token):
    return [item["title"] for item in server.api("GET", f"/api/v1/products/{product_id}/backlog", token=token).json()["items"]]


def log_in(server, browser, email):
    browser.delete_all_cookies()
    browser.get(server.url + "/login")
    form = browser.find_element(By.CSS_SELECTOR, "form[aria-label='Log in']")
    form.find_element(By.NAME, "email").send_keys(email)
    form.find_element(By.NAME, "password").send_keys("correct-horse")
    submit(browser, form)


def rows(browser):
    return [li.find_element(By.CSS_SELECTOR, ".title").text for li in browser.find_elements(By.CSS_SELECTOR, "#backlog > li.item")]


def wait_announced(browser, text):
    WebDriverWait(browser, 10).until(expected_conditions.text_to_be_present_in_element((By.ID, "status"), text))
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "backlog").get_attribute("aria-busy") is None)


def test_product_owner_orders_by_keyboard(server, browser, unique):
    product_id, token, po_email, _ = setup_product(server, unique)
    log_in(server, browser, po_email)
    browser.get(f"{server.url}/products/{product_id}/backlog")

    first = browser.find_element(By.CSS_SELECTOR, "#backlog > li.item:nth-child(1)")
    assert first.get_attribute("tabindex") == "0", "the list is one tab stop: its current row"
    charlie = browser.find_element(By.CSS_SELECTOR, "#backlog > li.item:nth-child(3)")
    assert charlie.get_attribute("tabindex") == "-1"
    browser.execute_script("arguments[0].focus()", charlie)
    assert browser.switch_to.active_element == charlie
    ActionChains(browser).key_down(Keys.ALT).send_keys(Keys.ARROW_UP).key_up(Keys.ALT).perform()
    wait_announced(browser, "to position 2 of 5")
    assert rows(browser)[:3] == ["Alpha", "Charlie", "Bravo"]
    assert order(server, product_id, token) == ["Alpha", "Charlie", "Bravo", "Delta", "Echo"]

    # Alt+End sends it to the bottom; focus stays on the item.
    ActionChains(browser).key_down(Keys.ALT).send_keys(Keys.END).key_up(Keys.ALT).perform()
    wait_announced(browser, "to position 5 of 5")
    assert order(server, product_id, token) == ["Alpha", "Bravo", "Delta", "Echo", "Charlie"]
    assert browser.switch_to.active_element.get_attribute("data-ref") == charlie.get_attribute("data-ref")

    # The order survives a reload: it was stored, not just drawn.
    browser.refresh()
    assert rows(browser) == ["Alpha", "Bravo", "Delta", "Echo", "Charlie"]


def test_product_owner_orders_by_drag(server, browser, unique):
    product_id, token, po_email, _ = setup_product(server, unique)
    log_in(server, browser, po_email)
    browser.get(f"{server.url}/products/{product_id}/backlog")

    echo_handle = browser.find_element(By.CSS_SELECTOR, "#backlog > li.item:nth-child(5) .handle")
    alpha = browser.find_element(By.CSS_SELECTOR, "#backlog > li.item:nth-child(1)")
    height = alpha.size["height"]
    (ActionChains(browser).click_and_hold(echo_handle).pause(0.1)
        .move_to_element(alpha).pause(0.1)
        .move_to_element_with_offset(alpha, 0, -height // 2 + 3).pause(0.1)
        .release().perform())
    wait_announced(browser, "to position 1 of 5")
    assert order(server, product_id, token) == ["Echo", "Alpha", "Bravo", "Charlie", "Delta"]


def test_developer_proposes_and_product_owner_accepts(server, browser, unique):
    product_id, token, po_email, dev_email = setup_product(server, unique)
    log_in(server, browser, dev_email)
    browser.get(f"{server.url}/products/{product_id}/backlog")
    assert browser.find_element(By.ID, "backlog").get_attribute("data-can-order") == "false"
    assert not browser.find_elements(By.CSS_SELECTOR, ".move-form")

    delta = browser.find_element(By.CSS_SELECTOR, "#backlog > li.item:nth-child(4)")
    # On a desktop "Propose a move" appears over the row's end when the row is hovered.
    ActionChains(browser).move_to_element(delta).perform()
    delta.find_element(By.CSS_SELECTOR, "details.propose summary").click()
    form = delta.find_element(By.CSS_SELECTOR, "form")
    Select(form.find_element(By.NAME, "where")).select_by_value("top")
    form.find_element(By.NAME, "rationale").send_keys("The demo for the customer needs it first")
    submit(browser, form)
    assert "Proposal sent" in browser.find_element(By.ID, "status").text
    assert order(server, product_id, token)[0] == "Alpha", "a proposal does not move anything"

    log_in(server, browser, po_email)
    browser.get(f"{server.url}/products/{product_id}/backlog")
    panel = browser.find_element(By.ID, "proposals")
    assert "The demo for the customer needs it first" in panel.text
    accept = panel.find_element(By.CSS_SELECTOR, "form[aria-label^='Accept the proposal']")
    accept.find_element(By.NAME, "note").send_keys("Agreed")
    submit(browser, accept)
    assert "Proposal accepted" in browser.find_element(By.ID, "status").text
    assert rows(browser)[0] == "Delta"
    assert order(server, product_id, token)[0] == "Delta"
    proposals = server.api("GET", f"/api/v1/products/{product_id}/proposals", token=token).json()["items"]
    assert [(p["state"], p["decisionNote"]) for p in proposals] == [("accepted", "Agreed")]
