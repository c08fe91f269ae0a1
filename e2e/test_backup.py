"""Backup and restore of a live SQLite instance with the release binary: a backup taken during a storm of writes
holds every write acknowledged before it began and passes SQLite's integrity check; restoring it is all or nothing,
refuses a database in use without --force, and a server running on the target sees the restored data."""
import os
import sqlite3
import subprocess
import tempfile
import threading
import time
import uuid

import pytest
import requests

from conftest import BINARY, fresh_postgres_database, start_server, stop_server


def run(args, database, **kwargs):
    env = dict(os.environ, TANDEM_DATABASE_URL=database, TANDEM_LOG_LEVEL="warning")
    return subprocess.run([os.path.abspath(BINARY), *args], env=env, capture_output=True, text=True, timeout=120, **kwargs)


def owner(server):
    email = f"po-{uuid.uuid4().hex[:8]}@example.com"
    assert server.api("POST", "/api/v1/users", json={"email": email, "password": "correct-horse", "displayName": "Paula"}).status_code == 201
    token = server.api("POST", "/api/v1/sessions", json={"email": email, "password": "correct-horse"}).json()["token"]
    product = server.api("POST", "/api/v1/products", token=token, json={"name": "Backups", "key": "BAK"}).json()["id"]
    return token, product


def test_a_backup_during_a_storm_holds_every_acknowledged_write_and_restores():
    server = start_server()
    database = f"sqlite://{server.folder}/tandem.sqlite"
    backup = os.path.join(server.folder, "backup.sqlite")
    try:
        token, product = owner(server)
        acknowledged = []  # (time the answer arrived, item id)
        stop = threading.Event()

        def storm(n):
            while not stop.is_set():
                try:
                    answer = server.api("POST", f"/api/v1/products/{product}/items", token=token, json={"title": f"Storm {n}", "kind": "story"})
                except requests.RequestException:
                    return
                if answer.status_code == 201:
                    acknowledged.append((time.time(), answer.json()["id"]))

        threads = [threading.Thread(target=storm, args=(n,)) for n in range(3)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        began = time.time()
        made = run(["backup", "--to", backup], database)
        time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join()
        assert made.returncode == 0, made.stderr
        print(made.stdout.strip())
        before = {item for at, item in acknowledged if at < began}
        assert len(before) > 20 and len(acknowledged) > len(before), "writes went on before and during the backup"
        copy = sqlite3.connect(backup)
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        saved = {row[0] for row in copy.execute("SELECT id FROM backlog_items")}
        copy.close()
        assert before <= saved, f"{len(before - saved)} writes acknowledged before the backup began are missing"

        # A backup never overwrites.
        again = run(["backup", "--to", backup], database)
        assert again.returncode == 73 and "exists" in again.stderr

        # Restored into a fresh database: the same items, and a server there serves them.
        fresh = tempfile.mkdtemp(prefix="tandem-restore-")
        target = f"sqlite://{fresh}/tandem.sqlite"
        restored = run(["restore", backup], target)
        assert restored.returncode == 0, restored.stderr
        check = sqlite3.connect(f"{fresh}/tandem.sqlite")
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert {row[0] for row in check.execute("SELECT id FROM backlog_items")} == saved
        check.close()

        # The live server's database holds data: restoring over it needs --force, and then the server shows the backup.
        refused = run(["restore", backup], database)
        assert refused.returncode == 65 and "--force" in refused.stderr
        count = lambda: server.api("GET", f"/api/v1/products/{product}/backlog?limit=1", token=token).json()
        total_before = len(acknowledged)
        forced = run(["restore", backup, "--force"], database)
        assert forced.returncode == 0, forced.stderr
        latest = server.api("GET", f"/api/v1/products/{product}/changes?limit=1", token=token).json()["latestSeq"]
        copy = sqlite3.connect(backup)
        assert latest == copy.execute("SELECT revision FROM product_changes WHERE product_id = ?", (product,)).fetchone()[0]
        copy.close()
        assert total_before > len(saved) - 1

        # Not a Tandem database: refused, nothing written.
        junk = os.path.join(server.folder, "junk.sqlite")
        sqlite3.connect(junk).execute("CREATE TABLE t (x)").connection.commit()
        assert run(["restore", junk, "--force"], database).returncode == 65
        text = os.path.join(server.folder, "notes.txt")
        open(text, "w").write("not a database at all\n")
        refused_text = run(["restore", text, "--force"], database)
        assert refused_text.returncode == 65 and "not a Tandem database" in refused_text.stderr, refused_text.stderr[-500:]
        assert server.api("GET", f"/api/v1/products/{product}/changes?limit=1", token=token).json()["latestSeq"] == latest
    finally:
        stop_server(server)


def test_backup_on_postgresql_points_to_pg_dump():
    base = os.environ.get("TANDEM_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("TANDEM_TEST_POSTGRES_URL is not set (scripts/test sets it)")
    answer = run(["backup", "--to", "/tmp/never.sqlite"], base)
    assert answer.returncode == 64 and "pg_dump" in answer.stderr


def test_copy_to_postgresql_gives_equal_tables_and_the_same_pages():
    target = fresh_postgres_database()
    demo = start_server(args=("--demo",))
    database = f"sqlite://{demo.folder}/tandem.sqlite"
    try:
        token = demo.api("POST", "/api/v1/sessions", json={"email": "po@tandem.demo", "password": "tandem-demo"}).json()["token"]
        product = demo.api("GET", "/api/v1/products", token=token).json()["items"][0]["id"]
        pages = ["/backlog?limit=200", "/partnership", "/changes?limit=200"]
        before = {page: demo.api("GET", f"/api/v1/products/{product}{page}", token=token).json() for page in pages}
        started = time.time()
        copied = run(["copy", "--to", target], database)
        print(f"copy took {time.time() - started:.1f} s")
        assert copied.returncode == 0, copied.stdout[-3000:] + copied.stderr[-3000:]
        lines = [line for line in copied.stdout.splitlines()[1:] if line.strip() and not line.startswith("Copied")]
        assert lines and all(line.endswith("yes") for line in lines), copied.stdout
        assert any(line.startswith("backlog_items") for line in lines)
        # Copying again into the now full database is refused, and changes nothing.
        again = run(["copy", "--to", target], database)
        assert again.returncode == 65 and "not empty" in again.stderr
        # A server on the copy answers as the original did, to the same session token.
        copy = start_server({"TANDEM_DATABASE_URL": target})
        try:
            for page in pages:
                assert copy.api("GET", f"/api/v1/products/{product}{page}", token=token).json() == before[page], page
        finally:
            stop_server(copy)
    finally:
        stop_server(demo)


def titles_on(server, token, exported_id):
    """The backlog titles of the one product on an instance (its id is new there)."""
    product = server.api("GET", "/api/v1/products", token=token).json()["items"][0]["id"]
    assert product != exported_id
    return [i["title"] for i in server.api("GET", f"/api/v1/products/{product}/backlog?limit=200", token=token).json()["items"]]


def test_export_from_the_command_line_matches_the_api():
    demo = start_server(args=("--demo",))
    database = f"sqlite://{demo.folder}/tandem.sqlite"
    try:
        out = os.path.join(demo.folder, "demo.json")
        made = run(["export", "--product", "demo", "--out", out], database)
        assert made.returncode == 0, made.stderr
        print(made.stderr.strip())
        import json
        document = json.load(open(out))
        assert document["format"] == "tandem-export" and document["version"] == 1 and document["product"]["key"] == "DEMO"
        assert len(document["items"]) > 50 and len(document["sprints"]) >= 9 and document["changes"][-1]["seq"] == len(document["changes"])
        token = demo.api("POST", "/api/v1/sessions", json={"email": "po@tandem.demo", "password": "tandem-demo"}).json()["token"]
        api = demo.api("GET", f"/api/v1/products/{document['product']['id']}/export", token=token).json()
        assert {k: v for k, v in api.items() if k != "exportedAt"} == {k: v for k, v in document.items() if k != "exportedAt"}
        missing = run(["export", "--product", "NOPE"], database)
        assert missing.returncode == 65 and "not found" in missing.stderr

        # Back in as a new product, on the same instance: the same backlog order under the new key.
        imported = run(["import", "tandem", out, "--as", "COPY"], database)
        assert imported.returncode == 0, imported.stderr
        print(imported.stdout.strip())
        products = demo.api("GET", "/api/v1/products", token=token).json()["items"]
        copy = next(p for p in products if p["key"] == "COPY")
        titles = lambda pid: [i["title"] for i in demo.api("GET", f"/api/v1/products/{pid}/backlog?limit=200", token=token).json()["items"]]
        assert titles(copy["id"]) == titles(document["product"]["id"])
        again = run(["import", "tandem", out, "--as", "COPY"], database)
        assert again.returncode == 65 and "COPY exists already" in again.stderr
        half = os.path.join(demo.folder, "half.json")
        open(half, "wb").write(open(out, "rb").read()[:50000])
        broken = run(["import", "tandem", half, "--as", "HALF"], database)
        assert broken.returncode == 65 and "Nothing was imported" in broken.stderr
        assert len(demo.api("GET", "/api/v1/products", token=token).json()["items"]) == 2

        # Into another instance: its people get accounts that cannot log in until their password is reset.
        other = tempfile.mkdtemp(prefix="tandem-import-")
        elsewhere = f"sqlite://{other}/tandem.sqlite"
        moved = run(["import", "tandem", out], elsewhere)
        assert moved.returncode == 0 and "7 new accounts" in moved.stdout, moved.stdout + moved.stderr
        assert run(["user", "reset-password", "--email", "po@tandem.demo", "--password-stdin"], elsewhere, input="a-new-password-1\n").returncode == 0
        server = start_server({"TANDEM_DATABASE_URL": elsewhere})
        try:
            assert server.api("POST", "/api/v1/sessions", json={"email": "sm@tandem.demo", "password": "tandem-demo"}).status_code == 401
            fresh = server.api("POST", "/api/v1/sessions", json={"email": "po@tandem.demo", "password": "a-new-password-1"}).json()["token"]
            assert titles_on(server, fresh, document["product"]["id"]) == titles(document["product"]["id"])
        finally:
            stop_server(server)
    finally:
        stop_server(demo)
