# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon next to Manufacturing (mrp) and inventory valuation (stock_account).

lot_traceability depends on neither; many companies run both. These tests run on their own
database with both installed (`make test` makes lot_test_mrp); elsewhere they are skipped
before any cursor is opened.
"""
import unittest

import odoo
from odoo.tests import common as odoo_common

from ..tools.internal_context import internal_context
from .common import TraceabilityCase, unique


class TestWithMrp(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        registry = odoo.registry(odoo_common.get_db_name())
        if "mrp.production" not in registry or "stock.move" not in registry or \
                "value" not in registry["stock.move"]._fields:
            raise unittest.SkipTest("mrp and stock_account are not installed in this database "
                                    "(make test runs this file on lot_test_mrp)")
        super(TestWithMrp, cls).setUpClass()
        flagged = {"fsma_food_traceability": True}
        cls.apples = cls._create_product("Apples", uom=cls.uom_kg, **flagged)
        cls.jam = cls._create_product("Jam", **flagged)
        cls.jar = cls._create_product("Jar", tracking="none")
        cls.bom = cls.env["mrp.bom"].create({
            "product_tmpl_id": cls.jam.product_tmpl_id.id, "product_qty": 2.0,
            "product_uom_id": cls.jam.uom_id.id,
            "bom_line_ids": [
                (0, 0, {"product_id": cls.apples.id, "product_qty": 3.0,
                        "product_uom_id": cls.uom_kg.id, "sequence": 1}),
                (0, 0, {"product_id": cls.jar.id, "product_qty": 2.0,
                        "product_uom_id": cls.uom_unit.id, "sequence": 2})]})

    def _produce(self, qty, lot):
        """A manufacturing order of ``qty`` jam into ``lot``, produced and marked done as a
        user does it (reserve, Produce wizard, Mark as Done)."""
        production = self.env["mrp.production"].create({
            "product_id": self.jam.id, "product_qty": qty, "bom_id": self.bom.id,
            "product_uom_id": self.jam.uom_id.id})
        production.action_assign()
        produce = self.env["mrp.product.produce"].with_context(
            active_id=production.id, active_ids=production.ids).create(
            {"product_qty": qty, "lot_id": lot.id})
        for line in produce.produce_line_ids:
            line.qty_done = line.qty_to_consume
        produce.do_produce()
        production.button_mark_done()
        self.assertEqual(production.state, "done")
        return production

    def test_composition_from_bom(self):
        """A composition list made from a bill of materials copies its lines and quantity."""
        composition = self.env["stock.composition"].browse(
            self.env["stock.composition"].create_from_bom(self.bom.id))
        self.assertEqual((composition.product_id, composition.product_qty),
                         (self.jam, 2.0))
        self.assertEqual([(line.product_id, line.product_qty, line.product_uom_id)
                          for line in composition.line_ids.sorted("sequence")],
                         [(self.apples, 3.0, self.uom_kg), (self.jar, 2.0, self.uom_unit)])

    def test_manufacturing_order_is_traced_and_exported(self):
        """An mrp production links its lots as the addon's builds do: the engine follows it,
        and FSMA 204 lists it as one transformation event, the order's name its document."""
        apple = self._create_lot(self.apples, supplier_lot_code=unique("ORCH"))
        self._receive(self.apples, [(apple, 10.0)])
        self._receive(self.jar, [(None, 10.0)])
        jam_lot = self._create_lot(self.jam)
        production = self._produce(2.0, jam_lot)
        down = self.env["stock.lot.trace"].sudo(self.trace_user).trace(apple.ids, "downstream")
        self.assertEqual({row["lot_id"]: row["depth"] for row in down["lots"]},
                         {apple.id: 0, jam_lot.id: 1})
        today = self.env["stock.lot.fsma.export"].default_get(["date_to"])["date_to"]
        rows = self.env["stock.lot.fsma"].sudo(self.trace_user).fsma_events(
            today, today, lot_ids=(apple | jam_lot).ids)["rows"]
        made = [row for row in rows if row["event_id"] == "TRF-" + production.name]
        self.assertEqual(sorted((row["event_type"], row["tlc"], row["quantity"])
                                for row in made),
                         [("input", apple.supplier_lot_code, 3.0),
                          ("output", jam_lot.name, 2.0)])
        self.assertEqual({(row["document_type"], row["document"]) for row in made},
                         {("Manufacturing order", production.name)})

    def test_transformation_is_valued_and_bulk_is_refused(self):
        """With valuation, a build carries the components' standard cost to what it makes
        (the value leaving stock comes back in), and the SQL bulk path is never taken."""
        self.apples.write({"standard_price": 1.5})
        self.apples.product_tmpl_id.property_cost_method = "standard"
        self.jam.product_tmpl_id.property_cost_method = "fifo"
        apple = self._create_lot(self.apples)
        self._receive(self.apples, [(apple, 10.0)])
        result = self._transform([(self.apples, apple, 4.0)],
                                 [(self.jam, unique("JAM"), 3.0)], reference=unique("BUILD"))
        consumed = result["consumed_lines"].mapped("move_id")
        produced = result["produced_lines"].mapped("move_id")
        self.assertAlmostEqual(sum(consumed.mapped("value")), -6.0)
        self.assertAlmostEqual(sum(produced.mapped("value")), 6.0)
        self.assertAlmostEqual(produced.price_unit, 2.0)
        self.assertAlmostEqual(produced.remaining_value, 6.0)
        rows = [{"product": self.jam, "qty": 1.0, "location_dest": self.stock_location,
                 "lot_vals": {"name": unique("U"), "product_id": self.jam.id}}
                for _unit in range(250)]
        self.assertFalse(self.env["stock.move"].with_context(
            **internal_context(lot_transform_bulk=True))._can_bulk_produce(rows))

    def test_build_carries_fifo_cost(self):
        """FIFO apples: 3 kg received at 2.00, then 5 kg at 4.00. A build of 4 kg consumes
        3 kg of the first layer and 1 kg of the second: what it makes is worth 10.00, not
        4 kg at the price Odoo's FIFO leaves as the product's cost (4.00)."""
        self.apples.product_tmpl_id.property_cost_method = "fifo"
        self.jam.product_tmpl_id.property_cost_method = "fifo"
        apple = self._create_lot(self.apples)
        for price, qty in ((2.0, 3.0), (4.0, 5.0)):
            self.apples.standard_price = price
            self._receive(self.apples, [(apple, qty)])
        result = self._transform([(self.apples, apple, 4.0)],
                                 [(self.jam, unique("JAM"), 2.0)], reference=unique("BUILD"))
        produced = result["produced_lines"].mapped("move_id")
        self.assertAlmostEqual(sum(result["consumed_lines"].mapped("move_id.value")), -10.0)
        self.assertAlmostEqual(self.apples.standard_price, 4.0)
        self.assertAlmostEqual(produced.value, 10.0)
        self.assertAlmostEqual(produced.price_unit, 5.0)
