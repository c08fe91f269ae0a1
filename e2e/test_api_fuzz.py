"""Schemathesis against the demo server: every check, every phase (examples, coverage, fuzzing and the stateful
phase that follows the document's links), at least 50 examples per operation, and no failure allowed."""
import os
import subprocess

from conftest import start_server, stop_server

HERE = os.path.dirname(os.path.abspath(__file__))


def test_schemathesis_finds_nothing_with_every_check_and_phase():
    # the fuzzer logs in with many made-up accounts from one address; the limits are tested elsewhere
    server = start_server(args=("--demo",), extra_env={"TANDEM_LOGIN_LIMIT": "1000000", "TANDEM_LOGIN_ADDRESS_LIMIT": "1000000"})
    try:
        login = server.api("POST", "/api/v1/sessions", json={"email": "po@tandem.demo", "password": "tandem-demo"}).json()
        token = server.api("POST", "/api/v1/tokens", token=login["token"], json={"name": "fuzz"}).json()["token"]
        binary = os.path.join(HERE, "..", ".venv", "bin", "schemathesis")
        result = subprocess.run(
            [
                binary, "--config-file", os.path.join(HERE, "schemathesis.toml"), "run", server.url + "/openapi.json",
                "-H", f"Authorization: Bearer {token}",
                "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful",
                "--max-examples", "50", "--generation-deterministic",
                # the fuzzer must not log itself out, nor hand its own product to someone else (every later request
                # the Product Owner may make would then rightly be refused with 403); an event stream stays open by
                # design, so it is exercised by test_event_streams.py rather than waited on here; a webhook's address
                # is looked up and then sent to, and tests send to loopback only, so hooks are made by
                # test_webhooks.py and WebhookTests (the fuzzer still reads, rotates and deletes made-up ones)
                "--exclude-operation-id", "logOut", "--exclude-operation-id", "revokeToken", "--exclude-operation-id", "handOverProductOwner",
                "--exclude-operation-id", "streamEvents", "--exclude-operation-id", "createWebhook", "--exclude-operation-id", "updateWebhook",
            ],
            capture_output=True, text=True, timeout=1200, cwd=server.folder,
        )
        summary = [line for line in result.stdout.splitlines() if " in " in line and ("passed" in line or "failure" in line or "error" in line)]
        print("schemathesis:", summary[-1] if summary else "(no summary line)")
        assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
        assert "Authentication failed" not in result.stdout, result.stdout[-3000:]
    finally:
        stop_server(server)
