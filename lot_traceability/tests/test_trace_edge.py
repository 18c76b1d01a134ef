# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The lot graph's edge table follows every way its links and lines change.

Every test of the suite checks the table against its definition when it ends
(``TraceabilityCase.tearDown``); here each kind of change is made on purpose, one by one,
with plain SQL too (PostgreSQL keeps the table, not the ORM), and the walk is shown to
follow the table.
"""
from ..models import stock_lot_trace_edge as edge_module
from ..models.stock_move import BULK_MIN_UNITS
from .common import TraceabilityCase


class _Undo(Exception):
    """Rolls a savepoint back."""


class TestTraceEdge(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestTraceEdge, cls).setUpClass()
        cls.Edge = cls.env["stock.lot.trace.edge"]
        cls.Trace = cls.env["stock.lot.trace"]
        cls.flour = cls._create_product("Flour")
        cls.bread = cls._create_product("Bread")

    def _chain(self):
        """Flour lot -> bread lot, as mrp writes it; returns (flour, bread, consumed line,
        produced line)."""
        flour = self._create_lot(self.flour)
        self._receive(self.flour, [(flour, 10.0)])
        bread = self._create_lot(self.bread)
        consumed, produced = self._transform_as_mrp([(flour, 4.0)], [(bread, 2.0)])
        return flour, bread, consumed, produced

    def _edges(self, *lines):
        """Rows of the table for these lines (either side), as the trace reads them."""
        ids = tuple(line.id for line in lines)
        self.env.cr.execute("""
            SELECT produced_line_id, consumed_line_id, produced_lot_id, consumed_lot_id,
                   produced_move_id, consumed_move_id, produced_date, consumed_date
              FROM lot_trace_edge WHERE produced_line_id IN %s OR consumed_line_id IN %s
             ORDER BY 1, 2""", (ids, ids))
        return self.env.cr.fetchall()

    def _down(self, lot):
        return [row["lot_id"] for row in self.Trace.trace(lot.ids, "downstream")["lots"]]

    def _assert_kept(self):
        self.assertEqual(self.Edge._get_differences(), ([], []))

    def test_link_written_by_the_orm(self):
        flour, bread, consumed, produced = self._chain()
        self.assertEqual(self._edges(produced), [(
            produced.id, consumed.id, bread.id, flour.id, produced.move_id.id,
            consumed.move_id.id, produced.date, consumed.date)])
        self.assertEqual(self._down(flour), [flour.id, bread.id])
        produced.write({"consume_line_ids": [(5, 0, 0)]})
        self.assertEqual(self._edges(produced, consumed), [])
        self.assertEqual(self._down(flour), [flour.id])
        self._assert_kept()

    def test_links_written_in_sql(self):
        """Links inserted and deleted in SQL (as the bulk writer and COPY do): one statement
        for many rows, the edges follow."""
        flour, bread, consumed, produced = self._chain()
        other = self._create_lot(self.bread)
        _, second = self._transform_as_mrp([], [(other, 1.0)])
        self.env.cr.execute("INSERT INTO stock_move_line_consume_rel VALUES (%s, %s)",
                            (second.id, consumed.id))
        self.assertEqual(self._down(flour), [flour.id, bread.id, other.id])
        self.env.cr.execute("DELETE FROM stock_move_line_consume_rel "
                            "WHERE produce_line_id = %s", (consumed.id,))
        self.assertEqual(self._edges(consumed), [])
        self._assert_kept()

    def test_link_updated_in_sql(self):
        flour, bread, consumed, produced = self._chain()
        other = self._create_lot(self.bread)
        _, second = self._transform_as_mrp([], [(other, 1.0)])
        self.env.cr.execute("UPDATE stock_move_line_consume_rel SET consume_line_id = %s "
                            "WHERE consume_line_id = %s", (second.id, produced.id))
        self.assertEqual(self._down(flour), [flour.id, other.id])
        self._assert_kept()

    def test_line_state_lot_date_and_move(self):
        """A done line that leaves done, comes back, changes lot, date or move: its edges
        follow, whichever side of the link it is."""
        flour, bread, consumed, produced = self._chain()
        cr = self.env.cr
        cr.execute("UPDATE stock_move_line SET state = 'cancel' WHERE id = %s", (consumed.id,))
        self.assertEqual(self._edges(consumed), [])
        cr.execute("UPDATE stock_move_line SET state = 'done' WHERE id = %s", (consumed.id,))
        self.assertEqual(len(self._edges(consumed)), 1)
        other = self._create_lot(self.bread)
        cr.execute("UPDATE stock_move_line SET lot_id = %s, date = '2020-02-03 04:05:06' "
                   "WHERE id = %s", (other.id, produced.id))
        self.assertEqual(self._down(flour), [flour.id, other.id])
        self.assertEqual(str(self._edges(produced)[0][6]), "2020-02-03 04:05:06")
        cr.execute("UPDATE stock_move_line SET lot_id = NULL WHERE id = %s", (consumed.id,))
        self.assertEqual(self._edges(consumed), [])
        cr.execute("UPDATE stock_move_line SET lot_id = %s WHERE id = %s",
                   (flour.id, consumed.id))
        move = self._done_moves([(flour, 1.0)], self.stock_location,
                                self.customer_location).move_id
        cr.execute("UPDATE stock_move_line SET move_id = %s WHERE id = %s",
                   (move.id, consumed.id))
        self.assertEqual(self._edges(consumed)[0][5], move.id)
        self._assert_kept()

    def test_line_deleted(self):
        flour, bread, consumed, produced = self._chain()
        self.env.cr.execute("DELETE FROM stock_move_line WHERE id = %s", (produced.id,))
        self.assertEqual(self._edges(consumed), [])
        self.assertEqual(self._down(flour), [flour.id])
        self._assert_kept()

    def test_not_done_lines_make_no_edge(self):
        flour = self._create_lot(self.flour)
        self._receive(self.flour, [(flour, 10.0)])
        bread = self._create_lot(self.bread)
        consumed, produced = self._transform_as_mrp([(flour, 4.0)], [(bread, 2.0)])
        self.env.cr.execute("UPDATE stock_move_line SET state = 'assigned' WHERE id IN %s",
                            ((consumed.id, produced.id),))
        self.assertEqual(self._edges(consumed, produced), [])
        self._assert_kept()

    def test_split_through_the_bulk_writer(self):
        """Split Into Units from the bulk writer's threshold writes its links in SQL, one
        statement for all: every unit has its edge."""
        flour = self._create_lot(self.flour)
        self._receive(self.flour, [(flour, float(BULK_MIN_UNITS))])
        units = self._split(flour, unit_count=BULK_MIN_UNITS)
        self.assertEqual(len(units), BULK_MIN_UNITS)
        self.assertEqual(set(self._down(flour)), {flour.id} | set(units.ids))
        self._assert_kept()

    def test_differences_are_found_and_rebuilt(self):
        """The check the suite relies on can fail: an edge removed behind the triggers' back,
        or a wrong one, is reported; a rebuild (what updating the module runs) repairs it."""
        flour, bread, consumed, produced = self._chain()
        cr = self.env.cr
        cr.execute("DELETE FROM lot_trace_edge WHERE produced_line_id = %s", (produced.id,))
        cr.execute("INSERT INTO lot_trace_edge VALUES (%s, %s, %s, %s, NULL, NULL, NULL, "
                   "NULL)", (consumed.id, produced.id, flour.id, bread.id))
        self.assertEqual(self.Edge._get_differences(), ([(consumed.id, produced.id)],
                                                        [(produced.id, consumed.id)]))
        self.assertEqual(self._down(flour), [flour.id])
        self.Edge._rebuild()
        self._assert_kept()
        self.assertEqual(self._down(flour), [flour.id, bread.id])

    def test_uninstall_drops_table_and_triggers(self):
        cr = self.env.cr
        with self.assertRaises(_Undo), cr.savepoint():
            edge_module.drop_edges(cr)
            cr.execute("SELECT to_regclass('lot_trace_edge')")
            self.assertIsNone(cr.fetchone()[0])
            cr.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'lot_trace_edge%%'")
            self.assertEqual(cr.fetchone()[0], 0)
            self._chain()  # stock moves and links are written without them
            raise _Undo()
        self.env.cache.invalidate()
        cr.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'lot_trace_edge%%'")
        self.assertEqual(cr.fetchone()[0], 5)

    def test_init_creates_and_rebuilds(self):
        flour, bread, consumed, produced = self._chain()
        self.env.cr.execute("DELETE FROM lot_trace_edge")
        self.Edge.init()
        self._assert_kept()
        self.assertEqual(len(self._edges(produced)), 1)
