"""Sprints as a team uses them (issue 10), on the demo product, at 1280 px and on a 390 px phone: plan a sprint
against its capacity, move work across the board to done with the Definition of Done, close with carry-over,
and accessibility (axe-core) on every sprint page."""
import datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import assert_accessible, assert_charts_readable, make_browser, submit, refusal
from test_backlog_experience import NO_SIDEWAYS_SCROLL, demo_product, log_in, token_for


def team(server):
    token = token_for(server, "po@tandem.demo")
    return server.api("GET", f"/api/v1/products/{demo_product(server)}", token=token).json()["teams"][0]["id"]


def sprints(server, state):
    token = token_for(server, "po@tandem.demo")
    return server.api("GET", f"/api/v1/teams/{team(server)}/sprints?state={state}", token=token).json()["items"]


def item(server, ref):
    return server.api("GET", f"/api/v1/items/{ref}", token=token_for(server, "po@tandem.demo")).json()


def flash(driver):
    return driver.find_element(By.CSS_SELECTOR, ".flash").text


# Each screen plans its own sprint on its own dates with its own ready items, so both runs share one demo server.
PLANS = {
    "desktop": {"offset": 1, "ready": ["DEMO-9", "DEMO-5"], "not_ready": "DEMO-20"},
    "phone": {"offset": 29, "ready": ["DEMO-10", "DEMO-4", "DEMO-7", "DEMO-6"], "not_ready": "DEMO-21"},
}


def test_plan_a_sprint_against_its_capacity(demo_server, screen):
    plan = PLANS[screen.screen_name]
    running = sprints(demo_server, "active")[0]
    start = datetime.date.fromisoformat(running["endDate"]) + datetime.timedelta(days=plan["offset"] + 2)
    log_in(demo_server, screen, "sm@tandem.demo")
    screen.get(f"{demo_server.url}/teams/{team(demo_server)}/sprints")
    assert screen.execute_script(NO_SIDEWAYS_SCROLL)
    form = screen.find_element(By.CSS_SELECTOR, "form[aria-label='Plan a sprint']")
    for name, value in (("startDate", start), ("endDate", start + datetime.timedelta(days=13))):
        screen.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, name), value.isoformat())
    form.find_element(By.NAME, "goal").send_keys("Stakeholders trust the forecast")
    submit(screen, form)
    assert "planning" in screen.find_element(By.TAG_NAME, "h1").text
    assert "no capacity" not in screen.page_source, "three closed sprints give a capacity"

    def find(words):
        search = screen.find_element(By.CSS_SELECTOR, "form[aria-label='Find items to plan']")
        box = search.find_element(By.NAME, "q")
        box.clear()
        box.send_keys(words)
        submit(screen, search)

    def add(refs, override=None):
        """Finds each item by its reference and ticks it; several are added at once."""
        form = screen.find_element(By.CSS_SELECTOR, "form[aria-label='Add items to the sprint']")
        for ref in refs:
            form.find_element(By.CSS_SELECTOR, f"input[name=itemIds][value='{item(demo_server, ref)['id']}']").click()
        if override:
            form.find_element(By.NAME, "override").click()
            form.find_element(By.NAME, "reason").send_keys(override)
        submit(screen, form)

    find(plan["not_ready"])
    assert len(screen.find_elements(By.CSS_SELECTOR, "input[name=itemIds]")) == 1, "the search narrows the list"
    add([plan["not_ready"]])
    assert "is not ready" in refusal(screen), "a not-ready item is refused, in words"
    add([plan["not_ready"]], override="The review asked for it; we refine it on day one")
    assert plan["not_ready"] in screen.find_element(By.CSS_SELECTOR, ".flash.notice").text, "adding says what was added"
    find("")
    add(plan["ready"])
    notice = screen.find_element(By.CSS_SELECTOR, ".flash.notice").text
    assert all(ref in notice for ref in plan["ready"]), f"several items added at once: {notice}"
    words = screen.find_element(By.CSS_SELECTOR, ".meter-words").text
    assert "points planned against a capacity of" in words, words
    assert screen.find_element(By.CSS_SELECTOR, "meter.capacity").is_displayed()
    basis = screen.find_element(By.CSS_SELECTOR, "section[aria-labelledby='commitment-heading']").text
    assert "Median done of sprint" in basis and "÷" in basis, "the capacity shows its arithmetic"
    assert screen.execute_script(NO_SIDEWAYS_SCROLL)
    backlog = screen.find_element(By.CSS_SELECTOR, "section[aria-labelledby='sprint-backlog-heading']").text
    assert "planned by override" in backlog


