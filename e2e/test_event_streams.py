"""Live event streams against the release binary: across two processes on one PostgreSQL, resumed after an absence,
and 200 at once on one process."""
import os
import queue
import select
import socket
import statistics
import subprocess
import threading
import time
import uuid

import pytest
import requests

from conftest import fresh_postgres_database, start_server, stop_server


def sign_up(server, name):
    email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    assert server.api("POST", "/api/v1/users", json={"email": email, "password": "correct-horse", "displayName": name}).status_code == 201
    return server.api("POST", "/api/v1/sessions", json={"email": email, "password": "correct-horse"}).json()["token"]


def product(server, token):
    key = "E" + uuid.uuid4().hex[:6].upper().replace("0", "A")
    answer = server.api("POST", "/api/v1/products", token=token, json={"name": "Streams", "key": key[:8]})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def latest(server, token, product_id):
    return server.api("GET", f"/api/v1/products/{product_id}/changes?limit=1", token=token).json()["latestSeq"]


class Stream:
    """Reads a text/event-stream in a thread; each change lands in `events` with the time it arrived."""

    def __init__(self, server, token, product_id, last_event_id=None):
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self.response = requests.get(f"{server.url}/api/v1/products/{product_id}/events", headers=headers, stream=True, timeout=(5, 60))
        assert self.response.status_code == 200, self.response.text
        assert self.response.headers["content-type"].startswith("text/event-stream")
        self.events = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _lines(self):
        # chunk_size=None yields each chunk as it arrives; iter_lines() would wait for 512 bytes, holding an event
        # back until the next one came.
        pending = b""
        for chunk in self.response.iter_content(chunk_size=None):
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                yield line.decode("utf-8")

    def _read(self):
        event = {}
        try:
            for raw in self._lines():
                if raw == "":
                    if "id" in event or "event" in event:
                        event["arrived"] = time.monotonic()
                        self.events.put(event)
                    event = {}
                elif raw.startswith(":"):
                    continue
                else:
                    field, _, value = raw.partition(": ")
                    event[field] = value
        except Exception:  # the test closed the stream
            pass
        self.events.put(None)

    def take(self, count, timeout=20):
        taken = []
        deadline = time.monotonic() + timeout
        while len(taken) < count:
            item = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            if item is None:
                break
            taken.append(item)
        return taken

    def close(self):
        self.response.close()


@pytest.fixture()
def postgres_url():
    return fresh_postgres_database()


def test_a_change_through_one_process_reaches_a_stream_on_another(postgres_url):
    first = start_server({"TANDEM_DATABASE_URL": postgres_url})
    second = start_server({"TANDEM_DATABASE_URL": postgres_url})
    try:
        token = sign_up(first, "Paula")
        product_id = product(first, token)
        stream = Stream(second, token, product_id)
        # One move through the first process reaches the stream on the second within a second.
        items = [first.api("POST", f"/api/v1/products/{product_id}/items", token=token, json={"title": f"Item {n}", "kind": "story"}).json() for n in range(2)]
        assert len(stream.take(2)) == 2
        sent = time.monotonic()
        moved = first.api("POST", f"/api/v1/items/{items[1]['id']}/move", token=token, json={"to": "top", "version": items[1]["version"]})
        assert moved.status_code == 200, moved.text
        [event] = stream.take(1, timeout=5)
        assert event["event"] == "item.moved"
        assert event["arrived"] - sent < 1.0, f"took {event['arrived'] - sent:.3f} s"

        # 1,000 changes, each timed from the moment its request was sent to its event on the other process.
        start = latest(first, token, product_id)
        sent_at = {}
        for n in range(1000):
            sent_at[start + n + 1] = time.monotonic()
            assert first.api("POST", f"/api/v1/products/{product_id}/items", token=token, json={"title": f"Storm {n}", "kind": "story"}).status_code == 201
        events = stream.take(1000, timeout=60)
        seqs = [int(e["id"]) for e in events]
        assert seqs == list(range(start + 1, start + 1001)), "every change, once, in order"
        latencies = sorted((e["arrived"] - sent_at[int(e["id"])]) * 1000 for e in events)
        p50, p99 = statistics.median(latencies), latencies[int(len(latencies) * 0.99) - 1]
        print(f"\ncross-process stream latency over 1000 changes (request sent → event on the other process): "
              f"median {p50:.1f} ms, p99 {p99:.1f} ms, max {latencies[-1]:.1f} ms")
        stream.close()
    finally:
        stop_server(second)
        stop_server(first)


def test_a_stream_resumes_after_its_absence_with_exactly_what_it_missed():
    server = start_server()
    try:
        token = sign_up(server, "Rita")
        product_id = product(server, token)
        stream = Stream(server, token, product_id)
        server.api("POST", f"/api/v1/products/{product_id}/items", token=token, json={"title": "Before", "kind": "story"})
        [seen] = stream.take(1)
        stream.close()
        for n in range(100):
            server.api("POST", f"/api/v1/products/{product_id}/items", token=token, json={"title": f"Away {n}", "kind": "story"})
        resumed = Stream(server, token, product_id, last_event_id=seen["id"])
        missed = resumed.take(100)
        assert [int(e["id"]) for e in missed] == list(range(int(seen["id"]) + 1, int(seen["id"]) + 101))
        server.api("POST", f"/api/v1/products/{product_id}/items", token=token, json={"title": "Live", "kind": "story"})
        [live] = resumed.take(1)
        assert int(live["id"]) == int(seen["id"]) + 101 and live["event"] == "item.created"
        # A number past the latest (as after a restore) says reset.
        ahead = Stream(server, token, product_id, last_event_id=10_000_000)
        [reset] = ahead.take(1)
        assert reset["event"] == "reset"
        resumed.close()
        ahead.close()
    finally:
        stop_server(server)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        return int(next(line for line in status if line.startswith("VmRSS:")).split()[1])


def test_two_hundred_streams_on_one_process_hold():
    server = start_server({"TANDEM_SSE_PER_PERSON": "300"})
    sockets = []
    try:
        token = sign_up(server, "Many")
        product_id = product(server, token)
        host, port = server.url.removeprefix("http://").split(":")
        # Warm the server up with a few streams first, so the figure is per stream, not the first stream's setup.
        before = rss_kib(server.process.pid)
        for _ in range(200):
            s = socket.create_connection((host, int(port)))
            s.sendall(f"GET /api/v1/products/{product_id}/events HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n".encode())
            sockets.append(s)
        opened = 0
        for s in sockets:
            s.settimeout(10)
            head = s.recv(4096)
            assert head.startswith(b"HTTP/1.1 200"), head[:200]
            opened += 1
        time.sleep(1)
        after = rss_kib(server.process.pid)
        assert server.api("POST", f"/api/v1/products/{product_id}/items", token=token, json={"title": "To all", "kind": "story"}).status_code == 201
        reached = 0
        deadline = time.monotonic() + 10
        pending = {s: b"" for s in sockets}
        while pending and time.monotonic() < deadline:
            ready, _, _ = select.select(list(pending), [], [], 0.5)
            for s in ready:
                pending[s] += s.recv(65536)
                if b"event: item.created" in pending[s]:
                    reached += 1
                    del pending[s]
        assert reached == 200, f"{reached} of 200 streams got the change"
        print(f"\n200 open streams: RSS {before} KiB before, {after} KiB after, {(after - before) / 200:.1f} KiB per stream")
        # One more stream still answers, and /healthz stays quick.
        assert requests.get(server.url + "/healthz", timeout=5).status_code == 200
    finally:
        for s in sockets:
            s.close()
        stop_server(server)
