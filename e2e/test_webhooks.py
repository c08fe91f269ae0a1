"""Webhooks against the release binary, with a receiver on loopback (the only address these tests send to):
deliveries in order, signed as the README's recipe checks, both signatures after a rotation, and nothing lost when
the server is killed with SIGKILL in the middle of a storm of changes."""
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest
import requests

from conftest import fresh_postgres_database, free_port, start_server, stop_server

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))
from verify_webhook import verify  # noqa: E402  (the README's recipe, tested as written)

ALLOW = {"TANDEM_WEBHOOKS_ALLOW_PRIVATE": "1"}


class Receiver:
    """An HTTP receiver on 127.0.0.1 recording every POST; `fail` makes it answer 500."""

    def __init__(self):
        self.received = []
        self.lock = threading.Lock()
        self.fail = False
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with owner.lock:
                    owner.received.append({"headers": {k: v for k, v in self.headers.items()}, "body": body, "at": time.time()})
                    failing = owner.fail
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tandem"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def snapshot(self):
        with self.lock:
            return list(self.received)

    def wait_for(self, predicate, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate(self.snapshot()):
                return self.snapshot()
            time.sleep(0.05)
        raise AssertionError(f"not received in {timeout} s; got {len(self.snapshot())}")

    def close(self):
        self.server.shutdown()


@pytest.fixture()
def receiver():
    r = Receiver()
    yield r
    r.close()


def owner_and_product(server):
    email = f"po-{uuid.uuid4().hex[:8]}@example.com"
    assert server.api("POST", "/api/v1/users", json={"email": email, "password": "correct-horse", "displayName": "Paula"}).status_code == 201
    token = server.api("POST", "/api/v1/sessions", json={"email": email, "password": "correct-horse"}).json()["token"]
    key = "W" + uuid.uuid4().hex[:5].upper().replace("0", "A")
    product = server.api("POST", "/api/v1/products", token=token, json={"name": "Hooks", "key": key}).json()["id"]
    return token, product


def hook(server, token, product, url, events=("*",)):
    created = server.api("POST", f"/api/v1/products/{product}/webhooks", token=token, json={"url": url, "events": list(events)})
    assert created.status_code == 201, created.text
    return created.json()


def test_deliveries_are_signed_ordered_and_verified_by_the_recipe(receiver):
    server = start_server(ALLOW)
    try:
        token, product = owner_and_product(server)
        created = hook(server, token, product, receiver.url)
        secret = created["secret"]
        items = []
        for n in range(5):
            answer = server.api("POST", f"/api/v1/products/{product}/items", token=token, json={"title": f"Story {n}", "kind": "story"})
            assert answer.status_code == 201
            items.append(answer.json())
        moved = server.api("POST", f"/api/v1/items/{items[4]['id']}/move", token=token, json={"to": "top", "version": items[4]["version"]})
        assert moved.status_code == 200, moved.text
        got = receiver.wait_for(lambda r: len(r) >= 6)
        seqs = [int(r["headers"]["X-Tandem-Seq"]) for r in got]
        assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), f"in order, once each: {seqs}"
        for delivery in got:
            headers, body = delivery["headers"], delivery["body"]
            assert verify(secret, headers, body), "the README's recipe accepts Tandem's signature"
            assert not verify("whsec_" + "0" * 64, headers, body), "and refuses another secret's"
            assert not verify(secret, headers, body + b" "), "and a changed body"
            change = json.loads(body)
            assert change["seq"] == int(headers["X-Tandem-Seq"]) and change["type"] == headers["X-Tandem-Event"]
            assert headers["Content-Type"] == "application/json" and len(headers["X-Tandem-Delivery"]) == 36
        assert [json.loads(r["body"])["type"] for r in got][-1] == "item.moved"
        # The body is the change as the change stream gives it.
        listed = server.api("GET", f"/api/v1/products/{product}/changes?after={seqs[0] - 1}&limit=1", token=token).json()["items"][0]
        assert json.loads(got[0]["body"]) == listed

        # After a rotation both the new and the old secret verify, for a day.
        rotated = server.api("POST", f"/api/v1/products/{product}/webhooks/{created['id']}/rotate-secret", token=token).json()
        server.api("POST", f"/api/v1/products/{product}/items", token=token, json={"title": "After the rotation", "kind": "story"})
        last = receiver.wait_for(lambda r: len(r) >= 7)[-1]
        assert len(last["headers"]["X-Tandem-Signature"].split(",")) == 2
        assert verify(rotated["secret"], last["headers"], last["body"]) and verify(secret, last["headers"], last["body"])

        # The log shows each attempt; a redelivery sends the same change again with the same delivery id.
        log = server.api("GET", f"/api/v1/products/{product}/webhooks/{created['id']}/deliveries", token=token).json()["items"]
        assert len(log) == 7 and all(entry["statusCode"] == 204 and entry["error"] is None for entry in log)
        again = server.api("POST", f"/api/v1/products/{product}/webhooks/{created['id']}/deliveries/{log[-1]['id']}/redeliver", token=token)
        assert again.status_code == 202, again.text
        repeat = receiver.wait_for(lambda r: len(r) >= 8)[-1]
        assert repeat["headers"]["X-Tandem-Delivery"] == got[0]["headers"]["X-Tandem-Delivery"]

        # A failing receiver is retried later; the request that made the change does not wait.
        receiver.fail = True
        started = time.time()
        assert server.api("POST", f"/api/v1/products/{product}/items", token=token, json={"title": "While it fails", "kind": "story"}).status_code == 201
        assert time.time() - started < 2
        receiver.wait_for(lambda r: len(r) >= 9)
        state = server.api("GET", f"/api/v1/products/{product}/webhooks/{created['id']}", token=token).json()
        assert state["failingSince"] is not None and state["nextAttemptAt"] is not None and state["active"]
    finally:
        stop_server(server)


