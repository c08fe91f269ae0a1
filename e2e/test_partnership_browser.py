"""The partnership as its two people use it (issue 11), on the demo product, at 1280 px and on a 390 px phone:
raise and resolve an impediment, ask and answer a question, answer a health check as both sides, and
accessibility (axe-core) on the dashboard and the partnership pages."""
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import assert_accessible, assert_charts_readable, submit, refusal
from test_backlog_experience import NO_SIDEWAYS_SCROLL, demo_product, log_in, token_for


def team(server):
    token = token_for(server, "po@tandem.demo")
    return server.api("GET", f"/api/v1/products/{demo_product(server)}", token=token).json()["teams"][0]["id"]


def flash(driver):
    return driver.find_element(By.CSS_SELECTOR, ".flash").text


def test_raise_and_resolve_an_impediment(demo_server, screen):
    title = f"The test database is shared ({screen.screen_name})"
    log_in(demo_server, screen, "dev1@tandem.demo")
    screen.get(f"{demo_server.url}/teams/{team(demo_server)}/partnership")
    assert screen.execute_script(NO_SIDEWAYS_SCROLL)
    screen.find_element(By.XPATH, "//summary[normalize-space()='Raise an impediment']").click()
    form = screen.find_element(By.CSS_SELECTOR, "form[aria-label='Raise an impediment']")
    form.find_element(By.NAME, "title").send_keys(title)
    form.find_element(By.NAME, "items").send_keys("DEMO-3")
    submit(screen, form)
    card = next(li for li in screen.find_elements(By.CSS_SELECTOR, "li.impediment") if title in li.text)
    assert "owner Sam Master" in card.text, "the team's Scrum Master owns it by default"
    assert "DEMO-3" in card.text

    log_in(demo_server, screen, "sm@tandem.demo")
    screen.get(f"{demo_server.url}/teams/{team(demo_server)}/partnership")
    card = next(li for li in screen.find_elements(By.CSS_SELECTOR, "li.impediment") if title in li.text)
    card.find_element(By.XPATH, ".//summary[normalize-space()='Update']").click()
    form = card.find_element(By.CSS_SELECTOR, "form[aria-label^='Update the impediment']")
    Select(form.find_element(By.NAME, "state")).select_by_value("resolved")
    submit(screen, form)
    assert "resolution" in refusal(screen).lower(), "resolving needs a resolution, said in words"
    card = next(li for li in screen.find_elements(By.CSS_SELECTOR, "li.impediment") if title in li.text)
    form = card.find_element(By.CSS_SELECTOR, "form[aria-label^='Update the impediment']")
    Select(form.find_element(By.NAME, "state")).select_by_value("resolved")
    form.find_element(By.NAME, "resolution").send_keys("Each test run now gets its own database")
    submit(screen, form)
    assert not [li for li in screen.find_elements(By.CSS_SELECTOR, "li.impediment") if title in li.text], "it left the open list"
    token = token_for(demo_server, "sm@tandem.demo")
    resolved = demo_server.api("GET", f"/api/v1/teams/{team(demo_server)}/impediments?state=resolved", token=token).json()["items"]
    assert any(i["title"] == title and i["resolution"] == "Each test run now gets its own database" for i in resolved)


def test_ask_and_answer_a_question(demo_server, screen):
    text = f"Does the export need a header row? ({screen.screen_name})"
    product = demo_product(demo_server)
    log_in(demo_server, screen, "dev2@tandem.demo")
    screen.get(f"{demo_server.url}/products/{product}/questions")
    form = screen.find_element(By.CSS_SELECTOR, "form[aria-label='Ask the Product Owner']")
    form.find_element(By.NAME, "text").send_keys(text)
    form.find_element(By.NAME, "blocking").click()
    submit(screen, form)
    waiting = screen.find_element(By.CSS_SELECTOR, "section[aria-labelledby='open-heading']")
    entry = next(li for li in waiting.find_elements(By.CSS_SELECTOR, "li.question") if text in li.text)
    assert "Blocking" in entry.text
    assert not entry.find_elements(By.CSS_SELECTOR, "form"), "only the Product Owner and delegates answer"

    log_in(demo_server, screen, "po@tandem.demo")
    screen.get(f"{demo_server.url}/products/{product}/dashboard")
    tile = screen.find_element(By.CSS_SELECTOR, "[data-signal='openBlockingQuestions']")
    assert "Needs attention" in tile.text
    screen.get(f"{demo_server.url}/products/{product}/questions")
    entry = next(li for li in screen.find_elements(By.CSS_SELECTOR, "li.question") if text in li.text)
    form = entry.find_element(By.CSS_SELECTOR, "form")
    form.find_element(By.NAME, "answer").send_keys("Yes, with the column names in English")
    submit(screen, form)
    answered = screen.find_element(By.CSS_SELECTOR, "section[aria-labelledby='ask-heading']").text
    assert text in answered and "Yes, with the column names in English" in answered
    assert screen.execute_script(NO_SIDEWAYS_SCROLL)


