"""The probed defects, against the release binary: injection into the head, cookies on the API, login limits,
huge forms and extreme numbers."""
import re
import time

import requests
from selenium.webdriver.common.by import By

from conftest import start_server, stop_server, submit

PAYLOAD = '"><meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/evil">'


def account(server, unique, name="po"):
    email = f"{name}{unique}@example.com"
    assert server.api("POST", "/api/v1/users", json={"email": email, "password": "correct-horse", "displayName": name}).status_code == 201
    token = server.api("POST", "/api/v1/sessions", json={"email": email, "password": "correct-horse"}).json()["token"]
    return email, token


def page_session(server, email):
    """Logs in through the login form, as a browser would, and returns the cookie jar."""
    session = requests.Session()
    form = session.get(server.url + "/login", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    answer = session.post(server.url + "/login", data={"csrf": csrf, "email": email, "password": "correct-horse"}, allow_redirects=False, timeout=10)
    assert answer.status_code == 303, answer.text[:500]
    return session


def test_an_item_title_cannot_send_people_elsewhere(server, browser, unique):
    email, token = account(server, unique)
    product = server.api("POST", "/api/v1/products", token=token, json={"name": PAYLOAD[:100], "key": f"S{unique}"[:10]}).json()
    item = server.api("POST", f"/api/v1/products/{product['id']}/items", token=token, json={"title": PAYLOAD, "kind": "story"}).json()
    browser.get(server.url + "/login")
    browser.find_element(By.NAME, "email").send_keys(email)
    browser.find_element(By.NAME, "password").send_keys("correct-horse")
    # Wait for the login to finish before going on (clicking and navigating at once races the session cookie).
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form[aria-label='Log in']"))
    for path in (f"/items/{item['ref']}", f"/products/{product['id']}", f"/products/{product['id']}/backlog"):
        browser.get(server.url + path)
        time.sleep(1.2)
        assert browser.current_url == server.url + path, f"{path} sent the browser to {browser.current_url}"
        assert not browser.find_elements(By.CSS_SELECTOR, "head meta[http-equiv]")
        if path.startswith("/items/"):
            assert PAYLOAD in browser.title


def test_the_api_refuses_the_session_cookie_on_every_spelling(server, unique):
    email, _ = account(server, unique, "cookie")
    session = page_session(server, email)
    for path in ("/api/v1/tokens", "//api/v1/tokens", "/./api/v1/tokens", "/%61pi/v1/tokens", "/api//v1/tokens"):
        answer = session.post(server.url + path, data='{"name": "stolen"}', headers={"Content-Type": "text/plain"}, timeout=10)
        assert answer.status_code != 201, f"{path} minted a token with the session cookie"


def test_a_huge_form_is_refused_with_a_readable_page(server):
    answer = requests.post(server.url + "/login", data="email=" + "a" * (10 * 1024 * 1024),
                           headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
    assert answer.status_code == 413
    assert answer.headers["Content-Type"].startswith("text/html")
    assert "larger than Tandem accepts" in answer.text
    assert server.api("GET", "/healthz").status_code == 200


def test_extreme_numbers_never_stop_the_server(server, unique):
    _, token = account(server, unique, "numbers")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for body in ('{"version": 1e300}', '{"version": -1e300}', '{"version": 123456789012345678901234567890}', '{"version": -0}'):
        answer = requests.patch(server.url + "/api/v1/items/does-not-exist", data=body, headers=headers, timeout=10)
        assert answer.status_code == 422 and answer.json()["error"]["field"] == "version", body
    cursor = "bzo5MjIzMzcyMDM2ODU0Nzc1ODA3"  # base64 of o:9223372036854775807
    answer = requests.get(server.url + f"/api/v1/products?cursor={cursor}", headers=headers, timeout=10)
    assert answer.status_code == 422 and answer.json()["error"]["field"] == "cursor"
    assert server.api("GET", "/healthz").status_code == 200


def test_failed_logins_are_limited_and_the_form_says_so():
    server = start_server(extra_env={"TANDEM_LOGIN_LIMIT": "3"})
    try:
        email = "limited@example.com"
        assert server.api("POST", "/api/v1/users", json={"email": email, "password": "correct-horse", "displayName": "L"}).status_code == 201
        for _ in range(3):
            assert server.api("POST", "/api/v1/sessions", json={"email": email, "password": "wrong-password"}).status_code == 401
        limited = server.api("POST", "/api/v1/sessions", json={"email": email, "password": "correct-horse"})
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
        assert limited.json()["error"]["code"] == "too_many_attempts"
        session = requests.Session()
        csrf = re.search(r'name="csrf" value="([^"]+)"', session.get(server.url + "/login", timeout=10).text).group(1)
        page = session.post(server.url + "/login", data={"csrf": csrf, "email": email, "password": "correct-horse"}, timeout=10)
        assert page.status_code == 429 and "Too many failed logins" in page.text
    finally:
        stop_server(server)
