"""`tandem import jira` against the release binary with the hand-written fixtures in Tests/Fixtures/jira: a dry run
writes nothing, the import gives the backlog and the team's velocity, a second run updates instead of adding, and a
broken or cut-off file is refused with its line and writes nothing."""
import os

from conftest import start_server, stop_server
from test_backup import run

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "jira")


def fixture(name):
    return os.path.join(FIXTURES, name)


def test_a_jira_export_becomes_a_product_with_its_sprint_history(tmp_path):
    database = f"sqlite://{tmp_path}/tandem.sqlite"
    made = run(["user", "create", "--email", "ana@orbit.example", "--name", "Ana Lima", "--password-stdin"], database, input="correct-horse-1\n")
    assert made.returncode == 0, made.stderr
    create = ["--product", "ORB", "--create", "Orbit", "--owner", "ana@orbit.example", "--team", "Rockets"]

    assert run(["import", "jira", fixture("jira-cloud.csv"), "--product", "ORB", "--create", "Orbit"], database).returncode == 64, "--create needs --owner"
    dry = run(["import", "jira", fixture("jira-cloud.csv"), *create, "--dry-run"], database)
    assert dry.returncode == 0 and "Would import 9 issues" in dry.stdout and "Dry run: nothing was written." in dry.stdout, dry.stdout + dry.stderr
    done = run(["import", "jira", fixture("jira-cloud.csv"), *create], database)
    print(done.stdout)
    assert done.returncode == 0 and "9 new items" in done.stdout and "4 imported as closed" in done.stdout, done.stdout + done.stderr
    assert "ORB Sprint 4: 2024-11-15 to 2024-11-28 (dates from its issues)" in done.stdout
    assert "1 kept as text on their parents" in done.stdout and "1 to issues outside the file left out" in done.stdout
    again = run(["import", "jira", fixture("jira-server-latin1.csv"), "--product", "ORB"], database)
    assert again.returncode == 0 and "0 new items" in again.stdout and "Estimated Story Points" in again.stdout, again.stdout + again.stderr

    broken = run(["import", "jira", fixture("jira-broken.csv"), "--product", "ORB"], database)
    assert broken.returncode == 65 and "line 2, Created: “32/Oct/24 9:00 AM”" in broken.stderr and "line 5, Custom field (Epic Link)" in broken.stderr
    cut = run(["import", "jira", fixture("jira-cut-off.csv"), "--product", "ORB"], database)
    assert cut.returncode == 65 and "never closed" in cut.stderr
    assert run(["import", "jira", fixture("jira-cloud.csv"), "--product", "NOPE"], database).returncode == 65

    server = start_server({"TANDEM_DATABASE_URL": database})
    try:
        token = server.api("POST", "/api/v1/sessions", json={"email": "ana@orbit.example", "password": "correct-horse-1"}).json()["token"]
        product = server.api("GET", "/api/v1/products", token=token).json()["items"][0]
        team = server.api("GET", f"/api/v1/products/{product['id']}", token=token).json()["teams"][0]["id"]
        velocity = server.api("GET", f"/api/v1/teams/{team}/velocity", token=token).json()
        assert [s["donePoints"] for s in velocity["sprints"]] == [5, 11, 13, 6] and velocity["sayDoRatio"] is None
        forecast = server.api("POST", f"/api/v1/products/{product['id']}/forecasts", token=token, json={"mode": "when", "remainingPoints": 40, "teamId": team})
        assert forecast.status_code in (200, 201), forecast.text
        items = server.api("GET", f"/api/v1/products/{product['id']}/backlog?status=open,planned,done", token=token).json()["items"]
        assert len(items) == 9 and items[1]["title"] == "Pay with a saved card"
    finally:
        stop_server(server)
