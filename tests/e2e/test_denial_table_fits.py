"""The denial log's table fits the page on a desktop and on a phone, long text and all."""

import pytest
from playwright.sync_api import expect

from rtcc_requests.demo.data import demo_setup
from rtcc_requests.requests.models import Determination, RecordsRequest

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
LONG_TITLE = (
    "Automated license plate reader audit logs, hotlists, data-sharing agreements and "
    "retention schedules for every Fresno County agency, 2015 to 2026"
)
LONG_OFFICIAL = "Alexandria Bartholomew-Featherstonehaugh, Senior Deputy City Attorney"


@pytest.mark.parametrize("size", SIZES)
def test_the_table_stays_inside_the_page(page, screenshot, live_server, size):
    demo_setup()
    denied = RecordsRequest.objects.filter(determinations__kind="denial").first()
    RecordsRequest.objects.filter(pk=denied.pk).update(title=LONG_TITLE)
    Determination.objects.filter(request=denied, kind="denial").update(
        official_name=LONG_OFFICIAL, other_exemptions="Evidence Code section 1040 " * 4
    )
    page.set_viewport_size(SIZES[size])
    page.goto("/denials/")
    expect(page.locator("tr.denial-row").first).to_be_visible()
    screenshot(f"{size}-denial-log")

    # The page's container is the one the header and footer use: the log once widened its
    # own to 96rem, so on a desktop it ran past them on both sides.
    fits = page.evaluate(
        """() => {
          const nav = document.querySelector("header .nav").getBoundingClientRect();
          const main = document.querySelector("main").getBoundingClientRect();
          const table = document.querySelector("table.denials");
          const wrap = table.closest(".table-wrap").getBoundingClientRect();
          return {
            page: document.documentElement.scrollWidth <= window.innerWidth,
            main: main.left >= nav.left - 1 && main.right <= nav.right + 1,
            wrap: wrap.right <= main.right + 1,
            table: table.getBoundingClientRect().right <= main.right + 1,
          };
        }"""
    )
    assert fits["page"] and fits["main"] and fits["wrap"], fits
    if size == "desktop":
        # On a desktop the whole table shows: no hidden columns to scroll to.
        assert fits["table"], fits