# Each screen moves a different card of the running sprint.
CARDS = {"desktop": "Release burnup chart", "phone": "Partnership health check"}


def card(driver, title):
    return next(li for li in driver.find_elements(By.CSS_SELECTOR, "li.work") if title in li.text)


def test_a_developer_takes_work_and_the_board_says_who(demo_server, screen):
    title = CARDS[screen.screen_name]
    running = sprints(demo_server, "active")[0]
    log_in(demo_server, screen, "dev1@tandem.demo")
    screen.get(demo_server.url + "/")
    screen.find_element(By.CSS_SELECTOR, "a.product-name").click()
    assert screen.current_url.endswith(f"/sprints/{running['id']}"), "a Developer's product link opens the running sprint's board"
    assert "Taken by" in screen.find_element(By.CSS_SELECTOR, ".board").text, "the demo board says who took what"
    assert "Nobody has taken it" in card(screen, title).text
    submit(screen, card(screen, title).find_element(By.CSS_SELECTOR, "form[aria-label^='Take ']"))
    assert "Taken by Dana Dev" in card(screen, title).text
    assert item(demo_server, card(screen, title).get_attribute("data-ref"))["assigneeId"], "the API says who took it"
    submit(screen, card(screen, title).find_element(By.CSS_SELECTOR, "form[aria-label^='Hand ']"))
    assert "Nobody has taken it" in card(screen, title).text
    submit(screen, card(screen, title).find_element(By.CSS_SELECTOR, "form[aria-label^='Take ']"))
    labels = [b.text for b in card(screen, title).find_elements(By.CSS_SELECTOR, ".card-actions button")]
    assert labels == ["Hand back", "Move to Doing"], labels
    assert screen.execute_script(NO_SIDEWAYS_SCROLL)


def test_move_work_to_done_on_the_board(demo_server, screen):
    title = CARDS[screen.screen_name]
    running = sprints(demo_server, "active")[0]
    log_in(demo_server, screen, "dev1@tandem.demo")
    screen.get(f"{demo_server.url}/sprints/{running['id']}")
    assert screen.execute_script(NO_SIDEWAYS_SCROLL)
    assert [h.text.split(" (")[0] for h in screen.find_elements(By.CSS_SELECTOR, ".board .column h2")] == ["To do", "Doing", "Done"]
    assert card(screen, title).get_attribute("data-state") == "todo"
    submit(screen, card(screen, title).find_element(By.CSS_SELECTOR, "form[aria-label$='to Doing']"))
    assert card(screen, title).get_attribute("data-state") == "doing"
    done = card(screen, title).find_element(By.CSS_SELECTOR, "form[aria-label$='to Done']")
    done.find_elements(By.CSS_SELECTOR, "input[type=checkbox]")[0].click()
    submit(screen, done)
    assert "Not done yet" in refusal(screen), "the Definition of Done is not met yet"
    done = card(screen, title).find_element(By.CSS_SELECTOR, "form[aria-label$='to Done']")
    for box in done.find_elements(By.CSS_SELECTOR, "input[type=checkbox]"):
        if not box.is_selected():
            box.click()
    submit(screen, done)
    assert card(screen, title).get_attribute("data-state") == "done"
    assert item(demo_server, card(screen, title).get_attribute("data-ref"))["status"] == "done"




def test_closing_is_a_deliberate_step(demo_server, screen):
    """Nothing is chosen for the person; the confirmation names what will happen; going back changes nothing."""
    running = sprints(demo_server, "active")[0]
    log_in(demo_server, screen, "sm@tandem.demo")
    screen.get(f"{demo_server.url}/sprints/{running['id']}")
    form = screen.find_element(By.CSS_SELECTOR, "form[aria-label='Close the sprint']")
    assert not [r for r in form.find_elements(By.CSS_SELECTOR, "input[name=goalMet]") if r.is_selected()], "no outcome preselected"
    screen.execute_script("arguments[0].noValidate = true", form)
    submit(screen, form)
    assert "Say whether the Sprint Goal was met" in refusal(screen)
    form = screen.find_element(By.CSS_SELECTOR, "form[aria-label='Close the sprint']")
    form.find_element(By.CSS_SELECTOR, "input[name=goalMet][value=false]").click()
    submit(screen, form)
    assert screen.find_element(By.TAG_NAME, "h1").text == f"Close sprint {running['number']} for good?"
    consequences = screen.find_element(By.CSS_SELECTOR, "ul.consequences").text
    assert "recorded as missed" in consequences and "go to the top of the Product Backlog" in consequences and "freeze" in consequences
    if datetime.date.fromisoformat(running["endDate"]) > datetime.date.today():
        assert "working day" in screen.find_element(By.CSS_SELECTOR, ".flash.warning").text, "before the last day, the days left are said"
    assert screen.execute_script(NO_SIDEWAYS_SCROLL)
    screen.find_element(By.LINK_TEXT, "Not yet: back to the board").click()
    assert sprints(demo_server, "active")[0]["id"] == running["id"], "reviewing the close changed nothing"


