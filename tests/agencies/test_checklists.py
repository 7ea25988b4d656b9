"""The records checklists per technology (fixtures/reference/checklists.json)."""

import re

import pytest

from rtcc_requests.agencies.models import ChecklistItem, Technology
from rtcc_requests.demo.data import reference_load

pytestmark = pytest.mark.django_db

# A citation in `basis` names a code and a section: "Civ. Code §1798.90.51(b)".
CITATION = re.compile(r"^(?:Civ\. Code|Gov\. Code) §§?\d[\d.]*(?:\([a-z0-9]+\))*")


@pytest.fixture
def checklists():
    reference_load()
    return list(ChecklistItem.objects.select_related("technology"))


def test_every_item_has_a_source_with_a_title(checklists):
    assert len(checklists) >= 30
    for item in checklists:
        assert item.sources, item
        assert all(source.get("title", "").strip() for source in item.sources), item


def test_an_item_that_cites_a_law_has_that_law_among_its_sources(checklists):
    # The basis is a checked citation, and its source lets a reader check it too.
    for item in (i for i in checklists if i.basis):
        assert CITATION.match(item.basis), item.basis
        first_section = re.search(r"§§?(\d[\d.]*\d)", item.basis).group(1)
        assert any(first_section in s["title"] for s in item.sources), item


def test_the_fresno_technologies_and_military_equipment_each_have_a_checklist(checklists):
    covered = {item.technology.slug for item in checklists}
    assert {
        "automated-license-plate-readers",
        "military-equipment",
        "real-time-crime-center",
        "gunshot-detection",
        "body-worn-cameras",
        "predictive-policing",
        "threat-scoring",
        "camera-network",
        "social-media-monitoring",
    } <= covered


def test_the_posted_policies_are_published_duties(checklists):
    duties = {(i.technology.slug, i.key) for i in checklists if i.published_duty}
    assert ("automated-license-plate-readers", "usage-privacy-policy") in duties
    assert ("military-equipment", "use-policy") in duties
    assert ("military-equipment", "annual-report") in duties
    # A contract is a public record, but no law makes the agency post it.
    assert ("automated-license-plate-readers", "contract") not in duties


def test_loading_twice_keeps_one_copy_and_positions_run_in_order(checklists):
    reference_load()
    assert ChecklistItem.objects.count() == len(checklists)
    alpr = Technology.objects.get(slug="automated-license-plate-readers")
    positions = list(alpr.checklist.values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))
