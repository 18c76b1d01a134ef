# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import UserError

from ..tools.internal_context import internal_context
from .common import TraceabilityCase, unique


class TestLotSplit(TraceabilityCase):
    """Split a produced batch into individually tracked units."""

    @classmethod
    def setUpClass(cls):
        super(TestLotSplit, cls).setUpClass()
        cls.apples = cls._create_product("Apples", uom=cls.uom_kg)
        cls.sauce = cls._create_product("Sauce", uom=cls.uom_kg)
        cls.jar = cls._create_product("Sauce Jar", tracking="lot", net_content_qty=0.5,
                                      net_content_uom_id=cls.uom_kg.id)
        cls.apple_lot = cls._create_lot(cls.apples, unique("APL"))
        cls._receive(cls.apples, [(cls.apple_lot, 100.0)])
        # The batch is produced from the apples, so genealogy runs apples -> batch -> units.
        cls.batch = cls._transform([(cls.apples, cls.apple_lot, 40.0)],
                                   [(cls.sauce, unique("SAUCE"), 10.0)])["produced_lots"]
        cls.batch.write({"use_date": "2027-01-31 12:00:00", "life_date": "2027-03-01 12:00:00"})

    def test_whole_split_into_same_product(self):
        """10 kg into 4 units of 2.5 kg: the batch is emptied, each unit is a new lot of the
        same product, named <batch>-001..., inheriting the batch's dates."""
        units = self._split(self.batch, unit_count=4)
        self.assertEqual(units.mapped("name"),
                         ["%s-%03d" % (self.batch.name, n) for n in range(1, 5)])
        self.assertEqual(self._on_hand(self.sauce, self.batch), 0.0)
        self.assertEqual([self._on_hand(self.sauce, unit) for unit in units], [2.5] * 4)
        self.assertEqual(set(units.mapped("use_date")), {"2027-01-31 12:00:00"})
        self.assertEqual(set(units.mapped("life_date")), {"2027-03-01 12:00:00"})
        self.assertEqual(units.mapped("parent_lot_id"), self.batch)

    def test_result_screen_and_name(self):
        """Opened from the batch's page, the units open over it (its breadcrumb leads back);
        opened from the menu, as a new screen (no breadcrumb back to the applied wizard).
        The wizard is named by what it is, not by its model and id."""
        Split = self.env["stock.lot.split"].with_context(
            **internal_context(lot_traceability_sync=True))
        batch = self._create_lot(self.sauce)
        self._receive(self.sauce, [(batch, 4.0)])
        from_page = Split.with_context(
            active_model="stock.production.lot", active_id=batch.id).create(
                {"location_id": self.stock_location.id, "unit_count": 2})
        self.assertEqual(from_page.display_name, "Split Into Units")
        self.assertEqual(from_page.action_apply()["target"], "current")
        other = self._create_lot(self.sauce)
        self._receive(self.sauce, [(other, 4.0)])
        from_menu = Split.create({"lot_id": other.id, "unit_product_id": self.sauce.id,
                                  "location_id": self.stock_location.id, "unit_count": 2})
        self.assertEqual(from_menu.action_apply()["target"], "main")

    def test_each_split_is_a_document(self):
        """Two splits of one batch are two documents: each its own SPLIT/ number as the
        moves' reference, the batch as their source document, the batch as their record."""
        first = self._split(self.batch, mode="qty", unit_qty=3.0, split_qty=3.0)
        second = self._split(self.batch, mode="qty", unit_qty=3.0, split_qty=3.0,
                             name_start=2)
        references = [self._split_reference(units) for units in (first, second)]
        self.assertNotEqual(references[0], references[1])
        self.assertTrue(all(ref.startswith("SPLIT/") for ref in references))
        moves = self.env["stock.move"].search([("transform_ref", "in", references)])
        self.assertEqual(len(moves), 4)
        self.assertEqual(set(moves.mapped("origin")), {self.batch.name})
        self.assertEqual(set(moves.mapped("reference")), set(references))
        self.assertEqual({(m.transform_res_model, m.transform_res_id) for m in moves},
                         {("stock.production.lot", self.batch.id)})

    def test_partial_split_remainder_stays(self):
        """Units of 3 kg: 3 units, 1 kg stays in the batch; the wizard shows it first."""
        wizard = self.env["stock.lot.split"].with_context(
            active_model="stock.production.lot", active_id=self.batch.id).create(
            {"location_id": self.stock_location.id, "mode": "qty", "unit_qty": 3.0})
        self.assertEqual((wizard.total_units, wizard.consumed_qty, wizard.remainder_qty),
                         (3, 9.0, 1.0))
        self.assertIn("%s-003" % self.batch.name, wizard.preview)
        self.assertFalse(wizard.problems)
        wizard.action_apply()
        self.assertEqual(self._on_hand(self.sauce, self.batch), 1.0)

    def test_net_content_conversion(self):
        """kg of sauce into jars holding 0.5 kg each: 6 kg make 12 jars."""
        units = self._split(self.batch, split_qty=6.0, unit_product_id=self.jar.id,
                            mode="qty", unit_qty=1.0)
        self.assertEqual(len(units), 12)
        self.assertEqual(units.mapped("product_id"), self.jar)
        self.assertEqual(self._on_hand(self.jar, units[0]), 1.0)
        self.assertEqual(self._on_hand(self.sauce, self.batch), 4.0)

    def test_refusals(self):
        """More than the batch has, quantities that do not add up, existing names and a unit
        product without net content are refused, naming the problem; nothing is written."""
        no_content = self._create_product("Bare Jar")
        serial = self._create_product("Sauce Drum", tracking="serial", uom=self.uom_kg)
        self._create_lot(self.sauce, "%s-002" % self.batch.name)
        cases = [({"split_qty": 12.0, "unit_count": 2}, "More than the batch has"),
                 ({"unit_product_id": serial.id, "unit_count": 3}, "do not add up"),
                 ({"unit_count": 0}, "must be positive"),
                 ({"unit_count": 5}, "%s-002" % self.batch.name),
                 ({"unit_product_id": no_content.id, "unit_count": 2}, "no net content"),
                 # bounds of the work asked for: named, nothing made (a preview of a million
                 # units, or of numbers of 10^8 digits, held a server thread)
                 ({"unit_count": 1000000}, "at most 100000 units"),
                 ({"unit_count": 2, "name_padding": 10 ** 8}, "from 1 to 12 digits"),
                 ({"unit_count": 2, "name_padding": 0}, "from 1 to 12 digits")]
        lots_before = self.env["stock.production.lot"].search_count([])
        for vals, message in cases:
            with self.assertRaisesRegex(UserError, message):
                self._split(self.batch, **vals)
        self.assertEqual(self.env["stock.production.lot"].search_count([]), lots_before)
        self.assertEqual(self._on_hand(self.sauce, self.batch), 10.0)

    def test_names_widen_past_999(self):
        """Numbers keep their three digits up to 999 and widen after it."""
        units = self._split(self.batch, split_qty=0.004, mode="qty", unit_qty=0.001,
                            name_start=998)
        self.assertEqual(sorted(units.mapped("name")), sorted(
            "%s-%s" % (self.batch.name, n) for n in ("998", "999", "1000", "1001")))

    def test_serial_units_and_numbering(self):
        """Serial units hold one unit each; named by the product's lot numbering."""
        bottle = self._create_product("Bottle", tracking="serial", net_content_qty=2.0,
                                      net_content_uom_id=self.uom_kg.id)
        units = self._split(self.batch, unit_product_id=bottle.id, unit_count=5,
                            naming="sequence")
        self.assertEqual(len(units), 5)
        self.assertEqual(len(set(units.mapped("name"))), 5)
        self.assertEqual([self._on_hand(bottle, unit) for unit in units], [1.0] * 5)

    def test_genealogy_links_agree_with_parent(self):
        """Every unit's produced line consumed the batch line; the parent field agrees with
        the links; upstream reaches the batch (and its apples), downstream every unit."""
        units = self._split(self.batch, unit_count=5)
        for unit in units:
            line = self.env["stock.move.line"].search([("lot_id", "=", unit.id)])
            self.assertEqual(line.consume_line_ids.mapped("lot_id"), unit.parent_lot_id)
            batch_line = line.consume_line_ids
            self.assertEqual(self._consume_links(line), [(line.id, batch_line.id)])
        batch_out = self.env["stock.move.line"].search([
            ("lot_id", "=", self.batch.id), ("location_dest_id.usage", "=", "production")])
        self.assertEqual(batch_out.produce_line_ids.mapped("lot_id"), units)
        batch_in = self.env["stock.move.line"].search([
            ("lot_id", "=", self.batch.id), ("location_id.usage", "=", "production")])
        self.assertEqual(batch_in.consume_line_ids.mapped("lot_id"), self.apple_lot)

    def test_native_report_both_directions(self):
        """Odoo's own report: upstream of a unit shows the batch; downstream of the batch
        shows the units (dates back-dated to distinct past seconds)."""
        units = self._split(self.batch, unit_count=2)
        self._backdate_all()
        Report = self.env["stock.traceability.report"]
        up = Report.with_context(active_id=units[0].id, model="stock.production.lot",
                                 ttype="upstream").get_lines()
        quant = [h for h in up if h["model"] == "stock.quant"][0]
        moves = Report.get_lines(quant["id"], model_name="stock.quant",
                                 model_id=quant["model_id"], level=1, stream="upstream",
                                 parent_quant=False)
        reference = self._split_reference(units)
        split = [m for m in moves if m["reference"] == reference][0]
        parents = Report.get_lines(split["id"], model_name="stock.move.line",
                                   model_id=split["model_id"], level=2, stream="upstream",
                                   parent_quant=False)
        self.assertEqual([p["name"] for p in parents], [self.batch.name])
        down = Report.with_context(active_id=self.batch.id, model="stock.production.lot",
                                   ttype="downstream").get_lines()
        made = [h for h in down if h["model"] == "stock.move.line"][0]
        found = Report.get_lines(made["id"], model_name="stock.move.line",
                                 model_id=made["model_id"], level=1, stream="downstream",
                                 parent_quant=False)
        used = [m for m in found if m["unfoldable"] and m["reference"]]
        children = Report.get_lines(used[0]["id"], model_name="stock.move.line",
                                    model_id=used[0]["model_id"], level=2,
                                    stream="downstream", parent_quant=False)
        self.assertEqual(sorted(c["name"] for c in children), sorted(units.mapped("name")))

    def test_plain_user_from_lot_form(self):
        """A Traceability user opens Split Into Units from the lot's form and applies it;
        the views load."""
        user_env = self.env(user=self.trace_user.id)
        batch = user_env["stock.production.lot"].browse(self.batch.id)
        action = batch.action_split_into_units()
        wizard = user_env[action["res_model"]].with_context(**action["context"]).create(
            {"unit_count": 2})
        self.assertEqual((wizard.lot_id, wizard.location_id), (self.batch, self.stock_location))
        self.assertEqual(wizard.unit_tracking, "lot")
        wizard.action_apply()
        self.assertEqual(len(self.batch.child_lot_ids), 2)
        self.assertTrue(user_env["stock.lot.split"].fields_view_get(view_type="form")["arch"])
        self.assertIn("action_split_into_units", user_env["stock.production.lot"].fields_view_get(
            view_id=self.env.ref("stock.view_production_lot_form").id, view_type="form")["arch"])