def test_answer_a_health_check_as_both_sides(demo_server):
    from conftest import make_browser
    driver = make_browser()
    try:
        teamid = team(demo_server)
        log_in(demo_server, driver, "sm@tandem.demo")
        driver.get(f"{demo_server.url}/teams/{teamid}/partnership")
        submit(driver, driver.find_element(By.CSS_SELECTOR, "form[aria-label='Open a partnership health check']"))
        for email, communication in (("sm@tandem.demo", "5"), ("po@tandem.demo", "2")):
            log_in(demo_server, driver, email)
            driver.get(f"{demo_server.url}/teams/{teamid}/partnership")
            form = driver.find_element(By.CSS_SELECTOR, "form[aria-label='Answer the health check']")
            answer(form, communication)
            form.find_element(By.NAME, "comment").send_keys(f"Answer of {email}")
            submit(driver, form)
            section = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='checks-heading']").text
            if email == "sm@tandem.demo":
                assert "waits for Paula Owner" in section, "the Scrum Master's answer stays hidden until both have answered"
        section = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='checks-heading']")
        gap = section.find_element(By.CSS_SELECTOR, "tr.gap")
        assert "Open communication" in gap.text and "talk about it" in gap.text
        assert [svg for svg in section.find_elements(By.CSS_SELECTOR, "svg.radar") if svg.is_displayed()]
        assert_charts_readable(driver, "health check results", at_least=2)
    finally:
        driver.quit()


def answer(form, communication):
    """Chooses every rating (4, and `communication` for open communication) and says of every expectation whether it
    was met: the form chooses nothing by itself."""
    names = {r.get_attribute("name") for r in form.find_elements(By.CSS_SELECTOR, "input[type=radio]")}
    for name in sorted(names):
        value = communication if name == "rating-openCommunication" else "4" if name.startswith("rating-") else ("unmet" if name.endswith("-1") else "met")
        form.find_element(By.CSS_SELECTOR, f"input[name='{name}'][value='{value}']").click()


def test_an_untouched_health_check_is_refused(demo_server, screen):
    teamid = team(demo_server)
    log_in(demo_server, screen, "sm@tandem.demo")
    screen.get(f"{demo_server.url}/teams/{teamid}/partnership")
    opener = screen.find_elements(By.CSS_SELECTOR, "form[aria-label='Open a partnership health check']")
    if opener:
        submit(screen, opener[0])
    form = screen.find_element(By.CSS_SELECTOR, "form[aria-label='Answer the health check']")
    radios = form.find_elements(By.CSS_SELECTOR, "input[type=radio]")
    assert len(radios) == 7 * 5 + 9 * 2 and not [r for r in radios if r.is_selected()], "no rating and no expectation is preselected"
    screen.execute_script("arguments[0].noValidate = true", form)
    submit(screen, form)
    assert "Mutual respect and trust" in refusal(screen), "the message names the foundation left out"
    form = screen.find_element(By.CSS_SELECTOR, "form[aria-label='Answer the health check']")
    answer(form, "3")
    form.find_element(By.CSS_SELECTOR, "input[name='rating-sharedVision'][value='4']")  # still there to be read
    screen.execute_script("arguments[0].noValidate = true", form)
    for radio in form.find_elements(By.CSS_SELECTOR, "input[name^='met-']"):
        screen.execute_script("arguments[0].checked = false", radio)
    submit(screen, form)
    assert "met or not" in refusal(screen), "each expectation is answered met or not met"
    assert screen.execute_script(NO_SIDEWAYS_SCROLL)


@pytest.mark.parametrize("page", ["dashboard", "team", "questions", "decisions"])
def test_axe_finds_no_violations_on_partnership_pages(demo_server, screen, page):
    log_in(demo_server, screen, "po@tandem.demo")
    product = demo_product(demo_server)
    path = {
        "dashboard": f"/products/{product}/dashboard", "team": f"/teams/{team(demo_server)}/partnership",
        "questions": f"/products/{product}/questions", "decisions": f"/products/{product}/decisions",
    }[page]
    screen.get(demo_server.url + path)
    assert_accessible(screen, page)
