# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from .common import TraceabilityCase


class TestLowStock(TraceabilityCase):
    """A SKU's on-hand stock crosses its minimum stock rule, down and back up."""

    @classmethod
    def setUpClass(cls):
        super(TestLowStock, cls).setUpClass()
        cls.responsible = cls._create_user("buyer", "stock.group_stock_user")
        cls.product = cls._create_product("Flour", uom=cls.uom_kg,
                                          responsible_id=cls.responsible.id)
        cls.shelf = cls._create_location("Shelf")
        cls.rule = cls.env["stock.warehouse.orderpoint"].create({
            "warehouse_id": cls.warehouse.id,
            "location_id": cls.stock_location.id,
            "product_id": cls.product.id,
            "product_min_qty": 10.0,
            "product_max_qty": 50.0,
        })

    def _alerts(self):
        return self.env["mail.activity"].search([
            ("res_model", "=", "product.template"),
            ("res_id", "=", self.product.product_tmpl_id.id),
            ("summary", "like", "Low stock")])

    def test_crossing_down_and_up(self):
        """One activity per crossing for the responsible; reset when back above."""
        lot = self._create_lot(self.product)
        self._receive(self.product, [(lot, 8.0)], location=self.shelf)  # child location
        self.assertTrue(self.rule.low_stock)   # the check ran right after the receipt: 8 < 10
        alerts = self._alerts()
        self.assertEqual(len(alerts), 1)
        self.assertEqual(alerts.user_id, self.responsible)
        self.assertIn("8.0", alerts.note)
        self._receive(self.product, [(lot, 1.0)])
        self.assertEqual(len(self._alerts()), 1, "still below: no second activity")
        self._receive(self.product, [(lot, 5.0)])
        self.assertFalse(self.rule.low_stock)
        self._deliver(self.product, [(lot, 6.0)], location=self.shelf)
        self.assertTrue(self.rule.low_stock)
        self.assertEqual(len(self._alerts()), 2, "a new crossing, a new activity")
        self.assertEqual(self.rule.low_stock_activity_id, self._alerts().sorted("id")[-1])

    def test_cron_checks_every_rule(self):
        """The scheduled action finds a rule below its minimum with no stock move at all."""
        self.assertFalse(self.rule.low_stock)
        self.env["stock.warehouse.orderpoint"]._cron_check_low_stock()
        self.assertTrue(self.rule.low_stock)
        self.assertEqual(len(self._alerts()), 1)
        self.env["stock.warehouse.orderpoint"]._cron_check_low_stock()
        self.assertEqual(len(self._alerts()), 1)
        self.assertTrue(self.env.ref(
            "lot_traceability.stock_warehouse_orderpoint_cron_low_stock").active)
