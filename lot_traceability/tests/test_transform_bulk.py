# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The sanctioned bulk path (DESIGN.md) leaves the database exactly as the ORM path does."""
import re

from ..tools.internal_context import internal_context
from .common import TraceabilityCase, unique

DATETIME = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
IGNORED = {"id", "create_date", "write_date", "date", "in_date", "date_expected"}


class TestTransformBulk(TraceabilityCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super(TestTransformBulk, cls).setUpClass()
        cls.sauce = cls._create_product("Sauce", uom=cls.uom_kg)
        cls.jar = cls._create_product("Jar", life_time=30, use_time=20, removal_time=25,
                                      alert_time=15)

    def _split(self, bulk):
        batch = self._create_lot(self.sauce, unique("B"))
        self._receive(self.sauce, [(batch, 10.0)])
        units = [(self.jar, "%s-%03d" % (batch.name, n), 1.0) for n in range(1, 6)]
        result = self._transform(
            [(self.sauce, batch, 2.5)], units, reference="Split %s" % batch.name,
            parent_lot=batch) if not bulk else self.env["stock.move"].with_context(
            **internal_context(lot_transform_bulk=True))._transform_lots(
            [{"product": self.sauce, "lot": batch, "qty": 2.5,
              "location": self.stock_location}],
            [{"product": self.jar, "qty": q, "location_dest": self.stock_location,
              "lot_vals": {"name": n, "product_id": self.jar.id}} for _p, n, q in units],
            "Split %s" % batch.name, parent_lot=batch)
        return batch, result

    def _rows(self, query, params, batch, lot_names):
        """Rows as dicts, without ids and timestamps, lots by name, batch name neutral."""
        self.env.cr.execute(query, params)
        rows = []
        for row in self.env.cr.dictfetchall():
            clean = {}
            for key, value in row.items():
                if key in IGNORED or key.endswith("move_id") or key == "parent_lot_id":
                    continue
                if key == "lot_id":
                    value = lot_names.get(value)
                if isinstance(value, str):
                    value = value.replace(batch.name, "<batch>")
                    if DATETIME.match(value):  # dates from "now + days": the day is what counts
                        value = value[:10]
                clean[key] = value
            rows.append(clean)
        return sorted(rows, key=repr)

    def _snapshot(self, batch, result):
        self.env.cr.execute("SELECT id, name FROM stock_production_lot WHERE parent_lot_id = %s",
                            (batch.id,))
        lots = dict(self.env.cr.fetchall())
        ids = tuple(lots)
        lines = result["produced_lines"]
        return {
            "lots": self._rows("SELECT * FROM stock_production_lot WHERE id IN %s", (ids,),
                               batch, lots),
            "lines": self._rows("SELECT * FROM stock_move_line WHERE lot_id IN %s", (ids,),
                                batch, lots),
            "quants": self._rows("SELECT * FROM stock_quant WHERE lot_id IN %s", (ids,),
                                 batch, lots),
            "move": self._rows("SELECT * FROM stock_move WHERE id IN %s",
                               (tuple(lines.mapped("move_id").ids),), batch, lots),
            "links": sorted((lines.browse(a).lot_id.name.replace(batch.name, ""),
                             lines.browse(b).lot_id.id == batch.id)
                            for a, b in self._consume_links(lines)),
            "followers": self.env["mail.followers"].search_count(
                [("res_model", "=", "stock.production.lot"), ("res_id", "in", ids)]),
            "parents": sorted(set(self.env["stock.production.lot"].browse(ids).mapped(
                "parent_lot_id.name"))) == [batch.name],
        }

    def test_bulk_equals_orm(self):
        """Lots (with product_expiry dates and parent), done move lines, quants, the move and
        the genealogy links are the same whichever path wrote them."""
        orm = self._snapshot(*self._split(bulk=False))
        bulk = self._snapshot(*self._split(bulk=True))
        self.assertEqual(len(orm["lots"]), 5)
        self.assertTrue(orm["lots"][0]["life_date"])
        for key in orm:
            self.assertEqual(bulk[key], orm[key], key)
        self.assertEqual(self._on_hand(self.jar), 10.0)
