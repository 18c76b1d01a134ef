# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The sanctioned bulk path of DESIGN.md against the ORM path it replaces."""
from ..models.stock_lot_bulk_writer import LINE_FILLED, BulkUnsupported
from ..tools.internal_context import internal_context
from .common import TraceabilityCase

#: Tables a serial receipt writes, and the columns that differ by nature between two runs.
TABLES = ("stock_production_lot", "stock_picking", "stock_move", "stock_move_line", "stock_quant")
IGNORED = {"id", "create_date", "write_date", "date", "date_done", "in_date", "scheduled_date",
           "date_expected", "reference", "name"}


class TestSerialBulkPath(TraceabilityCase):
    """A receipt through the SQL bulk path leaves the database as the ORM path does."""

    def _run(self, path, product, serials, since):
        return self._dump_rolled_back(lambda: self._bulk_entry(
            product, "\n".join(serials), partner_id=self.supplier.id, origin="PO-EQ",
            location_dest_id=self.crib.id, warranty_date="2030-05-31",
            life_date="2031-01-01 10:00:00", use_date="2030-12-01 10:00:00",
        ).with_context(**internal_context(serial_intake_path=path)).action_apply(), since, IGNORED)

    def test_bulk_path_equals_orm_path(self):
        """Same serials, same data, both paths: identical lots, moves, lines and quants.

        One serial was received and delivered before: it is received again through the ORM's
        own quant update inside the bulk path, the new serials through SQL.
        """
        self.crib = self._create_location("Crib")
        product = self._create_product("Pump", tracking="serial", use_time=30)
        self._receive(product, [("Q-0000", 1.0)])
        returned = self.env["stock.production.lot"].search(
            [("product_id", "=", product.id), ("name", "=", "Q-0000")])
        self._deliver(product, [(returned, 1.0)])
        serials = ["Q-%04d" % number for number in range(250)]
        since = self._max_ids(TABLES)
        orm = self._run("orm", product, serials, since)
        bulk = self._run("bulk", product, serials, since)
        self.assertEqual(len(orm["stock_production_lot"]), 249)
        self.assertEqual(len(orm["stock_move_line"]), 250)
        self.assertEqual(len(orm["stock_quant"]), 2 * 249 + 1)
        for table in TABLES:
            self.assertEqual(bulk[table], orm[table], table)

    def test_bulk_path_refused_with_stock_account(self):
        """Where stock_account is installed the bulk path says no (the ORM path is taken)."""
        writer = self.env["stock.lot.bulk.writer"]
        product = self._create_product("Pump", tracking="serial")
        self.assertTrue(writer._bulk_supported(product))
        self.env["ir.module.module"].search([("name", "=", "stock_account")]).write(
            {"state": "installed"})
        self.assertFalse(writer._bulk_supported(product))

    def test_bulk_path_refuses_what_it_does_not_fill(self):
        """A stored computed field the insert would not fill, or a non-column value: refused."""
        writer = self.env["stock.lot.bulk.writer"]
        writer._bulk_check("stock.move.line", ["lot_id", "qty_done"], LINE_FILLED)
        with self.assertRaises(BulkUnsupported):
            writer._bulk_check("stock.move.line", ["lot_id"], ("state", "reference"))
        with self.assertRaises(BulkUnsupported):
            writer._bulk_check("stock.production.lot", ["name", "quant_ids"], ("product_uom_id",))
