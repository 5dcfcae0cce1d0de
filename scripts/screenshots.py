# ruff: noqa: TID251  (a tool of the web app: it sets Django up to load the demo)
"""Screenshots of the web app's main pages, for docs/screenshots/ and the README.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--results DIR] [--keep]
    .venv/bin/python scripts/screenshots.py --mobile     # 375 px wide, full page, to mobile/

1. A temporary var folder (HEALTHGAP_VAR_DIR) holds a fresh SQLite database and a copy of the
   NHS Black Country results store: `--results`, else `var/results/black-country` when it has been
   published; without one, the pipeline runs into the temporary folder (`healthgap population
   synth --icb E54000062 --seed 1`, unless var/population/black-country exists, then
   `healthgap indicators run`). Priorities are added to the copy when the store has none.
2. `migrate` and `load_demo` (demo directory, programmes, library, accounts and the results).
3. `runserver` on a free localhost port; Debian's chromium (Playwright, never `playwright
   install`) signs in as each role and saves a 1280×900 PNG of each page (`--mobile`: a
   full-page PNG 375 px wide, as on a phone, under docs/screenshots/mobile/).

Nothing outside the temporary folder and `--out` is written. The demo passwords are public.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ICB = "E54000062"  # NHS Black Country ICB: the demo's ICB
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTH = 1280
MOBILE_WIDTH = 375  # a small phone (iPhone SE/mini class), CSS pixels
MOBILE_MAX_HEIGHT = 4000  # long pages (the audit log, profiles) are cut here


@dataclass(frozen=True)
class Shot:
    file: str  # PNG name under --out
    role: str  # a demo username, or "public"
    path: str  # the page
    wait_for: str = ""  # a CSS selector to wait for (the atlas map's canvas)
    height: int = 900  # of the viewport, in CSS pixels (the width is always 1280)


def run(*args: object, env: dict[str, str]) -> None:
    print("+", " ".join(map(str, args)), flush=True)
    subprocess.run([str(a) for a in args], check=True, env=env, cwd=ROOT)


def prepare_results(var: Path, source: Path, env: dict[str, str]) -> None:
    """A copy of the results store (or a new run) at var/results/black-country, with priorities."""
    target = var / "results" / "black-country"
    if (source / "CURRENT").is_file():
        shutil.copytree(source, target)
    else:
        population = ROOT / "var" / "population" / "black-country"
        if not (population / "manifest.json").is_file():
            population = var / "population" / "black-country"
            run(BIN / "healthgap", "population", "synth", "--icb", ICB, "--seed", "1",
                "--out", population, env=env)  # fmt: skip
        run(BIN / "healthgap", "indicators", "run", "--population", population,
            "--out", target, env=env)  # fmt: skip
    live = (target / "CURRENT").read_text().strip()
    if not (target / "versions" / live / "priorities.parquet").is_file():
        run(BIN / "healthgap", "priorities", "--results", target, "--top", "3", env=env)


def load_database(env: dict[str, str]) -> list[Shot]:
    """Migrate and load the demo in this process, then pick the pages worth showing."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count
    from django.urls import reverse

    from healthgap.web.accounts.models import User
    from healthgap.web.action.models import Activity, Programme
    from healthgap.web.need.models import Priority
    from healthgap.web.tokens.actions import create_token

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo")
    partner = User.objects.get(username="partner")
    create_token(by=partner, user=partner, name="Weekly activity import")
    partner_org = partner.organisation
    busiest = (
        Activity.objects.exclude(lsoa21="")
        .values("lsoa21")
        .annotate(n=Count("pk"))
        .order_by("-n", "lsoa21")
        .first()
    )
    programme = Programme.objects.filter(lead_organisation=partner_org).first()
    top = Priority.objects.order_by("rank").first()
    shots = [
        Shot("home.png", "public", reverse("core:home")),
        Shot("directory.png", "public", reverse("directory:organisation-list")),
        Shot(
            "organisation.png",
            "public",
            reverse("directory:organisation-detail", args=[partner_org.pk]),
        ),
        Shot("programmes.png", "public", reverse("action:programme-list")),
        Shot("insights.png", "public", reverse("action:insight-summary")),
        Shot("atlas.png", "analyst", reverse("need:atlas"), "#atlas-map canvas", height=1400),
        Shot("priorities.png", "public", reverse("need:priority-list"), height=1500),
        Shot("cold-spots.png", "public", reverse("need:cold-spots")),
        Shot("library.png", "public", reverse("library:case-study-list")),
        Shot("account-tokens.png", "partner", reverse("tokens:account")),
        Shot("audit-log.png", "admin", reverse("audit:log")),
    ]
    if busiest is not None:
        area = reverse("need:area", args=[busiest["lsoa21"]])
        shots += [
            Shot("neighbourhood.png", "analyst", area, height=1600),
            Shot("neighbourhood-public.png", "public", area, height=1600),
        ]
    if top is not None:
        shots.append(
            Shot(
                "brokering.png",
                "analyst",
                reverse("need:priority-detail", args=[top.pk]),
                height=1700,
            )
        )
    if programme is not None:
        path = reverse("action:activity-create", args=[programme.pk])
        shots.append(Shot("record-activity.png", "partner", path))
    return shots


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"screenshots: the server stopped (exit {server.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"screenshots: no answer from {url} after {seconds:.0f} s.")


