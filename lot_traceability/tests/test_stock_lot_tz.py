# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One time-zone rule: events in the zone of the warehouse where they happened (its address,
else the company's, else UTC), screens in the user's, "today" in the zone an export reads.

The company sits in Los Angeles; a second warehouse in Scranton, Pennsylvania, has its own
address in New York's zone; a third warehouse has an address without a zone.
"""
from datetime import datetime
from io import BytesIO

import openpyxl
import pytz
from hypothesis import given, settings, strategies as st

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import common

from ..models.stock_lot_tz import _parse_datetime
from .common import TraceabilityCase, unique


def _read(parse, text):
    try:
        return parse(text)
    except ValueError as error:
        return type(error)


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.datetimes().map(fields.Datetime.to_string),
    st.datetimes().map(lambda value: value.isoformat(" ")),  # with microseconds
    st.dates().map(fields.Date.to_string),
    st.from_regex(r"\A\d{4}-\d\d-\d\d[ T]\d\d[:+-]\d\d[:.]\d\d\d*\Z"),
    st.sampled_from(["2026-12-04 10+01:00", "2026-02-29 10:00:00", "2026-12-04 24:00:00",
                     "2026-12-04T10:00:00", "0000-01-01 00:00:00"]),
    st.text(max_size=25)))
def test_dates_are_read_as_odoo_reads_them(text):
    """The exports' fast reading of UTC strings gives Odoo's datetime, or fails as Odoo's."""
    assert _read(_parse_datetime, text) == _read(fields.Datetime.from_string, text)