@pytest.fixture(params=["sqlite", "postgres"])
def database(request):
    """None for a SQLite file in the server's folder, or a fresh database on the test PostgreSQL."""
    if request.param == "sqlite":
        yield None
        return
    yield fresh_postgres_database()


def test_sigkill_during_a_storm_of_changes_loses_no_delivery(receiver, database):
    server = start_server({**ALLOW, **({"TANDEM_DATABASE_URL": database} if database else {})})
    folder = server.folder
    try:
        token, product = owner_and_product(server)
        hook(server, token, product, receiver.url, events=["item.created"])
        made = []

        def storm(count):
            for n in range(count):
                try:
                    answer = server.api("POST", f"/api/v1/products/{product}/items", token=token, json={"title": f"Storm {n}", "kind": "story"})
                except requests.RequestException:
                    return  # the server was killed: what it acknowledged before is what must arrive
                if answer.status_code == 201:
                    made.append(answer.json()["id"])

        threads = [threading.Thread(target=storm, args=(60,)) for _ in range(4)]
        for t in threads:
            t.start()
        receiver.wait_for(lambda r: len(r) >= 20)  # deliveries are flowing
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        for t in threads:
            t.join()
        before = len(receiver.snapshot())
        restarted = start_server({**ALLOW, "TANDEM_DATABASE_URL": database or f"sqlite://{folder}/tandem.sqlite"})
        server.process = restarted.process  # stopped below with the first one's folder
        changes = []
        after = 0
        while True:
            page = restarted.api("GET", f"/api/v1/products/{product}/changes?after={after}&limit=200", token=token).json()
            changes += [c for c in page["items"] if c["type"] == "item.created"]
            if not page["items"]:
                break
            after = page["items"][-1]["seq"]
        assert len(changes) >= len(made) > 20, f"every acknowledged create is a change ({len(changes)} changes, {len(made)} acknowledged)"
        wanted = {c["seq"] for c in changes}
        got = receiver.wait_for(lambda r: wanted <= {int(x["headers"]["X-Tandem-Seq"]) for x in r}, timeout=60)
        delivered = [int(x["headers"]["X-Tandem-Seq"]) for x in got]
        print(f"{len(wanted)} changes, {len(delivered)} deliveries ({len(delivered) - len(set(delivered))} repeated across the kill, {before} before it)")
        assert wanted <= set(delivered), "every change's delivery arrived at least once"
        ids = {}
        for x in got:
            ids.setdefault(int(x["headers"]["X-Tandem-Seq"]), set()).add(x["headers"]["X-Tandem-Delivery"])
        assert all(len(v) == 1 for v in ids.values()), "a repeat carries the same delivery id"
    finally:
        stop_server(server)


