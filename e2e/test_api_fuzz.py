"""Property-based requests generated from /openapi.json: no 5xx, and every answer fits the document."""
import os
import subprocess

from conftest import start_server, stop_server


def test_schemathesis_finds_no_server_error_or_undocumented_answer():
    # the fuzzer logs in with many made-up accounts from one address; the limits are tested elsewhere
    server = start_server(args=("--demo",), extra_env={"TANDEM_LOGIN_LIMIT": "1000000", "TANDEM_LOGIN_ADDRESS_LIMIT": "1000000"})
    try:
        login = server.api("POST", "/api/v1/sessions", json={"email": "po@tandem.demo", "password": "tandem-demo"}).json()
        token = server.api("POST", "/api/v1/tokens", token=login["token"], json={"name": "fuzz"}).json()["token"]
        binary = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".venv", "bin", "schemathesis")
        result = subprocess.run(
            [
                binary, "run", server.url + "/openapi.json",
                "-H", f"Authorization: Bearer {token}",
                "-n", "30", "--generation-deterministic",
                "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                # the fuzzer must not log itself out
                "--exclude-operation-id", "logOut", "--exclude-operation-id", "revokeToken",
            ],
            capture_output=True, text=True, timeout=600,
        )
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
        assert "Authentication failed" not in result.stdout, result.stdout[-3000:]
    finally:
        stop_server(server)
