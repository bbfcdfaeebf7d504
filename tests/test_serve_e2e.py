"""The workbench end to end in a real headless Chromium (Debian's chromium + chromium-driver).

``anjuan serve --no-browser`` runs on a generated month in its own process; the browser opens a
case, sees the quote highlighted on the PDF page, dismisses the finding with the keyboard (d, the
reason, Enter), presses Regenerate, and the opinion no longer carries the finding while
``anjuan findings history`` records the dismissal. Skipped only when chromium is not installed.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                       reason="chromium and chromium-driver are not installed (apt-get install -y chromium "
                              "chromium-driver, or sh .ci/sysdeps.sh browser)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"anjuan serve exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"anjuan serve did not answer at {url}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    from pipeline.run.commands import generate_corpus
    from pipeline.run.review import ReviewSettings, review_archive

    root = tmp_path_factory.mktemp("e2e")
    generate_corpus(6, "2024-06", 3, root / "corpus")
    out, db = root / "out", root / "anjuan.db"
    review_archive(root / "corpus" / "archive", out, ReviewSettings(db_path=db, month="2024-06", jobs=1,
                                                                    progress=False))
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", str(out), "--db", str(db),
                             "--port", str(port), "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    try:
        _wait(f"http://127.0.0.1:{port}/", proc)
        yield {"url": f"http://127.0.0.1:{port}", "out": out, "db": db, "archive": root / "corpus" / "archive"}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture()
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="anjuan-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in FLAGS + (f"--user-data-dir={profile}",):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _target(served) -> tuple[str, int, dict]:
    """A case and finding whose first quote stands on a PDF text page and is in the opinion."""
    from pipeline.write.docx import docx_text

    with (served["out"] / "cases.jsonl").open(encoding="utf-8") as fh:
        cases = [json.loads(line) for line in fh]
    for c in cases:
        sources = {d["path"]: d["text_source"] for d in c["documents"]}
        opinion = docx_text(served["out"] / "评查意见书" / f"{c['case_id']}.docx")
        for i, f in enumerate(c["findings"]):
            ev = f["evidence"][:1]
            if (ev and sources.get(ev[0]["document"].split("#")[0]) == "pdf_text" and len(ev[0]["quote"]) > 3
                    and f["message"] in opinion):
                return c["case_id"], i, f
    pytest.skip("the generated month has no finding in an opinion that quotes a PDF text page")


def test_serve_e2e_dismiss_with_the_keyboard_then_regenerate(served, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from pipeline.cli import cli
    from pipeline.write.docx import docx_text

    case_id, index, finding = _target(served)
    wait = WebDriverWait(browser, 120)

    # open the month page, then the case, on the finding
    browser.get(served["url"] + "/")
    browser.find_element(By.CSS_SELECTOR, f'a[href="/case/{case_id}"]').click()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "li.finding")))
    browser.find_element(By.CSS_SELECTOR, f"#f{index} a.jump").click()
    wait.until(lambda d: f"f={index}" in d.current_url)

    # the quote is highlighted on the page image, inside the image
    image = wait.until(ec.visibility_of_element_located((By.ID, "page-image")))
    wait.until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image))
    marks = browser.find_elements(By.CSS_SELECTOR, ".sheet .hl")
    assert marks and all(m.is_displayed() for m in marks)
    img, first = image.rect, marks[0].rect
    assert first["width"] > 2 and first["height"] > 2
    assert img["x"] <= first["x"] <= img["x"] + img["width"] and img["y"] <= first["y"] <= img["y"] + img["height"]
    assert not browser.find_elements(By.ID, "quote-aside")

    # d focuses the reason, typing it and Enter dismisses the finding
    ActionChains(browser).send_keys("d").perform()
    active = browser.switch_to.active_element
    assert active.get_attribute("name") == "reason"
    active.send_keys("经核对原件，告知内容无误（端到端测试）" + Keys.ENTER)
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, f"#f{index}.dec-dismissed")))
    assert "已排除" in browser.find_element(By.CSS_SELECTOR, f"#f{index} .state").text

    # Regenerate: the opinion no longer carries the finding
    browser.find_element(By.ID, "regenerate").click()
    wait.until(lambda d: "/outputs" in d.current_url)
    assert "已重新生成" in browser.find_element(By.TAG_NAME, "h1").text
    link = browser.find_element(By.CSS_SELECTOR, "p.mine a")
    assert link.text == f"评查意见书/{case_id}.docx"
    opinion = docx_text(served["out"] / "评查意见书" / f"{case_id}.docx")
    assert finding["message"] not in opinion

    # the CLI's history shows the workbench's decision
    history = CliRunner().invoke(cli, ["findings", "history", case_id, "--db", str(served["db"])])
    assert history.exit_code == 0
    assert f"{case_id}  {finding['check_id']}  排除" in history.output
    assert "经核对原件，告知内容无误（端到端测试）" in history.output
    if os.environ.get("ANJUAN_SCREENSHOTS"):
        browser.save_screenshot(str(Path(os.environ["ANJUAN_SCREENSHOTS"]) / "outputs.png"))


def test_serve_e2e_keys_move_confirm_undo_and_go_to_the_next_case(served, browser):
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from pipeline.store.db import Store

    with (served["out"] / "cases.jsonl").open(encoding="utf-8") as fh:
        cases = [json.loads(line) for line in fh]
    with Store.open(served["db"]) as st:
        decided = {cid for (cid, _chk), d in st.decisions().items() if d["decision"]}
    case = next((c for c in cases if len({f["check_id"] for f in c["findings"]}) >= 2
                 and c["case_id"] not in decided), None)
    if case is None:
        pytest.skip("no undecided case with two different check ids")
    wait = WebDriverWait(browser, 120, ignored_exceptions=(StaleElementReferenceException, NoSuchElementException))
    browser.get(f"{served['url']}/case/{case['case_id']}?f=0")

    def press(key: str) -> None:
        ActionChains(browser).send_keys(key).perform()

    def selected() -> str:
        return browser.find_element(By.CSS_SELECTOR, "li.finding.sel").get_attribute("id")

    press("j")
    wait.until(lambda d: selected() == "f1")
    press("k")
    wait.until(lambda d: selected() == "f0")
    press("a")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#f0.dec-confirmed"))
    assert "已确认" in browser.find_element(By.CSS_SELECTOR, "#f0 .state").text
    browser.get(f"{served['url']}/case/{case['case_id']}?f=0")
    press("u")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#f0 .state")
               and "待审核" in d.find_element(By.CSS_SELECTOR, "#f0 .state").text)
    press("n")
    wait.until(lambda d: f"/case/{case['case_id']}" not in d.current_url)
    assert "/case/" in browser.current_url
    from pipeline.cli import cli

    history = CliRunner().invoke(cli, ["findings", "history", case["case_id"], "--db", str(served["db"])])
    check_id = case["findings"][0]["check_id"]
    assert f"{case['case_id']}  {check_id}  确认" in history.output
    assert f"{case['case_id']}  {check_id}  撤销" in history.output
