"""The OpenAPI document is valid, and the running server's answers match it."""
import jsonschema
import pytest
from openapi_spec_validator import validate


@pytest.fixture(scope="module")
def spec(server):
    document = server.api("GET", "/openapi.json").json()
    validate(document)
    return document


def check(spec, path, method, response):
    """The answer's status is documented for the operation and its body fits the schema."""
    operation = spec["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method.upper()} {path} answered undocumented {status}: {response.text}"
    content = operation["responses"][status].get("content")
    if content is None:
        assert response.text == ""
        return
    schema = dict(content["application/json"]["schema"])
    schema["components"] = spec["components"]
    jsonschema.validate(response.json(), schema, cls=jsonschema.Draft202012Validator)


def test_scenario_matches_the_document(server, spec, unique):
    def call(method, path, template, token=None, **kw):
        response = server.api(method.upper(), path, token=token, **kw)
        check(spec, template, method, response)
        return response

    email = f"api{unique}@example.com"
    user = call("post", "/api/v1/users", "/api/v1/users", json={"email": email, "password": "correct-horse", "displayName": "Api"}).json()
    call("post", "/api/v1/users", "/api/v1/users", json={"email": email, "password": "correct-horse", "displayName": "Api"})
    call("post", "/api/v1/users", "/api/v1/users", data="{not json", headers={"Content-Type": "application/json"})
    call("post", "/api/v1/sessions", "/api/v1/sessions", json={"email": email, "password": "wrong-password"})
    token = call("post", "/api/v1/sessions", "/api/v1/sessions", json={"email": email, "password": "correct-horse"}).json()["token"]
    call("get", "/api/v1/me", "/api/v1/me", token)
    call("get", "/api/v1/me", "/api/v1/me")

    product = call("post", "/api/v1/products", "/api/v1/products", token, json={"name": "Atlas", "key": f"A{unique}"[:10]}).json()
    pid = product["id"]
    call("post", "/api/v1/products", "/api/v1/products", token, json={"name": "Atlas", "key": "bad key"})
    call("get", "/api/v1/products", "/api/v1/products", token)
    call("get", f"/api/v1/products/{pid}", "/api/v1/products/{productId}", token)
    team = call("post", f"/api/v1/products/{pid}/teams", "/api/v1/products/{productId}/teams", token, json={"name": "Rockets"}).json()
    call("get", f"/api/v1/teams/{team['id']}", "/api/v1/teams/{teamId}", token)

    other = f"dev{unique}@example.com"
    other_user = call("post", "/api/v1/users", "/api/v1/users", json={"email": other, "password": "correct-horse", "displayName": "Dev"}).json()
    call("post", f"/api/v1/teams/{team['id']}/members", "/api/v1/teams/{teamId}/members", token, json={"email": other, "accountability": "developer"})
    call("post", f"/api/v1/teams/{team['id']}/members", "/api/v1/teams/{teamId}/members", token, json={"email": other, "accountability": "chief"})
    call("post", f"/api/v1/products/{pid}/members", "/api/v1/products/{productId}/members", token, json={"email": other, "accountability": "productOwner"})
    call("delete", f"/api/v1/teams/{team['id']}/members/{other_user['id']}", "/api/v1/teams/{teamId}/members/{userId}", token)
    call("post", f"/api/v1/products/{pid}/members", "/api/v1/products/{productId}/members", token, json={"email": other, "accountability": "stakeholder"})
    call("delete", f"/api/v1/products/{pid}/members/{other_user['id']}", "/api/v1/products/{productId}/members/{userId}", token)
    call("put", f"/api/v1/products/{pid}/product-owner", "/api/v1/products/{productId}/product-owner", token, json={"userId": user["id"]})

    api_token = call("post", "/api/v1/tokens", "/api/v1/tokens", token, json={"name": "ci"}).json()
    call("get", "/api/v1/tokens", "/api/v1/tokens", token)
    call("delete", f"/api/v1/tokens/{api_token['id']}", "/api/v1/tokens/{tokenId}", token)
    call("delete", "/api/v1/sessions/current", "/api/v1/sessions/current", token)


def test_health_and_metrics(server):
    health = server.api("GET", "/healthz").json()
    assert health == {"status": "ok", "database": "sqlite"}
    metrics = server.api("GET", "/metrics")
    assert metrics.status_code == 200 and "hb_requests" in metrics.text
