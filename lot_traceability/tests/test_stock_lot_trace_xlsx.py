# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The lot trace XLSX export, read back with openpyxl."""
from datetime import datetime
from io import BytesIO

import openpyxl

from .common import TraceabilityCase

INJECTIONS = ('=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)")


class TestStockLotTraceXlsx(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        """An apple lot with a hostile name and sugar make juice; juice is shipped."""
        super(TestStockLotTraceXlsx, cls).setUpClass()
        apples, sugar = cls._create_product("Apples"), cls._create_product("Sugar")
        cls.juice_product = cls._create_product("Juice")
        cls.apple = cls._create_lot(apples, INJECTIONS[0])
        cls.sugar = cls._create_lot(sugar, INJECTIONS[1])
        cls._receive(apples, [(cls.apple, 40)])
        cls._receive(sugar, [(cls.sugar, 10)])
        cls.juice = cls._create_lot(cls.juice_product, INJECTIONS[2])
        cls.bottle = cls._create_lot(cls.juice_product, INJECTIONS[3])
        cls._transform_as_mrp([(cls.apple, 10), (cls.sugar, 2)], [(cls.juice, 12)])
        cls._transform_as_mrp([(cls.juice, 4)], [(cls.bottle, 4)])
        cls.delivery = cls._deliver(cls.juice_product, [(cls.juice, 5)])

    def _export(self, xmlid, records):
        content, kind = self.env.ref(xmlid).sudo(self.trace_user).render_xlsx(records.ids, {})
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(BytesIO(content))

    def _rows(self, sheet):
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    def test_juice_workbook(self):
        """Sheets, frozen headers with filters, genealogy rows, numbers and real dates."""
        book = self._export("lot_traceability.stock_lot_trace_xlsx_action", self.juice)
        self.assertEqual(book.sheetnames,
                         ["Summary", "Upstream", "Downstream", "Stock", "Shipments"])
        upstream = self._rows(book["Upstream"])
        self.assertEqual(upstream[0][:3], ["Depth", "Lot", "Product"])
        self.assertEqual({(row[0], row[1]) for row in upstream[1:]},
                         {(0, self.juice.name), (1, self.apple.name), (1, self.sugar.name)})
        apple_row = [row for row in upstream if row[1] == self.apple.name][0]
        self.assertEqual(apple_row[3], self.supplier.display_name)
        self.assertIsInstance(apple_row[4], datetime)
        self.assertEqual(apple_row[6], 40)
        downstream = self._rows(book["Downstream"])
        self.assertEqual(downstream[1:], [[0, self.juice.name, self.juice_product.display_name,
                                           None, None],
                                          [1, self.bottle.name,
                                           self.juice_product.display_name, self.juice.name,
                                           downstream[2][4]]])
        self.assertIsInstance(downstream[2][4], datetime)
        self.assertEqual(self._rows(book["Stock"])[1][:4], [self.juice.name, "WH/Stock", 3, 0])
        shipments = self._rows(book["Shipments"])
        self.assertEqual(len(shipments), 2)
        self.assertEqual(shipments[1][1], self.customer.display_name)
        self.assertIsInstance(shipments[1][3], datetime)
        self.assertEqual(shipments[1][4:8], [self.delivery.name, 5, 0, 5])
        for name in ("Upstream", "Downstream", "Stock", "Shipments"):
            self.assertEqual(book[name].freeze_panes, "A2")
            self.assertTrue(book[name].auto_filter.ref)

    def test_formula_injection_written_as_text(self):
        """Lot codes that look like formulas or numbers appear literally, as text."""
        book = self._export("lot_traceability.stock_lot_trace_xlsx_action", self.bottle)
        cells = [cell for row in book["Upstream"].iter_rows() for cell in row
                 if cell.column == 2 and cell.row > 1]
        self.assertEqual({cell.value for cell in cells}, set(INJECTIONS))
        self.assertEqual({cell.data_type for cell in cells}, {"s"})

    def test_recall_export_and_summary(self):
        """A recall exports the trace of its origin lots; the summary says what was asked."""
        recall = self.env["stock.lot.recall"].create({"lot_ids": [(6, 0, self.apple.ids)]})
        book = self._export("lot_traceability.stock_lot_recall_trace_xlsx_action", recall)
        summary = {row[0]: row[1] for row in self._rows(book["Summary"])}
        self.assertIn(self.apple.name, summary["Question"])
        self.assertEqual(summary["By"], self.trace_user.name)
        self.assertEqual(summary["Downstream lots"], 3)
        self.assertIsInstance(summary["Generated"], datetime)
