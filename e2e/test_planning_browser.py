"""Empirical planning and the partnership's newest parts as people use them (issues 11 and 12), on the demo product:
the dashboard first for the partners with each tile's trend, what stands in an item's way, the planning page's
charts, a forecast run from the form into the journal, and axe-core on the planning page at both sizes."""
import datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import assert_accessible, assert_charts_readable, shown_svg, submit, refusal
from test_backlog_experience import demo_product, log_in, token_for


def test_the_partners_land_on_the_dashboard_with_trends(demo_server, screen):
    log_in(demo_server, screen, "sm@tandem.demo")
    screen.get(demo_server.url + "/")
    screen.find_element(By.CSS_SELECTOR, "a.product-name").click()
    assert screen.current_url.endswith("/dashboard"), "the Scrum Master's product link opens the partnership dashboard"
    tiles = screen.find_elements(By.CSS_SELECTOR, "li.tile")
    assert len(tiles) >= 14
    say_do = next(t for t in tiles if t.get_attribute("data-signal") == "sayDoRatio")
    spark = say_do.find_element(By.CSS_SELECTOR, "svg.sparkline")
    assert "Sprint 1" in spark.get_attribute("aria-label") and "Sprint 8" in spark.get_attribute("aria-label"), "a trend over the closed sprints, in words"
    assert all(t.find_elements(By.CSS_SELECTOR, "svg.sparkline, .trend-empty, .trend-single") for t in tiles), "every tile draws its trend, or says in words it has one reading or none"
    pace = screen.find_element(By.CSS_SELECTOR, "section[aria-labelledby='pace-heading']")
    assert shown_svg(pace, "figure#velocity svg").get_attribute("role") == "img", "the velocity both partners plan from"


def test_an_item_shows_what_stands_in_its_way(demo_server, screen):
    log_in(demo_server, screen, "dev1@tandem.demo")
    screen.get(demo_server.url + "/items/DEMO-13")
    section = screen.find_element(By.ID, "blockers")
    assert "No licence for the load-testing tool" in section.text
    assert "Escalated" in section.text
    assert int(section.find_element(By.CSS_SELECTOR, "[data-blocked-days]").get_attribute("data-blocked-days")) >= 11


def test_forecast_from_the_planning_page_into_the_journal(demo_server, screen):
    log_in(demo_server, screen, "po@tandem.demo")
    product = demo_product(demo_server)
    screen.get(f"{demo_server.url}/products/{product}/planning")
    for chart in ("velocity", "burnup"):
        figure = screen.find_element(By.ID, chart)
        assert shown_svg(figure, "svg.chart").get_attribute("role") == "img"
        assert figure.find_elements(By.CSS_SELECTOR, "table.chart-table"), "a table of the numbers beside the chart"
    assert "Done by" in screen.find_element(By.CSS_SELECTOR, ".forecast-levels").text
    record = screen.find_element(By.CSS_SELECTOR, "section[aria-labelledby='track-heading']").text
    assert "From sprint 4 on, forecasting a three-sprint total" in record and "85% level: met" in record, record
    assert "fell within the 85% level" in screen.find_element(By.CSS_SELECTOR, "section[aria-labelledby='journal-heading']").text
    form = screen.find_element(By.CSS_SELECTOR, "form[aria-label='Run a forecast']")
    Select(form.find_element(By.NAME, "mode")).select_by_value("when")
    Select(form.find_element(By.NAME, "releaseId")).select_by_index(1)
    submit(screen, form)
    assert "?forecast=" in screen.current_url
    shown = screen.find_element(By.ID, "forecast")
    assert "85%: within" in shown.text
    assert shown_svg(shown, "#forecast-histogram svg").is_displayed()
    assert "When the remaining" in shown.text, "the result says what it forecast"
    assert_charts_readable(screen, "planning with a forecast", at_least=3)
    rows = screen.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='journal-heading'] tbody tr")
    assert any("Waiting" in row.text for row in rows), "the new forecast waits for its outcome"
    # A refused forecast explains itself on the page.
    form = screen.find_element(By.CSS_SELECTOR, "form[aria-label='Run a forecast']")
    Select(form.find_element(By.NAME, "mode")).select_by_value("howMuch")
    submit(screen, form)
    assert "date" in refusal(screen).lower(), "the page says what is missing"


