"""Each kind of profile rendered to PDF, turned into PNG pages (pdftoppm) and text (pdftotext):
the main parts are there and no count of 1 to 7 is shown under the public policy."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from healthgap.reports.render import render_profile
from tests.reports.stores import SMALL_LSOA, make_store, reference

PDFTOPPM, PDFTOTEXT = shutil.which("pdftoppm"), shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(
    PDFTOPPM is None or PDFTOTEXT is None,
    reason="SKIPPED LOUDLY: poppler-utils (pdftoppm, pdftotext) missing;"
    " `make install` or `apt-get install -y poppler-utils` installs them",
)
PARTS = (
    "Key facts",
    "Map",
    "Indicators against the ICB and England",
    "The inequality gap",
    "Top priorities",
    "Methods and data",
    "Data vintages",
    "Disclosure statement",
)
KINDS = {
    "E01000002": ("Neighbourhood profile (LSOA)", "Walsall 001B"),
    "E02000002": ("Neighbourhood profile (MSOA)", "Walsall 002"),
    "E08000030": ("Place profile (local authority)", "Walsall"),
    "E54000062": ("Integrated care board profile", "Test ICB"),
}
# A whole number on its own: not part of a decimal, a period (2025/26), a percentage or a word.
WHOLE = re.compile(r"(?<![\d.,/\w])(\d{1,3}(?:,\d{3})*|\d+)(?![\d,/%\w]|\.\d)")
COUNT_CELL = re.compile(r'<td class="num count">([^<]*)</td>')


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("results")
    make_store(root)
    return root


def render(store: Path, code: str, fmt: str, policy: str = "public") -> bytes:
    return render_profile(
        store, code, fmt=fmt, policy=policy, reference=reference(), today=date(2026, 12, 7)
    )


def pdf_text(pdf: Path) -> str:
    done = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def table_text(text: str) -> str:
    """The text of the indicator and priority tables (header row to the note after them), page
    footers and the priorities' positions ("1.", "2.") removed."""
    lines = [ln for ln in text.splitlines() if not re.search(r"Page \d+ of \d+", ln)]
    # Labels, not counts: "two doses by age 5", group "Aged 5", "best IMD quintile (5)".
    lines = [re.sub(r"\b(?:[Aa]ged?|quintile|decile) \(?\d+\)?", " ", ln) for ln in lines]
    text = "\n".join(lines)
    section = text[text.index(PARTS[2]) : text.index("Spine chart: the black line")]
    parts = [section[section.index("\nIndicator ") :]]
    if "Potential to benefit" in text:
        rows = text[text.index("Potential to benefit") : text.index(PARTS[5])]
        parts.append(re.sub(r"(?m)^\s*\d+\.\s", " ", rows))
    return "\n".join(parts)


def small_numbers(text: str) -> list[int]:
    """Whole numbers 1 to 7 in `text` (see WHOLE)."""
    values = [int(m.replace(",", "")) for m in WHOLE.findall(text)]
    return [v for v in values if 1 <= v <= 7]


def test_the_small_number_check_finds_what_it_should() -> None:
    text = "Flu 2025/26   3   6   50.0 (95% CI 18.8 to 81.2)  1,234  aged 65  7.1  95%  5"
    assert small_numbers(text) == [3, 6, 5]
    page = "Indicators against the ICB and England\nIndicator Count\nby age 5 Aged 5 quintile (5) 4"
    assert small_numbers(
        table_text(page + "\nSpine chart: the black line\nThe inequality gap")
    ) == [4]


@needs_poppler
@pytest.mark.parametrize("code", list(KINDS))
def test_each_kind_renders_to_pdf_with_every_part_and_no_small_counts(
    store: Path, code: str, tmp_path: Path
) -> None:
    pdf = tmp_path / "profile.pdf"
    pdf.write_bytes(render(store, code, "pdf"))
    assert pdf.read_bytes().startswith(b"%PDF-")
    subprocess.run([PDFTOPPM, "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages and all(p.read_bytes().startswith(b"\x89PNG") for p in pages)
    text = pdf_text(pdf)
    kind, name = KINDS[code]
    for part in (*PARTS, kind.upper(), name, code, "Disclosure policy: public"):
        assert part in text, part
    assert "England: not published" in text  # a one-ICB run, flu has no published figure
    assert "7.1" in text and "House of Commons Library" in text  # diabetes: published figure
    assert small_numbers(table_text(text)) == []


@needs_poppler
def test_without_disclosure_control_the_small_count_shows(store: Path, tmp_path: Path) -> None:
    # The control for the test above: the same check does find LSOA 002A's 3 of 6 under "none".
    pdf = tmp_path / "small.pdf"
    pdf.write_bytes(render(store, SMALL_LSOA, "pdf", policy="none"))
    text = pdf_text(pdf)
    assert "Disclosure control is OFF" in text
    assert 3 in small_numbers(table_text(text)) and 6 in small_numbers(table_text(text))
    pdf.write_bytes(render(store, SMALL_LSOA, "pdf"))
    assert small_numbers(table_text(pdf_text(pdf))) == []


@pytest.mark.parametrize("code", [SMALL_LSOA, "E02000002", "E08000030"])
def test_html_count_cells_hold_no_small_counts(store: Path, code: str) -> None:
    html = render(store, code, "html").decode("utf-8")
    cells = COUNT_CELL.findall(html)
    assert cells, "the indicator table has count cells"
    for cell in cells:
        assert cell == "*" or int(cell.replace(",", "")) == 0 or int(cell.replace(",", "")) >= 8
        assert cell == "*" or int(cell.replace(",", "")) % 5 == 0  # rounded to 5
    assert "<script" not in html


def test_the_small_lsoa_shows_its_count_only_without_disclosure_control(store: Path) -> None:
    public = COUNT_CELL.findall(render(store, SMALL_LSOA, "html").decode("utf-8"))
    everything = COUNT_CELL.findall(render(store, SMALL_LSOA, "html", "none").decode("utf-8"))
    assert "*" in public and "3" not in public
    assert "3" in everything and "6" in everything