@pytest.mark.parametrize("width,phone", [(1280, False), (390, True)])
def test_the_webhooks_page_adds_a_hook_shows_its_secret_once_and_the_log(receiver, width, phone):
    from selenium.webdriver.common.by import By
    from conftest import assert_accessible, make_browser, refusal, submit
    from test_backlog_experience import demo_product, log_in, token_for

    server = start_server(ALLOW, args=("--demo",))
    driver = make_browser(width=width, phone=phone)
    try:
        product = demo_product(server)
        # A Developer neither sees the link nor may open the page.
        log_in(server, driver, "dev1@tandem.demo")
        driver.get(f"{server.url}/products/{product}")
        assert not driver.find_elements(By.LINK_TEXT, "Webhooks")
        driver.get(f"{server.url}/products/{product}/webhooks")
        assert "Only the Product Owner or a Scrum Master" in driver.find_element(By.TAG_NAME, "main").text

        log_in(server, driver, "sm@tandem.demo")
        driver.get(f"{server.url}/products/{product}")
        driver.find_element(By.LINK_TEXT, "Webhooks").click()
        form = driver.find_element(By.CSS_SELECTOR, "form[aria-label='Add a webhook']")
        form.find_element(By.NAME, "url").send_keys("http://169.254.169.254/latest/meta-data")
        submit(driver, form)
        assert "metadata" in refusal(driver), "a metadata address is refused, beside its field"
        form = driver.find_element(By.CSS_SELECTOR, "form[aria-label='Add a webhook']")
        address = form.find_element(By.NAME, "url")
        address.clear()
        address.send_keys(receiver.url)
        events = form.find_element(By.NAME, "events")
        events.clear()
        events.send_keys("item.moved item.created")
        submit(driver, form)
        secret = driver.find_element(By.CSS_SELECTOR, "[data-secret]").text
        assert secret.startswith("whsec_") and len(secret) == 70
        assert_accessible(driver, "webhooks")
        driver.save_screenshot(f"/tmp/webhooks-{width}.png")

        # A change reaches the receiver, and the log on the page shows its delivery.
        token = token_for(server, "po@tandem.demo")
        first = server.api("GET", f"/api/v1/products/{product}/backlog?limit=3", token=token).json()["items"][2]
        assert server.api("POST", f"/api/v1/items/{first['id']}/move", token=token, json={"to": "top", "version": first["version"]}).status_code == 200
        got = receiver.wait_for(lambda r: len(r) >= 1)
        assert verify(secret, got[0]["headers"], got[0]["body"])
        driver.get(f"{server.url}/products/{product}/webhooks")
        assert secret not in driver.page_source, "the secret is shown only once"
        rows = driver.find_elements(By.CSS_SELECTOR, "table.deliveries tbody tr")
        assert rows and "item.moved" in rows[0].text and "204" in rows[0].text
        submit(driver, rows[0].find_element(By.CSS_SELECTOR, "form"))
        assert "Queued" in driver.find_element(By.CSS_SELECTOR, ".flash").text
        receiver.wait_for(lambda r: len(r) >= 2)
        driver.save_screenshot(f"/tmp/webhooks-log-{width}.png")
    finally:
        driver.quit()
        stop_server(server)