def take(base_url: str, shots: list[Shot], out: Path, width: int = WIDTH) -> None:
    from playwright.sync_api import sync_playwright

    from healthgap.web.demo.data import load_data

    passwords = {account.username: account.password for account in load_data().accounts}
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for role in dict.fromkeys(shot.role for shot in shots):
            context = browser.new_context(
                base_url=base_url, viewport={"width": width, "height": 900}
            )
            page = context.new_page()
            if role != "public":
                page.goto("/accounts/login/")
                page.get_by_label("Username").fill(role)
                page.get_by_label("Password").fill(passwords[role])
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_load_state("networkidle")
            for shot in (s for s in shots if s.role == role):
                page.set_viewport_size({"width": width, "height": shot.height})
                response = page.goto(shot.path)
                if response is None or not response.ok:
                    sys.exit(f"screenshots: {shot.path} as {role} answered {response}.")
                page.wait_for_load_state("networkidle")
                if shot.wait_for:
                    page.wait_for_selector(shot.wait_for)
                    page.wait_for_timeout(1500)  # let the map finish drawing and fitting
                if width == WIDTH:
                    page.screenshot(path=out / shot.file)
                else:  # the whole page as a phone scrolls it, cut at MOBILE_MAX_HEIGHT
                    height = page.evaluate("() => document.documentElement.scrollHeight")
                    clip = {
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": min(height, MOBILE_MAX_HEIGHT),
                    }
                    page.screenshot(path=out / shot.file, full_page=True, clip=clip)
                print(f"  {out / shot.file}  ({role}: {shot.path})", flush=True)
            context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--results", type=Path, default=ROOT / "var" / "results" / "black-country")
    parser.add_argument("--keep", action="store_true", help="keep the temporary var folder")
    parser.add_argument("--mobile", action="store_true", help="375 px wide, to OUT/mobile/")
    options = parser.parse_args()
    width, out = (MOBILE_WIDTH, options.out / "mobile") if options.mobile else (WIDTH, options.out)
    if not Path(CHROMIUM).is_file():
        sys.exit(f"screenshots: {CHROMIUM} is missing (apt-get install chromium).")

    var = Path(tempfile.mkdtemp(prefix="healthgap-screenshots-"))
    env = {k: v for k, v in os.environ.items() if k != "HEALTHGAP_DATABASE_URL"}
    env |= {
        "HEALTHGAP_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "healthgap.web.settings",
        "HEALTHGAP_DEBUG": "",
    }
    server = None
    try:
        prepare_results(var, options.results, env)
        shots = load_database(env)
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "python"), "-m", "healthgap.web", "runserver", f"127.0.0.1:{port}",
             "--noreload"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base_url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base_url}/api/status", server)
        take(base_url, shots, out, width)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        if options.keep:
            print(f"screenshots: kept {var}")
        else:
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
