# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The lot page: where the lot went (through a build and a split), big fans summarised on
the server, empty sections that say so, and the buttons that apply."""
import json
from datetime import datetime

from odoo.exceptions import UserError

from ..models import stock_lot_page
from ..models.stock_lot_page import ROW_LIMIT
from .common import TraceabilityCase


class TestStockLotPage(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        """Apples build a jam batch, split into 30 jars: 25 jars go to the grocer, one to
        the deli, four stay on the shelf."""
        super(TestStockLotPage, cls).setUpClass()
        cls.apples = cls._create_product("Apples", uom=cls.uom_kg)
        cls.jam = cls._create_product("Jam")
        cls.apple = cls._create_lot(cls.apples)
        cls._receive(cls.apples, [(cls.apple, 50)])
        cls.batch = cls._create_lot(cls.jam)
        cls._transform_as_mrp([(cls.apple, 20)], [(cls.batch, 30)])
        cls.jars = cls._split(cls.batch, unit_count=30)
        cls.grocer = cls._create_partner("Grocer", customer=True)
        cls.deli = cls._create_partner("Deli", customer=True)
        cls._deliver(cls.jam, [(jar, 1) for jar in cls.jars[:25]], partner=cls.grocer)
        cls.deli_delivery = cls._deliver(cls.jam, [(cls.jars[25], 1)], partner=cls.deli)

    def _details(self, lot):
        return self.env["stock.lot.trace"].sudo(self.trace_user).lot_details(lot.id)

    def test_downstream_customers_through_build_and_split(self):
        """The apple lot's page names both customers of the jars, with the path to them."""
        went = self._details(self.apple)["downstream"]
        self.assertEqual(went["customers"], sorted([self.grocer.display_name,
                                                    self.deli.display_name]))
        self.assertEqual((went["count"], went["customer_count"]), (26, 2))
        self.assertTrue(went["summarised"], "26 deliveries are more than %s" % ROW_LIMIT)
        groups = {row["partner_id"]: row for row in went["by_customer"]}
        self.assertEqual((groups[self.grocer.id]["lot_count"], groups[self.grocer.id]["qty"],
                          groups[self.grocer.id]["uom"]), (25, 25.0, "Unit(s)"))
        self.assertEqual(groups[self.deli.id]["path"],
                         [self.apple.name, self.batch.name, self.jars[25].name])
        self.assertEqual(self._details(self.apple)["shipped_to"], [],
                         "the apples themselves were not shipped")

    def test_customers_counted_beyond_those_named(self):
        """The page names the first customers it sends and counts them all: with one name
        sent, '26 delivery lines to 2 customers (... and 1 more)' (a wide recall's page
        said 100 customers where there were 5,000)."""
        limit = stock_lot_page.GROUP_LIMIT
        stock_lot_page.GROUP_LIMIT = 1
        try:
            went = self._details(self.apple)["downstream"]
            html = self.apple.sudo(self.trace_user).trace_html
        finally:
            stock_lot_page.GROUP_LIMIT = limit
        self.assertEqual((went["customer_count"], len(went["customers"])), (2, 1))
        self.assertIn("26 delivery lines to 2 customers", " ".join(html.split()))
        self.assertIn("and 1 more", html)

    def test_few_deliveries_one_row_each(self):
        """The deli's jar alone: one row with customer, document, lot shipped and path."""
        went = self._details(self.jars[25])["downstream"]
        self.assertFalse(went["summarised"])
        [row] = went["rows"]
        self.assertEqual((row["customer"], row["document"], row["lot_name"], row["path"]),
                         (self.deli.display_name, self.deli_delivery.name,
                          self.jars[25].name, [self.jars[25].name]))

    def test_large_fan_summarised_per_product(self):
        """30 jars are one line per product with counts, not one row per jar."""
        units = {row["product_id"]: row for row in self._details(self.batch)["units"]}
        jars = units[self.jam.id]
        self.assertEqual((jars["lot_count"], jars["shipped_count"], jars["in_stock_count"]),
                         (30, 26, 4))
        self.assertEqual(jars["units"], [], "too many to list: the Used In list has them")
        html = self.batch.sudo(self.trace_user).trace_html
        self.assertEqual(html.count(self.jars[0].name), 1, "the jar only in the Used in tree")
        self.assertIn(self.grocer.display_name, html)
        self.assertIn("25.000 Unit(s)", html)

    def test_few_units_each_with_its_state(self):
        """A batch split into three: each unit says shipped or in stock."""
        batch = self._create_lot(self.jam)
        self._receive(self.jam, [(batch, 3)])
        units = self._split(batch, unit_count=3)
        self._deliver(self.jam, [(units[0], 1)])
        [group] = self._details(batch)["units"]
        self.assertEqual([(unit["lot_name"], unit["state"]) for unit in group["units"]],
                         [(units[0].name, "shipped"), (units[1].name, "in stock"),
                          (units[2].name, "in stock")])

    def test_empty_used_in_says_so(self):
        details = self._details(self.jars[29])
        self.assertEqual(details["used_in"]["count"], 1)
        html = self.jars[29].sudo(self.trace_user).trace_html
        self.assertIn("Not used in any other lot yet.", html)
        self.assertIn("Neither this lot nor anything made from it has been delivered", html)

    def test_answer_stays_small_for_big_fans(self):
        """600 units: the answer holds the first 500 lots of the tree and sums the rest."""
        batch = self._create_lot(self.jam)
        self._receive(self.jam, [(batch, 600)])
        self._split(batch, unit_count=600)
        self._analyze()
        details = self._details(batch)
        self.assertEqual((details["used_in"]["count"], len(details["used_in"]["lots"])),
                         (601, 500))
        # Capped by the tree's 500 lots, not by the units: under the 1 MB a page may take
        # (bench/bench_lot_page.py measures 198 KB for 200,000 descendants).
        self.assertLess(len(json.dumps(details)), 1000000)
        [units] = details["units"]
        self.assertEqual((units["lot_count"], units["in_stock_count"], units["units"]),
                         (600, 600, []))

    def test_split_only_where_it_applies(self):
        """Split Into Units applies to a lot with stock, not to a serial or an empty lot."""
        drill = self._create_product("Drill", tracking="serial")
        serial = self._create_lot(drill)
        self._receive(drill, [(serial, 1)])
        self.assertTrue(self.jars[29].can_split)
        self.assertFalse(self.jars[0].can_split, "shipped: nothing on hand")
        self.assertFalse(serial.can_split)
        with self.assertRaisesRegex(UserError, "serial number"):
            serial.sudo(self.trace_user).action_split_into_units()

    def test_start_recall_from_the_lot(self):
        """Start Recall makes a draft recall on the lot and opens it."""
        action = self.apple.sudo(self.trace_user).action_start_recall()
        recall = self.env["stock.lot.recall"].browse(action["res_id"])
        self.assertEqual((recall.state, recall.lot_ids), ("draft", self.apple))
        self.assertEqual(action["res_model"], "stock.lot.recall")

    def test_every_path_opens_the_full_form(self):
        """The menus' actions and links without a form view open the addon's lot form."""
        full = self.env.ref("stock.view_production_lot_form")
        for xmlid in ("lot_traceability.stock_production_lot_action",
                      "lot_traceability.stock_production_lot_asset_action"):
            views = dict((mode, view) for view, mode in self.env.ref(xmlid).read()[0]["views"])
            self.assertEqual(views["form"], full.id, xmlid)
        default = self.env["stock.production.lot"].sudo(self.trace_user).fields_view_get(
            view_type="form")
        self.assertEqual(default["view_id"], full.id, "a build's Built Lot link opens it too")
        self.assertIn("trace_html", default["arch"])
        self.assertIn("action_start_recall", default["arch"])

    def test_deliveries_one_click_away(self):
        """The Deliveries button lists every delivery line the page summed."""
        action = self.apple.sudo(self.trace_user).action_open_deliveries()
        lines = self.env["stock.move.line"].sudo(self.trace_user).search(action["domain"])
        self.assertEqual(len(lines), 26)
        self.assertEqual(set(lines.mapped("lot_id")), set(self.jars[:26]))
        # The domain names the lot, never the lots (a fan of 200,000 made it 1.6 MB, sent
        # back by the web client with every page): the engine answers each search.
        self.assertIn(("traced_lot_id", "=", self.apple.id), action["domain"])
        self.assertFalse([leaf for leaf in action["domain"]
                          if isinstance(leaf, tuple) and isinstance(leaf[2], (list, tuple))])
        # the lot's own deliveries count too (a lot shipped as it was received)
        own = self.env["stock.move.line"].search([("traced_lot_id", "=", self.jars[0].id)])
        self.assertEqual(own.mapped("lot_id"), self.jars[0])
        for bad in (("traced_lot_id", "in", [self.apple.id]), ("traced_lot_id", "=", "x"),
                    ("traced_lot_id", "=", True), ("traced_lot_id", "=", False),
                    ("traced_lot_id", "=", None), ("traced_lot_id", "=", 10 ** 12),
                    ("traced_lot_id", "=", 0)):
            with self.assertRaisesRegex(UserError, r"Lot or made from it \(any level\)"):
                lines.search([bad])
        # each row says who received which lot in which delivery
        tree_id = dict((mode, view) for view, mode in action["views"])["tree"]
        view = lines.fields_view_get(tree_id, "tree")
        for name in ("date", "picking_id", "picking_partner_id", "lot_id", "product_id",
                     "qty_done"):
            self.assertIn('name="%s"' % name, view["arch"])
        rows = lines.read(["picking_partner_id", "picking_id"])
        self.assertTrue(all(row["picking_partner_id"] and row["picking_id"] for row in rows))
        self.assertEqual({row["picking_partner_id"][0] for row in rows},
                         set(lines.mapped("picking_id.partner_id").ids))

    def test_format_writes_as_the_widgets(self):
        """The page's dates and quantities, formatted once per page, read exactly as QWeb's
        datetime widget (without seconds) and float widget write them in the screens' zone
        (stock.lot.tz): per language, per time zone of the context, of the user or of the
        company, on both sides of a change of hour."""
        self.env["res.lang"].load_lang("fr_FR")
        dates = [False, "2026-03-29 00:59:59", "2026-03-29 01:00:00", "2026-10-25 00:30:00",
                 "2026-11-01 06:15:42", "1969-12-31 23:59:00", "2099-02-28 12:00:00",
                 datetime(2026, 12, 4, 23, 45, 10)]
        qtys = [0.0, 1.0, -1.5, 0.0005, -0.0004, 1234567.8915, -9876543.21]
        widget_date = {"widget": "datetime", "hide_seconds": True}
        written = set()
        self.env.user.company_id.partner_id.tz = "America/Chicago"
        self.env.user.tz = False
        for lang, tz in [("en_US", False), ("en_US", "Europe/Brussels"),
                         ("fr_FR", "America/New_York"), ("fr_FR", "Asia/Kolkata"),
                         ("en_US", "Not/AZone")]:
            env = self.env(context=dict(self.env.context, lang=lang, tz=tz))
            fmt = env["stock.lot.page"]._get_format()
            # the widget, given the zone the addon's screens read in
            widget = env(context=dict(env.context, tz=env["stock.lot.tz"]._get_user_tz()))[
                "ir.qweb.field.datetime"]
            digits = fmt.qty_digits
            for value in dates:
                self.assertEqual(fmt.datetime(value), widget.value_to_html(value, widget_date),
                                 "%s in %s, %s" % (value, lang, tz))
                written.add(fmt.datetime(value))
            for value in qtys:
                self.assertEqual(fmt.qty(value), env["ir.qweb.field.float"].value_to_html(
                    value, {"widget": "float", "precision": digits}), "%s in %s" % (value, lang))
                written.add(fmt.qty(value))
        # without a zone in the context or on the user, the company's (Odoo's widget alone
        # would write UTC); with one on the user, the user's
        self.assertIn("02/28/2099 06:00", written)  # Chicago, winter time
        self.assertIn("12/31/1969 23:59", written)  # an unknown zone: UTC
        self.env.user.tz = "Asia/Tokyo"
        env = self.env(context=dict(self.env.context, lang="en_US", tz=False))
        fmt = env["stock.lot.page"]._get_format()
        self.assertEqual(fmt.datetime(dates[4]), env["ir.qweb.field.datetime"].value_to_html(
            dates[4], widget_date))
        self.assertEqual(fmt.datetime(dates[4]), "11/01/2026 15:15")
        # the languages and zones did change what is written
        self.assertIn("11/01/2026 07:15", written)  # Brussels, winter time
        self.assertIn("01/11/2026 01:15", written)  # New York, French order
        self.assertIn("1\N{NO-BREAK SPACE}234\N{NO-BREAK SPACE}567,892", written)  # French
        self.assertIn("-\N{ZERO WIDTH NO-BREAK SPACE}1,500", written)

    def test_page_dates_in_the_readers_zone(self):
        """The page's HTML writes the lot's moves in the reader's zone and language."""
        lot = self.apple.sudo(self.trace_user)
        line = self.env["stock.move.line"].search(
            [("lot_id", "=", self.apple.id), ("state", "=", "done")], order="date", limit=1)
        pages = {}
        for tz in ("Pacific/Auckland", "America/Los_Angeles"):
            html = lot.with_context(tz=tz, lang="en_US").trace_html
            shown = self.env["ir.qweb.field.datetime"].with_context(tz=tz).value_to_html(
                line.date, {"widget": "datetime", "hide_seconds": True})
            self.assertIn(">%s<" % shown, html)
            pages[tz] = shown
        self.assertNotEqual(pages["Pacific/Auckland"], pages["America/Los_Angeles"])