def test_close_a_sprint_with_carry_over_and_its_figures_stay(demo_server):
    driver = make_browser()
    try:
        running = sprints(demo_server, "active")[0]
        unfinished = [i for i in running["items"] if i["workState"] != "done"]
        assert unfinished, "the demo sprint has unfinished work"
        log_in(demo_server, driver, "dev1@tandem.demo")
        driver.get(f"{demo_server.url}/sprints/{running['id']}")
        # Alt+Right on a focused card moves it one column on (the script submits the card's own form).
        waiting = next(i for i in unfinished if i["workState"] == "todo")
        first = card(driver, waiting["title"])
        driver.execute_script("arguments[0].focus()", first)
        driver.execute_script("window.__before = true")
        first.send_keys(Keys.ALT, Keys.ARROW_RIGHT)
        WebDriverWait(driver, 10).until(lambda d: d.execute_script("return window.__before === undefined && document.readyState === 'complete'"))
        assert card(driver, waiting["title"]).get_attribute("data-state") == "doing"

        form = driver.find_element(By.CSS_SELECTOR, "form[aria-label='Close the sprint']")
        form.find_element(By.CSS_SELECTOR, "input[name=goalMet][value=false]").click()
        form.find_element(By.NAME, "note").send_keys("The forecast needs one more sprint")
        Select(form.find_element(By.NAME, "carryOver")).select_by_value("nextSprint")
        submit(driver, form)
        assert "into sprint" in driver.find_element(By.CSS_SELECTOR, "ul.consequences").text, "the confirmation names where the work goes"
        submit(driver, driver.find_element(By.CSS_SELECTOR, "form[aria-label='Confirm closing the sprint']"))
        assert "summary" in driver.find_element(By.TAG_NAME, "h1").text
        notice = driver.find_element(By.CSS_SELECTOR, ".flash.notice")
        assert "Sprint closed" in notice.text and notice.find_element(By.TAG_NAME, "a").get_attribute("href").endswith("#summary-heading")
        assert_charts_readable(driver, "sprint summary")
        summary = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='summary-heading']").text
        assert "Sprint Goal missed" in summary
        closed = demo_server.api("GET", f"/api/v1/sprints/{running['id']}", token=token_for(demo_server, "po@tandem.demo")).json()
        carried = closed["figures"]["carriedOverItems"]
        assert carried >= 1 and f"{carried} item" in summary
        following = sorted(sprints(demo_server, "planned"), key=lambda s: s["startDate"])[0]
        titles = [i["title"] for i in following["items"]]
        assert {i["title"] for i in unfinished} <= set(titles), "unfinished work went into the next planned sprint"
        assert all(i["workState"] == "todo" for i in following["items"] if i["title"] in {u["title"] for u in unfinished})

        # Moving a carried item later does not rewrite the closed sprint.
        driver.get(f"{demo_server.url}/teams/{team(demo_server)}/sprints")
        assert f"{running['number']}" in driver.find_element(By.CSS_SELECTOR, "table.figures").text
        again = demo_server.api("GET", f"/api/v1/sprints/{running['id']}", token=token_for(demo_server, "po@tandem.demo")).json()
        assert again["figures"] == closed["figures"]
    finally:
        driver.quit()


@pytest.mark.parametrize("page", ["team", "planned", "board", "summary", "review", "retrospective"])
def test_axe_finds_no_violations_on_sprint_pages(demo_server, screen, page):
    log_in(demo_server, screen, "po@tandem.demo")
    closed = sprints(demo_server, "closed")
    active = sprints(demo_server, "active")
    planned = sprints(demo_server, "planned")
    current = (active or planned)[0]
    path = {
        "team": f"/teams/{team(demo_server)}/sprints",
        "planned": f"/sprints/{(planned[0] if planned else current)['id']}",
        "board": f"/sprints/{current['id']}",
        "summary": f"/sprints/{closed[0]['id']}",
        "review": f"/sprints/{current['id']}/review",
        "retrospective": f"/sprints/{current['id']}/retrospective",
    }[page]
    screen.get(demo_server.url + path)
    assert_accessible(screen, page)
