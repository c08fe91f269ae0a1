"""What a team trying Tandem tripped over (issue 18), at 1280 px and on a 390 px phone: backlog titles read whole, the
dashboard points at what needs attention, actions say what they did, planning poker says who has not voted."""
from selenium.webdriver.common.by import By

from conftest import assert_accessible, assert_charts_readable, submit
from test_backlog_experience import NO_SIDEWAYS_SCROLL, demo_product, log_in, token_for

SIXTY = "Stakeholders read every release forecast as a span of dates!"


def test_backlog_titles_and_refs_read_whole(demo_server, screen):
    assert len(SIXTY) == 60
    product = demo_product(demo_server)
    po = token_for(demo_server, "po@tandem.demo")
    title = f"{SIXTY[:-2]}{screen.screen_name[:2]}"
    created = demo_server.api("POST", f"/api/v1/products/{product}/items", token=po, json={"title": title, "kind": "story", "position": {"to": "top"}}).json()
    for email in ("dev1@tandem.demo", "po@tandem.demo"):
        log_in(demo_server, screen, email)
        screen.get(f"{demo_server.url}/products/{product}/backlog")
        row = screen.find_element(By.ID, f"item-{created['id']}")
        link = row.find_element(By.CSS_SELECTOR, "a.title")
        ref = row.find_element(By.CSS_SELECTOR, ".ref")
        shape = screen.execute_script(
            "const t = arguments[0], r = arguments[1], line = parseFloat(getComputedStyle(t).lineHeight);"
            "return {cut: t.scrollWidth > t.clientWidth + 1, lines: Math.round(t.getBoundingClientRect().height / line),"
            " refLines: Math.round(r.getBoundingClientRect().height / parseFloat(getComputedStyle(r).lineHeight))};", link, ref)
        assert not shape["cut"], f"{email}: the title is cut"
        assert shape["refLines"] == 1, f"{email}: the reference wraps"
        if screen.screen_name == "desktop":
            assert shape["lines"] == 1, f"{email}: a 60-character title is one line at 1280 px: {shape}"
        assert screen.execute_script(NO_SIDEWAYS_SCROLL)
        every = screen.execute_script("return [...document.querySelectorAll('#backlog a.title')].filter(t => t.scrollWidth > t.clientWidth + 1).length")
        assert every == 0, f"{email}: {every} titles are cut"


def test_the_dashboard_points_at_what_needs_attention(demo_server, screen):
    product = demo_product(demo_server)
    log_in(demo_server, screen, "po@tandem.demo")
    screen.get(f"{demo_server.url}/products/{product}/dashboard")
    tiles = screen.find_elements(By.CSS_SELECTOR, "li.tile")
    states = [t.get_attribute("class").split()[-1] for t in tiles]
    assert states[0] == "unhealthy" and states.index("healthy") > max(i for i, s in enumerate(states) if s == "unhealthy"), states
    first = tiles[0]
    assert first.find_element(By.CSS_SELECTOR, ".todo").text.startswith("What to do:")
    summary = screen.find_element(By.CSS_SELECTOR, ".attention-summary").text
    assert f"{states.count('unhealthy')} signals need attention" in summary
    assert_charts_readable(screen, "dashboard")
    blocking = next(t for t in tiles if t.get_attribute("data-signal") == "openBlockingQuestions")
    assert "1 blocking question waits" in blocking.text, "the count agrees with its noun"
    blocking.find_element(By.LINK_TEXT, "See the blocking questions").click()
    assert screen.current_url.endswith("/questions?blocking=1")
    shown = screen.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='open-heading'] li.question")
    assert shown and all("Blocking" in q.text for q in shown), "exactly the blocking questions"
    assert screen.execute_script(NO_SIDEWAYS_SCROLL)