def test_the_sprint_page_burns_down_against_the_ideal_with_scope_changes(demo_server, screen):
    token = token_for(demo_server, "dev1@tandem.demo")
    sprints = demo_server.api("GET", f"/api/v1/teams/{_team(demo_server)}/sprints", token=token).json()["items"]
    running = next(s for s in sprints if s["state"] == "active")
    days = demo_server.api("GET", f"/api/v1/sprints/{running['id']}/burndown", token=token).json()["days"]
    assert any(d["addedPoints"] > 0 for d in days), "the demo's running sprint took an urgent item mid-sprint"
    log_in(demo_server, screen, "dev1@tandem.demo")
    screen.get(f"{demo_server.url}/sprints/{running['id']}")
    chart = shown_svg(screen, "figure#burndown svg")
    series = {g.get_attribute("data-series") for g in chart.find_elements(By.CSS_SELECTOR, "[data-series]")}
    assert {"Remaining", "Ideal", "Added"} <= series
    # The running sprint's chart spans the whole timebox: the ideal line runs on past today to the last day.
    ideal = chart.find_element(By.CSS_SELECTOR, "[data-series='Ideal'] polyline").get_attribute("points").split()
    remaining = chart.find_element(By.CSS_SELECTOR, "[data-series='Remaining'] polyline").get_attribute("points").split()
    assert len(ideal) == (datetime.date.fromisoformat(running["endDate"]) - datetime.date.fromisoformat(running["startDate"])).days + 1
    assert len(remaining) < len(ideal), "the days still to come have no remaining points yet"
    assert_charts_readable(screen, "sprint board")


def test_charts_have_their_own_addresses_for_the_pages(demo_server, screen):
    log_in(demo_server, screen, "stakeholder@tandem.demo")
    product = demo_product(demo_server)
    screen.get(f"{demo_server.url}/products/{product}/planning")
    release_burnup = screen.find_element(By.ID, "burnup")
    assert release_burnup.is_displayed()
    assert_charts_readable(screen, "planning", at_least=2)
    cookies = {c["name"]: c["value"] for c in screen.get_cookies()}
    import requests
    velocity = requests.get(f"{demo_server.url}/teams/{_team(demo_server)}/velocity.svg", cookies=cookies)
    assert velocity.status_code == 200 and velocity.headers["content-type"].startswith("image/svg+xml") and "<svg" in velocity.text


def _team(server):
    from test_partnership_browser import team
    return team(server)


def _release(server):
    token = token_for(server, "po@tandem.demo")
    return server.api("GET", f"/api/v1/products/{demo_product(server)}/releases", token=token).json()["items"][0]["id"]


def test_a_release_shows_its_burnup_dates_against_the_target_and_items(demo_server, screen):
    log_in(demo_server, screen, "stakeholder@tandem.demo")
    screen.get(f"{demo_server.url}/products/{demo_product(demo_server)}/planning")
    screen.find_element(By.CSS_SELECTOR, "section[aria-labelledby='releases-heading'] h3 a").click()
    assert "/releases/" in screen.current_url
    assert shown_svg(screen, "figure#burnup svg").is_displayed()
    assert_charts_readable(screen, "release")
    levels = screen.find_element(By.CSS_SELECTOR, "table.forecast-levels").text
    assert "85%" in levels and ("in time" in levels or "after the target" in levels)
    assert "DEMO-" in screen.find_element(By.CSS_SELECTOR, "section[aria-labelledby='items-heading']").text


@pytest.mark.parametrize("page", ["planning", "release", "item"])
def test_axe_finds_no_violations_on_planning_pages(demo_server, screen, page):
    log_in(demo_server, screen, "po@tandem.demo")
    product = demo_product(demo_server)
    path = {"planning": f"/products/{product}/planning", "release": f"/releases/{_release(demo_server)}", "item": "/items/DEMO-13"}[page]
    screen.get(demo_server.url + path)
    assert_accessible(screen, page)