# After the install: while Odoo 11 installs a module its locations' parent_left/right are
# not computed yet, so stock.location.get_warehouse() cannot find a new warehouse.
@common.at_install(False)
@common.post_install(True)
class TestStockLotTz(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestStockLotTz, cls).setUpClass()
        cls.Tz = cls.env["stock.lot.tz"]
        cls.company = cls.env.user.company_id
        cls.company.partner_id.tz = "America/Los_Angeles"
        cls.scranton = cls._create_warehouse("Scranton", "America/New_York")
        cls.no_zone = cls._create_warehouse("Nozone", False)
        cls.tomatoes = cls._create_product("Tomatoes", uom=cls.uom_kg,
                                           fsma_food_traceability=True)

    @classmethod
    def _create_warehouse(cls, name, tz):
        partner = cls._create_partner(name, tz=tz, street="1725 Slough Ave", city=name)
        code = unique("W")[-5:]
        return cls.env["stock.warehouse"].create({
            "name": unique(name), "code": code, "partner_id": partner.id})

    def test_event_zone_of_the_warehouse(self):
        """A location takes its warehouse's zone, else the company's; never the user's."""
        user = self.trace_user
        user.tz = "Asia/Tokyo"
        Tz = self.Tz.sudo(user)
        self.assertEqual(Tz._get_event_tz(self.scranton.lot_stock_id), "America/New_York")
        child = self._create_location("Cold Room", parent=self.scranton.lot_stock_id)
        self.assertEqual(Tz._get_event_tz(child), "America/New_York")
        self.assertEqual(Tz._get_event_tz(self.scranton), "America/New_York")
        self.assertEqual(Tz._get_event_tz(self.no_zone.lot_stock_id), "America/Los_Angeles")
        production = self.env.ref("stock.location_production")
        self.assertEqual(Tz._get_event_tz(production), "America/Los_Angeles")
        self.assertEqual(Tz._get_event_tz(self.env["stock.location"]), "America/Los_Angeles")
        self.company.partner_id.tz = False
        self.assertEqual(Tz._get_event_tz(self.no_zone.lot_stock_id), "UTC")
        self.assertEqual(Tz._get_event_tz(self.scranton.lot_stock_id), "America/New_York")

    def test_company_and_user_zones(self):
        """Days are read in the company's zone (its main warehouse); screens use the
        context's zone, else the user's, else the company's."""
        self.assertEqual(self.Tz._get_company_tz(), self.Tz._get_event_tz(self.warehouse))
        user = self.trace_user
        user.tz = False
        self.assertEqual(self.Tz.sudo(user)._get_user_tz(), self.Tz._get_company_tz())
        user.tz = "Asia/Tokyo"
        self.assertEqual(self.Tz.sudo(user)._get_user_tz(), "Asia/Tokyo")
        self.assertEqual(self.Tz.sudo(user).with_context(tz="Europe/Brussels")._get_user_tz(),
                         "Europe/Brussels")
        self.assertEqual(self.Tz.with_context(tz="Not/AZone")._get_user_tz(), "UTC")

    def test_conversions_and_periods(self):
        """Local times, calendar days and the UTC bounds of local days (DST included)."""
        ny = "America/New_York"
        self.assertEqual(self.Tz._to_local("2026-03-10 01:10:00", ny),
                         datetime(2026, 3, 9, 21, 10))
        self.assertEqual(self.Tz._date_of("2026-03-10 01:10:00", ny), "2026-03-09")
        self.assertEqual(self.Tz._date_of("2026-03-10 23:30:00", "Asia/Tokyo"), "2026-03-11")
        self.assertEqual(self.Tz._period_utc("2026-03-09", "2026-03-09", ny),
                         ("2026-03-09 04:00:00", "2026-03-10 04:00:00"))
        # 8 March 2026: clocks go forward in New York, the day lasts 23 hours.
        self.assertEqual(self.Tz._period_utc("2026-03-08", "2026-03-08", ny),
                         ("2026-03-08 05:00:00", "2026-03-09 04:00:00"))
        self.assertIsNone(self.Tz._to_local(False, ny))

    def test_warehouse_time(self):
        """An hour of a day counted from today at a warehouse, in UTC: 08:00 in New York
        is 12:00 or 13:00 UTC (summer or winter time), on today's date in New York."""
        Tz = self.Tz.sudo(self.trace_user)
        ny = pytz.timezone("America/New_York")
        when = fields.Datetime.from_string(Tz.warehouse_time(self.scranton.id, days=-3, hour=8))
        local = pytz.utc.localize(when).astimezone(ny)
        self.assertEqual((local.hour, local.minute), (8, 0))
        today = fields.Date.from_string(Tz._today("America/New_York"))
        self.assertEqual((today - local.date()).days, 3)
        for bad in ({"hour": 24}, {"days": "3"}, {"hour": -1}):
            with self.assertRaisesRegex(UserError, "warehouse_time: (hour|days)"):
                Tz.warehouse_time(self.scranton.id, **bad)
        with self.assertRaisesRegex(UserError, "no Warehouse with id"):
            Tz.warehouse_time(10 ** 9)

    def test_wizard_today_is_the_export_day(self):
        """The FSMA 204 export's default "today" is today where the export reads its days,
        whatever the user's zone: a user without a zone still finds today's receipt."""
        user = self.trace_user
        user.tz = False
        tz = self.env["stock.lot.fsma"]._get_period_tz()
        expected = datetime.now(pytz.utc).astimezone(pytz.timezone(tz)).date()
        wizard = self.env["stock.lot.fsma.export"].sudo(user).create({})
        self.assertEqual(wizard.date_to, fields.Date.to_string(expected))
        lot = self._create_lot(self.tomatoes, supplier_lot_code=unique("FARM"))
        receipt = self._receive(self.tomatoes, [(lot, 5.0)])
        rows = self.env["stock.lot.fsma"].sudo(user).fsma_events(
            wizard.date_to, wizard.date_to, lot_ids=lot.ids)["rows"]
        self.assertEqual([row["event_id"] for row in rows], ["REC-" + receipt.name])

    def test_fsma_rows_in_the_warehouse_zone(self):
        """A receipt into the Pennsylvania warehouse is dated in New York's zone, not in the
        company's Los Angeles zone, and falls in the period of that local day: the day an
        event is written with is the day it is listed under."""
        lot = self._create_lot(self.tomatoes, supplier_lot_code=unique("FARM"))
        picking = self.env["stock.picking"]._create_done_transfer(
            self.scranton.in_type_id, self.supplier, [(self.tomatoes, 5.0, lot)],
            location_dest=self.scranton.lot_stock_id)
        self._backdate(picking.move_line_ids, "2026-03-10 06:30:00")
        Fsma = self.env["stock.lot.fsma"].sudo(self.trace_user)
        rows = Fsma.fsma_events("2026-03-10", "2026-03-10", lot_ids=lot.ids)["rows"]
        self.assertEqual([(row["date"], row["tz"]) for row in rows],
                         [("2026-03-10 02:30:00", "America/New_York")])
        self.assertEqual(Fsma.fsma_events("2026-03-09", "2026-03-09", lot_ids=lot.ids)["rows"],
                         [])

    def test_trace_export_dates_in_the_warehouse_zone(self):
        """The trace XLSX dates a receipt and a delivery in the zone of their warehouse."""
        lot = self._create_lot(self.tomatoes)
        receipt = self.env["stock.picking"]._create_done_transfer(
            self.scranton.in_type_id, self.supplier, [(self.tomatoes, 5.0, lot)],
            location_dest=self.scranton.lot_stock_id)
        delivery = self.env["stock.picking"]._create_done_transfer(
            self.scranton.out_type_id, self.customer, [(self.tomatoes, 2.0, lot)],
            location=self.scranton.lot_stock_id)
        self._backdate(receipt.move_line_ids, "2026-03-10 06:30:00")
        self._backdate(delivery.move_line_ids, "2026-03-11 12:00:00")
        content, _kind = self.env.ref("lot_traceability.stock_lot_trace_xlsx_action").sudo(
            self.trace_user).render_xlsx(lot.ids, {})
        book = openpyxl.load_workbook(BytesIO(content))
        upstream = [list(row) for row in book["Upstream"].iter_rows(values_only=True)]
        self.assertEqual((upstream[1][4], upstream[1][-1]),
                         (datetime(2026, 3, 10, 2, 30), "America/New_York"), "EDT, UTC-4")
        shipments = [list(row) for row in book["Shipments"].iter_rows(values_only=True)]
        self.assertEqual((shipments[1][3], shipments[1][-1]),
                         (datetime(2026, 3, 11, 8, 0), "America/New_York"))

    def test_recall_export_starts_on_the_export_day(self):
        """A recall opens the FSMA 204 export from the first movement's day in the zone the
        export reads, not in the user's."""
        self.trace_user.tz = "Asia/Tokyo"
        lot = self._create_lot(self.tomatoes)
        receipt = self._receive(self.tomatoes, [(lot, 5.0)])
        self._backdate(receipt.move_line_ids, "2026-03-10 03:00:00")
        recall = self.env["stock.lot.recall"].sudo(self.trace_user).create(
            {"lot_ids": [(6, 0, lot.ids)]})
        context = recall.action_fsma_export()["context"]
        expected = self.Tz._date_of("2026-03-10 03:00:00", self.Tz._get_company_tz())
        self.assertEqual(context["default_date_from"], expected)
        self.assertEqual(expected, "2026-03-09", "main warehouse in Los Angeles' zone")
