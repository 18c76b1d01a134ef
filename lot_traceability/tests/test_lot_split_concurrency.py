# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two real transactions split the same batch at once.

The commits below are deliberate (pylint: invalid-commit disabled for this file): they are
the only way to make a fixture visible to a second transaction.

Data inside one test transaction is invisible to another, so the batch is committed by a
separate cursor and removed again afterwards.
"""
# pylint: disable=invalid-commit
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests.common import TransactionCase

from .common import unique


class TestLotSplitConcurrency(TransactionCase):

    @contextmanager
    def _env(self):
        """A new transaction (rolled back unless committed inside)."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            cr.rollback()

    def _commit_batch(self):
        with self._env() as env:
            product = env["product.product"].create({
                "name": unique("Concurrent Sauce"), "type": "product", "tracking": "lot",
                "uom_id": env.ref("product.product_uom_kgm").id,
                "uom_po_id": env.ref("product.product_uom_kgm").id})
            batch = env["stock.production.lot"].create({"name": unique("CB"),
                                                        "product_id": product.id})
            warehouse = env.ref("stock.warehouse0")
            env["stock.picking"]._create_done_transfer(
                warehouse.in_type_id, env.ref("base.main_partner"), [(product, 10.0, batch)])
            env.cr.commit()
            return product.id, batch.id

    def _cleanup(self, product_id):
        with self._env() as env:
            cr = env.cr
            cr.execute("SELECT id FROM stock_move WHERE product_id = %s", (product_id,))
            move_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
            cr.execute("SELECT picking_id FROM stock_move WHERE id IN %s", (move_ids,))
            picking_ids = tuple({row[0] for row in cr.fetchall() if row[0]}) or (0,)
            for query in (
                    "DELETE FROM stock_move_line WHERE move_id IN %(moves)s",
                    "DELETE FROM stock_move WHERE id IN %(moves)s",
                    "DELETE FROM stock_picking WHERE id IN %(pickings)s",
                    "DELETE FROM stock_quant WHERE product_id = %(product)s",
                    "DELETE FROM stock_production_lot WHERE product_id = %(product)s",
                    "DELETE FROM product_template WHERE id IN (SELECT product_tmpl_id FROM "
                    "product_product WHERE id = %(product)s)"):
                cr.execute(query, {"moves": move_ids, "pickings": picking_ids,
                                   "product": product_id})
            cr.commit()

    def _wizard(self, env, batch_id, qty):
        return env["stock.lot.split"].with_context(
            active_model="stock.production.lot", active_id=batch_id).create({
                "location_id": env.ref("stock.stock_location_stock").id, "split_qty": qty,
                "mode": "qty", "unit_qty": 1.0, "name_prefix": unique("U") + "-"})

    def test_concurrent_split(self):
        """The first splitter holds the batch; the second gets "batch in use, try again"
        and writes nothing; after the first commits, asking for the whole batch again is
        refused as more than it has; the batch never goes negative."""
        product_id, batch_id = self._commit_batch()
        try:
            with self._env() as first, self._env() as second:
                self._wizard(first, batch_id, 8.0).action_apply()
                loser = self._wizard(second, batch_id, 8.0)
                with self.assertRaisesRegex(UserError, "in use by someone else: try again"):
                    loser.action_apply()
                first.cr.commit()
            with self._env() as third:
                with self.assertRaisesRegex(UserError, "More than the batch has"):
                    self._wizard(third, batch_id, 8.0).action_apply()
                third.cr.execute("""
                    SELECT SUM(quantity), MIN(quantity) FROM stock_quant q
                      JOIN stock_location l ON l.id = q.location_id
                     WHERE q.lot_id = %s AND l.usage = 'internal'""", (batch_id,))
                self.assertEqual(third.cr.fetchone(), (2.0, 2.0))
                third.cr.execute("SELECT COUNT(*) FROM stock_production_lot WHERE "
                                 "parent_lot_id = %s", (batch_id,))
                self.assertEqual(third.cr.fetchone()[0], 8)
        finally:
            self._cleanup(product_id)

    def test_in_use_names_ten_lots_and_counts_the_others(self):
        """Lots someone else holds are refused naming the first ten and counting the others
        (a recall's 205,001 lots made a message of 44,000 characters)."""
        product_id, batch_id = self._commit_batch()
        try:
            with self._env() as first, self._env() as second:
                first["stock.quant"]._lock_lots(first["stock.production.lot"].browse(batch_id))
                Lot = second["stock.production.lot"]
                lots = Lot.browse(batch_id)
                for _number in range(29):
                    lots |= Lot.create({"name": unique("IU"), "product_id": product_id})
                with self.assertRaisesRegex(UserError, "lot in use") as refused:
                    second["stock.quant"]._lock_lots(lots)
                message = refused.exception.name
                self.assertIn(" and 20 more right now", message)
                self.assertEqual(sum(lot.name in message for lot in lots), 10)
        finally:
            self._cleanup(product_id)
