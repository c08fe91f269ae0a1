"""Starts the release `tandem` binary on a temporary database for the browser and API tests."""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid

import pytest
import requests

os.environ.setdefault("SE_AVOID_STATS", "true")

BINARY = os.environ.get("TANDEM_BIN", os.path.join(os.path.dirname(__file__), "..", ".build", "release", "tandem"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url, process, folder):
        self.url = url
        self.process = process
        self.folder = folder

    def api(self, method, path, token=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(method, self.url + path, headers=headers, timeout=10, **kwargs)


def start_server(extra_env=None, args=()):
    folder = tempfile.mkdtemp(prefix="tandem-e2e-")
    port = free_port()
    env = dict(os.environ)
    env.update({
        "TANDEM_DATABASE_URL": f"sqlite://{folder}/tandem.sqlite",
        "TANDEM_PORT": str(port),
        "TANDEM_BCRYPT_COST": "4",
        "TANDEM_LOG_LEVEL": "warning",
    })
    env.update(extra_env or {})
    log = open(os.path.join(folder, "server.log"), "w")
    process = subprocess.Popen([os.path.abspath(BINARY), "serve", *args], env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError("tandem exited: " + open(os.path.join(folder, "server.log")).read())
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                return Server(url, process, folder)
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("tandem did not become healthy in 60 s")


def fresh_postgres_database():
    """A new, empty database on the test PostgreSQL (scripts/test starts it), or the test is skipped without one."""
    base = os.environ.get("TANDEM_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("TANDEM_TEST_POSTGRES_URL is not set (scripts/test sets it)")
    name = "e2e_" + uuid.uuid4().hex[:10]
    subprocess.run(["psql", base, "-q", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    return base.rsplit("/", 1)[0] + "/" + name


def stop_server(server):
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
    shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    s = start_server()
    yield s
    stop_server(s)


@pytest.fixture()
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(3)
    yield driver
    driver.quit()


_counter = [0]


@pytest.fixture()
def unique():
    """A fresh suffix, so tests sharing one server never collide."""
    _counter[0] += 1
    return f"{int(time.time() * 1000) % 100000}{_counter[0]}"


def submit(driver, form):
    """Submits a form with its button and waits until the browser has left the page."""
    from selenium.webdriver.support.ui import WebDriverWait

    # A flag on the old window tells it apart from the new one: the old document can still answer
    # while the next one loads, and an element found in it then "does not belong to the document".
    driver.execute_script("window.__tandemBeforeSubmit = true")
    form.find_element("css selector", "button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        "return window.__tandemBeforeSubmit === undefined && document.readyState === 'complete'"))


def make_browser(width=1280, phone=False):
    """Headless Chromium at a desktop width, or emulating a 390-pixel-wide phone (a headless window is at least
    500 pixels wide, so the phone is Chromium's mobile emulation, not a narrow window)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={max(width, 500)},900"):
        options.add_argument(arg)
    if phone:
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0, "touch": True},
            "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
        })
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(3)
    return driver


@pytest.fixture(params=["desktop", "phone"])
def screen(request):
    """The same scenario at 1280 px and on a 390 px phone."""
    driver = make_browser(phone=request.param == "phone")
    driver.screen_name = request.param
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def demo_server():
    s = start_server(args=("--demo",))
    yield s
    stop_server(s)


def assert_accessible(driver, page):
    """axe-core finds no violation on the page the driver shows, and nothing is off-screen sideways."""
    from axe_selenium_python import Axe

    assert driver.execute_script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"), \
        f"nothing off-screen sideways on the {page} page"
    axe = Axe(driver)
    axe.inject()
    violations = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"]) for v in axe.run()["violations"]]
    assert violations == [], f"axe on the {page} page: {violations}"


def refusal(driver):
    """What a refused form says, wherever the page shows it: beside its field, atop its form, or (when the form is
    not on the page) at the top of the page. It is said once."""
    shown = [e.text for e in driver.find_elements("css selector", ".field-error, .form-error, .flash.error") if e.text]
    assert len(shown) == 1, f"a refusal is said once, not {len(shown)} times: {shown}"
    return shown[0]


CHART_CHECK = """
const problems = [];
let charts = 0;
for (const svg of document.querySelectorAll('svg.chart')) {
  if (!svg.getClientRects().length) { continue; }
  charts += 1;
  const name = (svg.querySelector('title') || {}).textContent || svg.id;
  const box = svg.getBoundingClientRect();
  const scale = box.width / svg.viewBox.baseVal.width;
  const boxes = [];
  for (const text of svg.querySelectorAll('text')) {
    const size = parseFloat(getComputedStyle(text).fontSize) * scale;
    const r = text.getBoundingClientRect();
    if (!text.textContent.trim()) { continue; }
    if (size < 11.95) { problems.push(`${name}: "${text.textContent}" is ${size.toFixed(1)} px`); }
    if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
      problems.push(`${name}: "${text.textContent}" is clipped`);
    }
    for (const other of boxes) {
      if (r.left < other.r.right - 0.5 && other.r.left < r.right - 0.5 && r.top < other.r.bottom - 0.5 && other.r.top < r.bottom - 0.5) {
        problems.push(`${name}: "${text.textContent}" overlaps "${other.text}"`);
      }
    }
    boxes.push({ r, text: text.textContent });
  }
}
return { charts, problems };
"""


def assert_charts_readable(driver, page, at_least=1):
    """Every chart shown: no text under 12 CSS px, no two labels' boxes intersecting, nothing clipped."""
    result = driver.execute_script(CHART_CHECK)
    assert result["charts"] >= at_least, f"{page}: {result['charts']} charts shown"
    assert result["problems"] == [], f"{page}: {result['problems'][:8]}"
    return result["charts"]


def shown_svg(driver, css):
    """The drawing of a chart the page shows at this size (each chart is drawn for a desktop card and for a phone)."""
    shown = [svg for svg in driver.find_elements("css selector", css) if svg.is_displayed()]
    assert len(shown) == 1, f"{css}: {len(shown)} drawings shown"
    return shown[0]
