# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common import TraceabilityCase


class TestStockAsset(TraceabilityCase):
    """Traceability > Assets: serialized products on hand, per type and location."""

    @classmethod
    def setUpClass(cls):
        super(TestStockAsset, cls).setUpClass()
        cls.compressor = cls._create_product("Compressor", tracking="serial")
        cls.drill = cls._create_product("Drill", tracking="serial")
        cls.crib = cls._create_location("Crib")
        cls._receive(cls.compressor, [("AC-1", 1.0), ("AC-2", 1.0)], location=cls.crib)
        cls._receive(cls.drill, [("D-1", 1.0), ("D-2", 1.0), ("D-3", 1.0)])
        cls._receive(cls.drill, [("D-4", 1.0)], location=cls.crib)
        cls.shipped = cls.env["stock.production.lot"].search(
            [("product_id", "=", cls.drill.id), ("name", "=", "D-3")])
        cls._deliver(cls.drill, [(cls.shipped, 1.0)])
        # Lot-tracked goods are not assets.
        cls.flour = cls._create_product("Flour", tracking="lot")
        cls._receive(cls.flour, [("F-1", 50.0)], location=cls.crib)

    def _rows(self):
        assets = self.env["stock.asset"].sudo(self.trace_user).search(
            [("product_id", "in", (self.compressor | self.drill | self.flour).ids)])
        return {(row.product_id, row.location_id): row.quantity for row in assets}

    def test_counts_per_type_and_location(self):
        """Two compressors in the crib; drills: two in stock, one in the crib (one delivered)."""
        self.assertEqual(self._rows(), {
            (self.compressor, self.crib): 2.0,
            (self.drill, self.stock_location): 2.0,
            (self.drill, self.crib): 1.0,
        })

    def test_totals_per_type(self):
        """Grouped by asset type, the list shows each type's total on hand."""
        groups = self.env["stock.asset"].sudo(self.trace_user).read_group(
            [("product_id", "in", (self.compressor | self.drill).ids)],
            ["product_id", "quantity"], ["product_id"])
        totals = {group["product_id"][0]: group["quantity"] for group in groups}
        self.assertEqual(totals, {self.compressor.id: 2.0, self.drill.id: 3.0})

    def test_details_open_serials_with_location(self):
        """Serials opens the type's serial numbers on hand, each with its current location."""
        row = self.env["stock.asset"].sudo(self.trace_user).search(
            [("product_id", "=", self.drill.id), ("location_id", "=", self.crib.id)])
        action = row.action_view_serials()
        lots = self.env["stock.production.lot"].sudo(self.trace_user).search(action["domain"])
        self.assertEqual(sorted(lots.mapped("name")), ["D-1", "D-2", "D-4"])
        where = {lot.name: lot.asset_location_id for lot in lots}
        self.assertEqual(where, {"D-1": self.stock_location, "D-2": self.stock_location,
                                 "D-4": self.crib})
        in_crib = self.env["stock.production.lot"].search(
            action["domain"] + [("asset_location_id", "=", action["context"][
                "search_default_asset_location_id"])])
        self.assertEqual(in_crib.mapped("name"), ["D-4"])
        self.assertFalse(self.shipped.asset_location_id)

    def test_serial_movement_history(self):
        """A serial's form lists its moves: where from, where to, which document, in order."""
        history = self.shipped.sudo(self.trace_user).move_history_ids
        self.assertEqual(len(history), 2)
        self.assertEqual(history.mapped("location_id"),
                         self.supplier_location | self.stock_location)
        self.assertEqual(history[0].location_dest_id, self.stock_location)
        self.assertEqual(history[1].location_dest_id, self.customer_location)
        self.assertEqual(history[1].picking_id.partner_id, self.customer)
        self.assertTrue(all(line.reference for line in history))

    def test_views_load(self):
        for view_type in ("tree", "pivot", "search"):
            self.env["stock.asset"].sudo(self.trace_user).fields_view_get(view_type=view_type)
        self.env["stock.production.lot"].sudo(self.trace_user).fields_view_get(
            view_type="form")

    def test_other_company_assets_hidden(self):
        """Assets in another company's location are not counted for this company's user."""
        company = self.env["res.company"].create({"name": "Other Co"})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)])
        self._receive(self.compressor, [("AC-9", 1.0)], location=warehouse.lot_stock_id)
        self.assertNotIn((self.compressor, warehouse.lot_stock_id), self._rows())
        self.assertIn((self.compressor, warehouse.lot_stock_id),
                      {(row.product_id, row.location_id) for row in self.env["stock.asset"].search(
                          [("product_id", "=", self.compressor.id)])})
