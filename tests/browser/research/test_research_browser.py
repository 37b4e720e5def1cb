"""Browser journey: a researcher logs in, opens a published cohort report from their home page
and downloads a CSV table, with axe-core on the list and the report page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from painpath.registry import published
from tests.integration.research.reports import Reports, build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    return build(tmp_path_factory.mktemp("browser-reports"), patients=150)


@pytest.fixture
def cohort(built: Reports, settings: Any, tmp_path: Path) -> published.PublishedReport:
    settings.PAINPATH_REGISTRY_REPORTS_DIR = tmp_path / "published"
    return published.publish(built.controlled, tmp_path / "published", "cohort-2026")


def test_researcher_opens_a_report_and_downloads_a_csv(
    live_app: str,
    page: Any,
    login: Any,
    assert_no_axe_violations: Any,
    cohort: published.PublishedReport,
    tmp_path: Path,
) -> None:
    login(page, "researcher")
    page.get_by_role("link", name="Published cohort reports").click()
    page.get_by_role("heading", name="Published cohort reports").wait_for()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="cohort-2026").click()
    page.get_by_role("heading", name="Cohort report cohort-2026").wait_for()
    assert "Disclosure control applied" in page.locator("#disclosure-status").inner_text()
    assert page.get_by_role("img").count() == 2
    captions = page.locator("caption").all_inner_texts()
    assert "Outcomes by instrument and timepoint (change from baseline, paired)" in captions
    assert_no_axe_violations(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="outcomes.csv", exact=True).first.click()
    download = info.value
    assert download.suggested_filename == "cohort-2026_outcomes.csv"
    saved = tmp_path / "downloaded.csv"
    download.save_as(saved)
    assert saved.read_bytes() == (cohort.path / "outcomes.csv").read_bytes()
    assert saved.read_text().splitlines()[0].startswith("subgroup,level,instrument,timepoint,n,")
