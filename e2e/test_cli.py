"""The CLI as an operator uses it: demo seeding, usage errors, configuration errors, user administration."""
import json
import os
import subprocess
import tempfile

import pytest
import requests

from conftest import BINARY, start_server, stop_server


def run(*args, env=None, stdin=None):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([os.path.abspath(BINARY), *args], env=full_env, input=stdin, capture_output=True, text=True, timeout=60)


def test_demo_is_seeded_once_and_survives_a_restart():
    first = start_server(args=("--demo",))
    try:
        login = requests.post(first.url + "/api/v1/sessions", json={"email": "po@tandem.demo", "password": "tandem-demo"}, timeout=10)
        assert login.status_code == 201
        token = login.json()["token"]
        products = requests.get(first.url + "/api/v1/products", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()["items"]
        assert [p["key"] for p in products] == ["DEMO"]
    finally:
        first.process.terminate()
        first.process.wait(timeout=15)
    # same folder, second start: nothing duplicated, the session still valid
    env = {"TANDEM_DATABASE_URL": f"sqlite://{first.folder}/tandem.sqlite"}
    second = start_server(extra_env=env, args=("--demo",))
    try:
        products = requests.get(second.url + "/api/v1/products", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()["items"]
        assert [p["key"] for p in products] == ["DEMO"]
        demo = requests.get(second.url + f"/api/v1/products/{products[0]['id']}", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
        people = {m["email"] for t in demo["teams"] for m in t["members"]} | {m["email"] for m in demo["members"]}
        assert {"po@tandem.demo", "sm@tandem.demo", "dev1@tandem.demo", "dev4@tandem.demo", "stakeholder@tandem.demo"} <= people
        # The demo team's own history forecasts from the command line, read from the same database.
        team = demo["teams"][0]["id"]
        forecast = run("forecast", "--team", team, "--remaining", "60", "--seed", "5", "--json", env=env)
        assert forecast.returncode == 0, forecast.stderr
        levels = json.loads(forecast.stdout)["percentiles"]
        assert 2 <= levels["50"] <= levels["85"] <= levels["95"] <= 6, "60 points at the demo's 11 to 26 a sprint"
    finally:
        stop_server(second)
        stop_server(first)


def test_unknown_flags_are_usage_errors():
    result = run("serve", "--no-such-flag")
    assert result.returncode == 64
    assert "Usage" in result.stderr or "usage" in result.stderr.lower()
    assert run("serve", "--port", "not-a-number").returncode == 64


def test_bad_database_url_names_the_variable():
    result = run("serve", env={"TANDEM_DATABASE_URL": "mysql://nope"})
    assert result.returncode == 78
    assert "TANDEM_DATABASE_URL" in result.stderr
    assert "postgres://USER:PASS@HOST:PORT/DB" in result.stderr


def test_user_create_and_reset_password():
    folder = tempfile.mkdtemp(prefix="tandem-cli-")
    env = {"TANDEM_DATABASE_URL": f"sqlite://{folder}/t.sqlite", "TANDEM_BCRYPT_COST": "4", "TANDEM_LOG_LEVEL": "error"}
    created = run("user", "create", "--email", "ops@example.com", "--name", "Ops", "--password-stdin", env=env, stdin="correct-horse\n")
    assert created.returncode == 0, created.stderr
    again = run("user", "create", "--email", "OPS@example.com", "--name", "Ops", "--password-stdin", env=env, stdin="correct-horse\n")
    assert again.returncode != 0 and "already exists" in again.stderr
    short = run("user", "create", "--email", "x@example.com", "--name", "X", "--password-stdin", env=env, stdin="short\n")
    assert short.returncode != 0 and "password" in short.stderr
    reset = run("user", "reset-password", "--email", "ops@example.com", "--password-stdin", env=env, stdin="battery-staple\n")
    assert reset.returncode == 0, reset.stderr
    migrate = run("migrate", env=env)
    assert migrate.returncode == 0 and "up to date" in migrate.stdout


def test_forecast_prints_levels_and_exact_json():
    when = run("forecast", "--velocities", "21,18,25,30", "--remaining", "120", "--seed", "42", "--json")
    assert when.returncode == 0, when.stderr
    assert json.loads(when.stdout) == {"mode": "when", "percentiles": {"50": 6, "85": 6, "95": 7}, "trials": 10000, "seed": 42}
    plain = run("forecast", "--velocities", "21,18,25,30", "--remaining", "120", "--seed", "42", "--json", "--method", "plain")
    assert json.loads(plain.stdout)["percentiles"] == {"50": 6, "85": 6, "95": 6}, "today's resampling, for comparison"
    assert run("forecast", "--velocities", "21,18,25,30", "--remaining", "120", "--seed", "42", "--json").stdout == when.stdout, "a fixed seed, a fixed answer"
    much = json.loads(run("forecast", "--velocities", "21,18,25,30", "--sprints", "3", "--seed", "7", "--json").stdout)
    assert much["mode"] == "howMuch" and much["percentiles"]["50"] >= much["percentiles"]["85"] >= much["percentiles"]["95"] >= 54
    table = run("forecast", "--velocities", "21,18,25,30", "--remaining", "120", "--trials", "500", "--seed", "1")
    assert table.returncode == 0 and "85% |" in table.stdout and "500 trials" in table.stdout
    for bad, why in [(("--velocities", "", "--sprints", "2"), "at least one number"), (("--velocities", "21,-3,4", "--remaining", "5"), "negative"),
                     (("--velocities", "a,b,c", "--remaining", "5"), "not a number"), (("--velocities", "1,2,3", "--sprints", "0"), "--sprints"),
                     (("--velocities", "0,0,0", "--remaining", "10"), "finished nothing")]:
        result = run("forecast", *bad)
        assert result.returncode == 64 and why in result.stderr, (bad, result.returncode, result.stderr)


def test_forecast_reads_a_teams_sprints_and_backtest_replays_a_history(tmp_path):
    url = f"sqlite://{tmp_path}/t.sqlite"
    assert run("migrate", env={"TANDEM_DATABASE_URL": url}).returncode == 0
    missing = run("forecast", "--team", "nope", "--remaining", "10", env={"TANDEM_DATABASE_URL": url})
    assert missing.returncode == 64 and "nope" in missing.stderr
    history = tmp_path / "history.csv"
    history.write_text("project,week_start,done\n" + "".join(f"A,2020-01-{d:02d},{5 + d % 3}\n" for d in range(1, 21)))
    result = run("backtest", str(history), "--horizon", "2", "--trials", "200")
    assert result.returncode == 0, result.stderr
    assert "forecasts of the next h periods" in result.stdout and "   2 | calibrated |" in result.stdout and "   2 | plain " in result.stdout and "pinball" in result.stdout
    tasks = tmp_path / "tasks.csv"
    tasks.write_text('"id","project","created_date","finished_date"\n' + "".join(f'"T{n}",0,2020-01-01,2020-{1 + n // 28:02d}-{1 + n % 28:02d}\n' for n in range(300)))
    sprints = run("backtest", str(tasks), "--sprints-from-tasks", "--horizons", "1,3", "--trials", "200")
    assert sprints.returncode == 0 and "   3 | calibrated |" in sprints.stdout, sprints.stderr
    assert run("backtest", str(tmp_path / "none.csv")).returncode == 64


def test_forecast_and_backtest_answer_every_input_quickly_or_say_why(tmp_path):
    """Found by probing: huge numbers crashed the formatter, and binning past 2^53 never ended."""
    for velocities, mode in [("1e308,1e308,1e308", ("--remaining", "5")), ("1e16,1e16,1e16", ("--sprints", "3", "--trials", "10")),
                             ("inf,1,2", ("--remaining", "5")), ("nan,1,2", ("--sprints", "2"))]:
        result = run("forecast", "--velocities", velocities, *mode)
        assert result.returncode == 64 and "--velocities" in result.stderr, (velocities, result.returncode, result.stderr)
    big = run("forecast", "--velocities", "1e9,1e9,999999999", "--sprints", "200", "--trials", "1000", "--json")
    assert big.returncode == 0 and json.loads(big.stdout)["percentiles"]["50"] >= 1.9e11, big.stderr
    tiny = run("forecast", "--velocities", "1e-320,1e-320,1e-320", "--remaining", "5")
    assert tiny.returncode == 64 and "200 sprints" in tiny.stderr
    cases = {
        "empty.csv": ("", "empty"),
        "header.csv": ("project,week_start,done\n", "line 1"),
        "period.csv": ("project,week_start,done\nA,2020-01-01,3\nA,soon,4\n", "line 3"),
        "digits.csv": ("project,week_start,done\nA,2020-01-01," + "9" * 2000 + "\n", "line 2"),
        "huge.csv": ("project,week_start,done\n" + "".join(f"A,{n},1e20\n" for n in range(1, 30)), "line 2"),
    }
    for name, (text, where) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        result = run("backtest", str(path), "--trials", "100")
        assert result.returncode == 65 and where in result.stderr, (name, result.returncode, result.stderr[:300])