def test_accepting_feedback_says_what_it_became_and_the_giver_sees_it(demo_server, screen):
    product = demo_product(demo_server)
    po = token_for(demo_server, "po@tandem.demo")
    waiting = [f for f in demo_server.api("GET", f"/api/v1/products/{product}/feedback?state=open", token=po).json()["items"]]
    assert waiting, "the demo has feedback waiting (two: the desktop run accepts one, the phone run declines the other)"
    log_in(demo_server, screen, "po@tandem.demo")
    screen.get(f"{demo_server.url}/products/{product}/feedback")
    assert "/review" in screen.current_url, "the feedback inbox is on the latest Sprint Review"
    inbox = screen.find_element(By.CSS_SELECTOR, "section[aria-labelledby='feedback-heading']")
    entry = inbox.find_elements(By.CSS_SELECTOR, "ul.feedback > li")[0]
    text = entry.find_element(By.CSS_SELECTOR, ".prose").text
    if screen.screen_name == "desktop":
        submit(screen, entry.find_element(By.CSS_SELECTOR, "form[aria-label='Accept feedback into the backlog']"))
        notice = screen.find_element(By.CSS_SELECTOR, ".flash.notice")
        assert notice.text.startswith("Accepted: the feedback is now DEMO-")
        ref = notice.find_element(By.TAG_NAME, "a").text.replace("Open ", "")
        expected = f"Accepted as {ref}"
    else:
        entry.find_element(By.XPATH, ".//summary[normalize-space()='Decline']").click()
        form = entry.find_element(By.CSS_SELECTOR, "form[aria-label='Decline feedback']")
        form.find_element(By.NAME, "reason").send_keys("The board already shows it in sprint 9")
        submit(screen, form)
        assert "Declined: the giver reads your reason" in screen.find_element(By.CSS_SELECTOR, ".flash.notice").text
        expected = "Declined: “The board already shows it in sprint 9”"
    log_in(demo_server, screen, "stakeholder@tandem.demo")
    screen.get(f"{demo_server.url}/products/{product}/feedback")
    mine = next(li for li in screen.find_elements(By.CSS_SELECTOR, "ul.mine > li") if text.split("\n")[0] in li.text)
    assert expected in mine.text, mine.text
    assert_accessible(screen, "review as a stakeholder")


def test_planning_poker_marks_your_vote_and_names_who_did_not_vote(demo_server, screen):
    ref = "DEMO-40" if screen.screen_name == "desktop" else "DEMO-41"
    log_in(demo_server, screen, "sm@tandem.demo")
    screen.get(f"{demo_server.url}/items/{ref}")
    submit(screen, screen.find_element(By.CSS_SELECTOR, "form[aria-label='Start planning poker']"))
    assert "Planning poker started" in screen.find_element(By.CSS_SELECTOR, ".flash.notice").text
    log_in(demo_server, screen, "dev1@tandem.demo")
    screen.get(f"{demo_server.url}/items/{ref}")
    vote = screen.find_element(By.CSS_SELECTOR, "form[aria-label='Your vote']")
    vote.find_element(By.CSS_SELECTOR, "button[value='5']").click()
    chosen = screen.find_element(By.CSS_SELECTOR, "form[aria-label='Your vote'] button[aria-pressed='true']")
    assert chosen.text == "5" and "Your vote: 5" in screen.find_element(By.CSS_SELECTOR, "form[aria-label='Your vote']").text
    assert "Your vote is in" in screen.find_element(By.CSS_SELECTOR, ".flash.notice").text
    log_in(demo_server, screen, "sm@tandem.demo")
    screen.get(f"{demo_server.url}/items/{ref}")
    submit(screen, screen.find_element(By.CSS_SELECTOR, "form[aria-label='Reveal the votes']"))
    missing = screen.find_element(By.CSS_SELECTOR, ".waiting").text
    assert missing.startswith("Revealed without a vote from") and "Dana Dev" not in missing, missing
    submit(screen, screen.find_element(By.CSS_SELECTOR, "form[aria-label='Record the agreed estimate']"))
    assert "Estimate recorded" in screen.find_element(By.CSS_SELECTOR, ".flash.notice").text
    assert screen.execute_script(NO_SIDEWAYS_SCROLL)


def test_notifications_name_their_product_and_the_charts_read_on_every_planning_page(demo_server, screen):
    log_in(demo_server, screen, "po@tandem.demo")
    screen.get(demo_server.url + "/notifications")
    assert screen.find_element(By.CSS_SELECTOR, ".notification-group h2").text.startswith("Tandem Demo")
    assert "Done" in screen.find_element(By.CSS_SELECTOR, ".notifications").text, "answered questions are no longer new"
    assert_accessible(screen, "notifications")
