"""A person signs up, logs out and in, creates a product, a team and adds people, all through the pages."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import submit, refusal


def fill(driver, form, **fields):
    for name, value in fields.items():
        element = form.find_element(By.NAME, name)
        element.clear()
        element.send_keys(value)


def test_sign_up_log_in_and_create_a_product(server, browser, unique):
    email = f"paula{unique}@example.com"
    browser.get(server.url + "/signup")
    form = browser.find_element(By.CSS_SELECTOR, "form[aria-label='Sign up']")
    fill(browser, form, displayName="Paula Owner", email=email, password="correct-horse")
    submit(browser, form)
    assert "Your products" in browser.find_element(By.TAG_NAME, "h1").text

    session = browser.get_cookie("tandem_session")
    assert session is not None and session["httpOnly"] and session["sameSite"] == "Lax"

    submit(browser, browser.find_element(By.CSS_SELECTOR, "form[aria-label='Log out']"))
    assert browser.current_url.endswith("/login")
    form = browser.find_element(By.CSS_SELECTOR, "form[aria-label='Log in']")
    fill(browser, form, email=email, password="wrong-password")
    submit(browser, form)
    assert "not correct" in refusal(browser)

    form = browser.find_element(By.CSS_SELECTOR, "form[aria-label='Log in']")
    fill(browser, form, password="correct-horse")
    submit(browser, form)
    assert "Your products" in browser.page_source

    key = f"E{unique}"[:10]
    form = browser.find_element(By.CSS_SELECTOR, "form[aria-label='Create a product']")
    fill(browser, form, name="Atlas", key=key)
    submit(browser, form)
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Atlas")
    assert "/products/" in browser.current_url
    assert "Product Owner" in browser.find_element(By.CSS_SELECTOR, "[id=product-people]").find_element(By.XPATH, "..").text

    # The product shows up in the list with the creator as its Product Owner.
    browser.get(server.url + "/")
    row = browser.find_element(By.CSS_SELECTOR, ".product-row")
    assert key in row.text and "Paula Owner" in row.text


def test_team_members_and_role_conflict(server, browser, unique):
    sam = f"sam{unique}@example.com"
    server.api("POST", "/api/v1/users", json={"email": sam, "password": "correct-horse", "displayName": "Sam Master"})
    email = f"po{unique}@example.com"
    browser.get(server.url + "/signup")
    form = browser.find_element(By.CSS_SELECTOR, "form[aria-label='Sign up']")
    fill(browser, form, displayName="Pat Owner", email=email, password="correct-horse")
    submit(browser, form)
    form = browser.find_element(By.CSS_SELECTOR, "form[aria-label='Create a product']")
    fill(browser, form, name="Orbit", key=f"O{unique}"[:10])
    submit(browser, form)

    form = browser.find_element(By.CSS_SELECTOR, "form[aria-label='Create a team']")
    fill(browser, form, name="Rockets")
    submit(browser, form)

    form = browser.find_element(By.CSS_SELECTOR, "form[aria-label='Add a member to Rockets']")
    fill(browser, form, email=email)
    Select(form.find_element(By.NAME, "accountability")).select_by_value("scrumMaster")
    submit(browser, form)
    assert "Role conflict" in browser.find_element(By.CSS_SELECTOR, "[data-role-conflict]").text

    # A second Scrum Master is refused with a readable message and nothing changes.
    form = browser.find_element(By.CSS_SELECTOR, "form[aria-label='Add a member to Rockets']")
    fill(browser, form, email=sam)
    Select(form.find_element(By.NAME, "accountability")).select_by_value("scrumMaster")
    submit(browser, form)
    assert "already has a Scrum Master" in refusal(browser)

    form = browser.find_element(By.CSS_SELECTOR, "form[aria-label='Add a member to Rockets']")
    fill(browser, form, email=sam)
    Select(form.find_element(By.NAME, "accountability")).select_by_value("developer")
    submit(browser, form)
    team = browser.find_element(By.CSS_SELECTOR, "section[aria-label='Team Rockets']")
    assert "Sam Master" in team.text and "Developer" in team.text


def test_forged_form_is_refused(server, browser):
    browser.get(server.url + "/login")
    browser.execute_script("document.querySelector('input[name=csrf]').value = 'forged'")
    form = browser.find_element(By.CSS_SELECTOR, "form[aria-label='Log in']")
    fill(browser, form, email="x@example.com", password="whatever-long")
    submit(browser, form)
    assert "Reload the page" in browser.page_source
