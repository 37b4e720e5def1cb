"""The researcher web area: published cohort reports listed, read and downloaded by researchers
only, every view audited; an uncontrolled, changed or unlisted report or file is never served
(404 whatever the reason), and no path reaches outside a report."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from painpath.apps.audit.models import AuditEvent
from painpath.registry import published
from tests.integration.research.reports import Reports

pytestmark = pytest.mark.django_db

OTHER_ROLES = ("prescriber", "nurse", "admin", "charity", "patient")


def urls(report: str = "cohort-2026", filename: str = "outcomes.csv") -> list[str]:
    return [
        reverse("research:reports"),
        reverse("research:report", kwargs={"report": report}),
        reverse("research:file", kwargs={"report": report, "filename": filename}),
    ]


def research_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type__startswith="registry_report").order_by("id"))


def rewrite_manifest(folder: Path, **changes: object) -> None:
    path = folder / published.MANIFEST_NAME
    document = json.loads(path.read_text())
    document.update(changes)
    for entry in document["files"]:
        data = (folder / entry["name"]).read_bytes()
        entry["bytes"], entry["sha256"] = len(data), published.sha256_of(data)
    path.write_text(json.dumps(document))


def test_a_researcher_lists_published_reports_newest_first(
    cohort: published.PublishedReport,
    built: Reports,
    reports_root: Path,
    as_role: Callable[[str], Client],
) -> None:
    older = Path(shutil.copytree(built.controlled, reports_root.parent / "older"))
    rewrite_manifest(older, created="2025-06-30T09:00:00Z")
    published.publish(older, reports_root, "cohort-2025")
    response = as_role("researcher").get(reverse("research:reports"))
    assert response.status_code == 200
    page = response.content.decode()
    links = re.findall(r'href="(/research/reports/[^"]+)"', page)
    assert links == ["/research/reports/cohort-2026/", "/research/reports/cohort-2025/"]
    assert "30 June 2025, 09:00 UTC" in page and "synthetic (invented patients)" in page
    event = research_events()[-1]
    assert (event.action, event.object_type) == ("read", "registry_report_list")
    assert event.detail == {"reports": ["cohort-2026", "cohort-2025"]}


def test_with_no_report_published_the_list_says_how_one_is_published(
    reports_root: Path, as_role: Callable[[str], Client]
) -> None:
    page = as_role("researcher").get(reverse("research:reports")).content.decode()
    assert "No report has been published yet" in page and "painpath registry publish" in page


def test_the_report_page_embeds_the_report_and_links_every_download(
    cohort: published.PublishedReport, as_role: Callable[[str], Client]
) -> None:
    client = as_role("researcher")
    url = reverse("research:report", kwargs={"report": "cohort-2026"})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert page.count("<h1") == 1 and "Cohort report cohort-2026" in page
    assert "Disclosure control applied to every table and plot" in page
    assert "counts of 7 or fewer suppressed, others rounded to the nearest 5" in page
    assert len(re.findall(r"<img alt='[^']{40,}' src='data:image/png;base64,", page)) == 2
    assert page.count("<table") == len(cohort.manifest.tables)
    assert "<script" not in page.split("<main", 1)[1].split("</main>")[0]
    listed = re.findall(r'<a href="(/research/reports/cohort-2026/[^"]+)" download>', page)
    assert sorted(listed) == sorted(
        reverse("research:file", kwargs={"report": "cohort-2026", "filename": f.name})
        for f in cohort.manifest.downloads
    )
    # The report's own links (relative, e.g. outcomes.csv) resolve to the downloads too.
    for href in re.findall(r"<a href='([^']+)'>", page):
        assert client.get(urljoin(url, href)).status_code == 200, href
    event = next(e for e in research_events() if e.object_type == "registry_report")
    assert (event.action, event.object_id, event.detail) == ("read", "cohort-2026", {})


def test_every_download_is_the_published_file_as_an_attachment(
    cohort: published.PublishedReport, as_role: Callable[[str], Client]
) -> None:
    client = as_role("researcher")
    downloads = cohort.manifest.downloads
    assert {f.kind for f in downloads} == {"table", "data_dictionary", "plot", "report"}
    for entry in downloads:
        url = reverse("research:file", kwargs={"report": "cohort-2026", "filename": entry.name})
        response = client.get(url)
        assert response.status_code == 200, entry.name
        assert response.content == (cohort.path / entry.name).read_bytes()
        assert response["Content-Type"].startswith(entry.media_type)
        assert response["Content-Disposition"] == (
            f'attachment; filename="cohort-2026_{entry.name}"'
        )
        assert response["Cache-Control"] == "private, no-store"
    exports = [e for e in research_events() if e.action == "export"]
    assert [(e.object_id, e.detail["file"], e.detail["kind"]) for e in exports] == [
        ("cohort-2026", f.name, f.kind) for f in downloads
    ]


def test_an_uncontrolled_report_is_never_listed_or_served_even_by_direct_url(
    cohort: published.PublishedReport,
    built: Reports,
    reports_root: Path,
    as_role: Callable[[str], Client],
) -> None:
    shutil.copytree(built.uncontrolled, reports_root / "clinic-only")
    forged = Path(shutil.copytree(built.uncontrolled, reports_root / "forged"))
    rewrite_manifest(forged, disclosure_control=True)
    client = as_role("researcher")
    page = client.get(reverse("research:reports")).content.decode()
    assert "cohort-2026" in page and "clinic-only" not in page
    # The forged one passes the quick listing checks; it is refused when opened.
    for name in ("clinic-only", "forged"):
        for url in urls(name)[1:] + urls(name, "data_dictionary.csv")[2:]:
            response = client.get(url)
            assert response.status_code == 404, url
            assert b"Disclosure" not in response.content and b"n_paired" not in response.content
    denied = [e for e in research_events() if e.action == "denied"]
    assert {(e.object_id, e.detail["reason"]) for e in denied} == {
        ("clinic-only", "not_controlled"),
        ("forged", "not_controlled"),
    }


def test_a_report_changed_after_publication_is_not_served(
    cohort: published.PublishedReport, as_role: Callable[[str], Client]
) -> None:
    target = cohort.path / "baseline_scores.csv"
    data = target.read_bytes()
    target.write_bytes(data[:-2] + (b"9" if data[-2:-1] != b"9" else b"8") + data[-1:])
    client = as_role("researcher")
    for url in urls()[1:]:
        assert client.get(url).status_code == 404, url
    assert {e.detail.get("reason") for e in research_events() if e.action == "denied"} == {
        "tampered"
    }


@pytest.mark.parametrize(
    "path",
    [
        "/research/reports/cohort-2026/manifest.json",
        "/research/reports/cohort-2026/report_body.html",
        "/research/reports/cohort-2026/../manifest.json",
        "/research/reports/cohort-2026/%2e%2e%2fmanifest.json",
        "/research/reports/cohort-2026/..%2F..%2Fdata%2Fpatients.parquet",
        "/research/reports/cohort-2026/..%5C..%5Csecret.csv",
        "/research/reports/cohort-2026/%2Fetc%2Fpasswd",
        "/research/reports/cohort-2026/OUTCOMES.CSV",
        "/research/reports/cohort-2026/outcomes.csv%00.png",
        "/research/reports/%2e%2e/secret.csv",
        "/research/reports/..%2Fdata/patients.parquet",
        "/research/reports/../data/",
        "/research/reports/%2e%2e/",
        "/research/reports/data/",
        "/research/reports/data/patients.parquet",
        "/research/reports/Cohort-2026/",
        "/research/reports/linked/",
        "/research/reports/linked/outcomes.csv",
        "/research/reports/cohort-2026/linked.csv",
    ],
)
def test_path_traversal_attempts_are_refused(
    path: str,
    cohort: published.PublishedReport,
    built: Reports,
    reports_root: Path,
    as_role: Callable[[str], Client],
) -> None:
    # Beside the published report: an extract (no manifest), a secret file, a folder that
    # differs only in case, a symlink to a report outside, and a symlink inside the report.
    extract = built.controlled.parent / "data"
    shutil.copytree(extract, reports_root / "data")
    (reports_root / "secret.csv").write_text("pid,nhs_number\n")
    shutil.copytree(built.controlled, reports_root / "Cohort-2026")
    os.symlink(built.controlled, reports_root / "linked")
    os.symlink(reports_root / "secret.csv", cohort.path / "linked.csv")
    response = as_role("researcher").get(path)
    assert response.status_code == 404, (path, response.status_code)
    for secret in (b"nhs_number", b"PAR1", b'"format": "painpath-registry-report"'):
        assert secret not in response.content
    for event in research_events():
        assert event.object_id in ("", "cohort-2026", "data", "linked", "(invalid)")
        file = event.detail.get("file", "(invalid)")
        assert file == "(invalid)" or published.FILE_PATTERN.fullmatch(file), file


def test_every_other_role_is_refused_and_the_refusal_audited(
    cohort: published.PublishedReport, as_role: Callable[[str], Client]
) -> None:
    for role in OTHER_ROLES:
        client = as_role(role)
        for url in urls():
            response = client.get(url)
            assert response.status_code == 403, (role, url)
            assert b"cohort-2026_" not in response.content
    denied = [e for e in research_events() if e.action == "denied"]
    assert len(denied) == len(OTHER_ROLES) * 3
    assert {e.detail["reason"] for e in denied} == {"role"}
    assert {e.actor.role for e in denied} == set(OTHER_ROLES)
    anonymous = Client()
    for url in urls():
        response = anonymous.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(django_settings.LOGIN_URL)


def test_audit_events_hold_ids_and_codes_only(
    cohort: published.PublishedReport, as_role: Callable[[str], Client]
) -> None:
    client = as_role("researcher")
    for url in [*urls(), *urls("Robin Webtest")[1:], urls("cohort-2026", "Robin Webtest.csv")[2]]:
        client.get(url)
    events = research_events()
    assert len(events) == 6
    for event in events:
        assert event.patient_id is None
        assert set(event.detail) <= {"reports", "file", "kind", "reason", "view"}
        assert "Robin" not in json.dumps(event.detail) and "Robin" not in event.object_id


def test_the_researcher_home_page_links_to_the_reports(as_role: Callable[[str], Client]) -> None:
    page = as_role("researcher").get(reverse("accounts:home")).content.decode()
    assert f'href="{reverse("research:reports")}"' in page
    charity = as_role("charity").get(reverse("accounts:home")).content.decode()
    assert reverse("research:reports") not in charity


def test_the_reports_folder_setting_defaults_under_var(settings: Any) -> None:
    from painpath.config import settings as config

    assert Path(config.PAINPATH_REGISTRY_REPORTS_DIR) == config.VAR_DIR / "registry" / "reports"


def test_writes_are_refused(
    cohort: published.PublishedReport, as_role: Callable[[str], Client]
) -> None:
    client = as_role("researcher")
    for url in urls():
        assert client.post(url).status_code == 405
        assert client.delete(url).status_code == 405
    assert (cohort.path / "outcomes.csv").is_file()
