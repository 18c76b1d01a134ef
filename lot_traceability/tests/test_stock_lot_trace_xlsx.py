# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The lot trace XLSX export, read back with openpyxl."""
from datetime import datetime
from io import BytesIO

import openpyxl
import xlsxwriter

from odoo.exceptions import UserError
from odoo.tools.safe_eval import safe_eval

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
                                           None, None, None],
                                          [1, self.bottle.name,
                                           self.juice_product.display_name, self.juice.name,
                                           downstream[2][4], "UTC"]])
        self.assertIsInstance(downstream[2][4], datetime)
        self.assertEqual(sorted(tuple(row[:5]) for row in self._rows(book["Stock"])[1:]),
                         sorted([(self.juice.name, "WH/Stock", 3, 0, "Unit(s)"),
                                 (self.bottle.name, "WH/Stock", 4, 0, "Unit(s)")]),
                         "the juice and the bottle made from it")
        shipments = self._rows(book["Shipments"])
        self.assertEqual(len(shipments), 2)
        self.assertEqual(shipments[1][1], self.customer.display_name)
        self.assertIsInstance(shipments[1][3], datetime)
        self.assertEqual(shipments[1][4:8], [self.delivery.name, 5, 0, 5])
        for name in ("Upstream", "Downstream", "Stock", "Shipments"):
            self.assertEqual(book[name].freeze_panes, "A2")
            self.assertTrue(book[name].auto_filter.ref)

    def test_downstream_lots_in_stock_and_shipments(self):
        """From the apples: the Stock and Shipments sheets cover the juice and the bottle
        made from them, and the shipped juice with its customer and unit."""
        book = self._export("lot_traceability.stock_lot_trace_xlsx_action", self.apple)
        stock = {row[0]: row for row in self._rows(book["Stock"])[1:]}
        self.assertEqual(set(stock), {self.apple.name, self.juice.name, self.bottle.name})
        self.assertEqual(stock[self.bottle.name][2:6],
                         [4, 0, "Unit(s)", self.juice_product.display_name])
        [header, shipped] = self._rows(book["Shipments"])
        self.assertEqual(header[9], "Product")
        self.assertEqual((shipped[0], shipped[1], shipped[5], shipped[8]),
                         (self.juice.name, self.customer.display_name, 5, "Unit(s)"))

    def test_file_name_names_the_lot(self):
        """The downloaded file is named after the lot (or the recall)."""
        report = self.env.ref("lot_traceability.stock_lot_trace_xlsx_action")
        self.assertEqual(safe_eval(report.print_report_name, {"object": self.juice}),
                         "lot_trace_%s" % self.juice.name.replace("/", "-"))
        recall = self.env["stock.lot.recall"].create({"lot_ids": [(6, 0, self.apple.ids)]})
        recall_report = self.env.ref("lot_traceability.stock_lot_recall_trace_xlsx_action")
        self.assertEqual(safe_eval(recall_report.print_report_name, {"object": recall}),
                         "recall_trace_%s" % recall.name.replace("/", "-"))

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

    def test_summary_on_hand_per_unit(self):
        """The summary's stock on hand sums each unit apart: kilograms and pieces are not
        one number."""
        puree = self._create_product("Puree", uom=self.uom_kg)
        batch = self._create_lot(puree)
        self._receive(puree, [(batch, 7.5)])
        jar = self._create_lot(self.juice_product)
        self._transform_as_mrp([(batch, 2.5)], [(jar, 3)])
        book = self._export("lot_traceability.stock_lot_trace_xlsx_action", batch)
        summary = {row[0]: row[1] for row in self._rows(book["Summary"])}
        # by unit name, case-insensitive, as the recall's totals: "5 kg + 3 Unit(s)"
        self.assertEqual(summary["On hand"], " + ".join(
            "%s %s" % pair for pair in sorted([("5", self.uom_kg.name),
                                               ("3", self.juice_product.uom_id.name)],
                                              key=lambda pair: pair[1].lower())))


class TestStockLotTraceXlsxPages(TraceabilityCase):
    """Big traces are read in pages: the workbook must not depend on the page size."""

    @classmethod
    def setUpClass(cls):
        """Pulp lot S (received twice) split into C1..C5; C1+C2 make G1, C3 makes G2, C4+C5
        make G3; G1 makes H. Downstream of S: 10 lots on 4 levels."""
        super(TestStockLotTraceXlsxPages, cls).setUpClass()
        pulp, cut = cls._create_product("Pulp"), cls._create_product("Cut")
        cls.source = cls._create_lot(pulp, "S")
        cls._receive(pulp, [(cls.source, 10)])
        cls._receive(pulp, [(cls.source, 5)])
        cls.children = [cls._create_lot(cut, "C%d" % index) for index in range(1, 6)]
        cls._transform_as_mrp([(cls.source, 15)], [(lot, 3) for lot in cls.children])
        cls.grand = [cls._create_lot(cut, "G%d" % index) for index in range(1, 4)]
        for inputs, output in ((cls.children[:2], cls.grand[0]), (cls.children[2:3], cls.grand[1]),
                               (cls.children[3:], cls.grand[2])):
            cls._transform_as_mrp([(lot, 3) for lot in inputs], [(output, 3)])
        cls.last = cls._create_lot(cut, "H")
        cls._transform_as_mrp([(cls.grand[0], 3)], [(cls.last, 3)])

    def _export(self, lots, page_size=None):
        report = self.env.ref("lot_traceability.stock_lot_trace_xlsx_action").sudo(
            self.trace_user).with_context(lot_trace_page_size=page_size)
        content, _kind = report.render_xlsx(lots.ids, {})
        book = openpyxl.load_workbook(BytesIO(content))
        return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
                for sheet in book.worksheets}

    def _without_generated(self, book):
        return dict(book, Summary=[row for row in book["Summary"] if row[0] != "Generated"])

    def test_downstream_pages_same_rows_as_one_page(self):
        """Pages of 1 and 3 lots give the rows of one page, in the engine's trace order."""
        one_page = self._export(self.source)
        downstream = one_page["Downstream"][1:]
        self.assertEqual(len(downstream), 10)
        trace = self.env["stock.lot.trace"].sudo(self.trace_user).trace(
            self.source.ids, "downstream")
        names = self.env["stock.production.lot"].browse(
            [row["lot_id"] for row in trace["lots"]]).mapped("name")
        self.assertEqual([row[1] for row in downstream], names)
        self.assertEqual([row[0] for row in downstream], [0] + [1] * 5 + [2] * 3 + [3])
        made_from = {row[1]: row[3] for row in downstream}
        self.assertEqual(made_from["G1"], "C1, C2")
        self.assertEqual(made_from["G3"], "C4, C5")
        self.assertEqual(made_from["H"], "G1")
        summary = dict((row[0], row[1]) for row in one_page["Summary"])
        self.assertEqual(summary["Downstream lots"], 10)
        for page_size in (1, 3):
            self.assertEqual(self._without_generated(self._export(self.source, page_size)),
                             self._without_generated(one_page))

    def test_upstream_pages_keep_receipts_with_their_lot(self):
        """A lot received twice has two Upstream rows, whatever the page boundaries."""
        one_page = self._export(self.last)
        upstream = one_page["Upstream"][1:]
        self.assertEqual([(row[0], row[1]) for row in upstream],
                         [(0, "H"), (1, "G1"), (2, "C1"), (2, "C2"), (3, "S"), (3, "S")])
        self.assertEqual(sorted(row[6] for row in upstream if row[1] == "S"), [5, 10])
        self.assertEqual(dict((row[0], row[1]) for row in one_page["Summary"])["Upstream lots"],
                         5)
        for page_size in (1, 2, 4):
            self.assertEqual(self._without_generated(self._export(self.last, page_size)),
                             self._without_generated(one_page))

    def test_trace_pages_match_trace(self):
        """The engine's pages list trace()'s lots, in its order, with their parents."""
        engine = self.env["stock.lot.trace"].sudo(self.trace_user)
        for direction, start in (("downstream", self.source), ("upstream", self.last)):
            pages = list(engine._trace_pages(start.ids, direction, page_size=4))
            self.assertEqual([len(page) for page in pages][:1], [4])
            rows = [row for page in pages for row in page]
            trace = engine.trace(start.ids, direction)
            self.assertEqual([(row[0], row[1], row[2]) for row in rows],
                             [(row["lot_id"], row["depth"], row["date"])
                              for row in trace["lots"]])
        pages = list(engine._trace_pages(self.source.ids, "downstream", max_depth=1))
        self.assertEqual([row[3] for row in pages[0]], ["S", "C1", "C2", "C3", "C4", "C5"])
        self.assertEqual(pages[0][1][5], ["S"])

    def test_formula_injection_text_in_every_sheet(self):
        """Hostile lot codes are text in Upstream, Downstream, Stock and Shipments."""
        product = self._create_product("Cider")
        lots = self.env["stock.production.lot"]
        for name in INJECTIONS:
            lots |= self._create_lot(product, name)
        self._receive(product, [(lot, 4) for lot in lots])
        self._deliver(product, [(lot, 1) for lot in lots])
        blend = self._create_lot(product, "=1+2")
        self._transform_as_mrp([(lot, 1) for lot in lots], [(blend, 4)])
        content, _kind = self.env.ref("lot_traceability.stock_lot_trace_xlsx_action").sudo(
            self.trace_user).with_context(lot_trace_page_size=2).render_xlsx(lots.ids, {})
        book = openpyxl.load_workbook(BytesIO(content))
        lot_columns = {"Upstream": (2,), "Downstream": (2, 4), "Stock": (1,), "Shipments": (1,)}
        for title, columns in lot_columns.items():
            cells = [cell for row in book[title].iter_rows(min_row=2) for cell in row
                     if cell.column in columns and cell.value is not None]
            self.assertTrue(set(INJECTIONS) <= {cell.value for cell in cells}, title)
            self.assertEqual({cell.data_type for cell in cells}, {"s"}, title)
        downstream = [row for row in book["Downstream"].iter_rows(min_row=2, values_only=True)]
        self.assertEqual(downstream[-1][1], "=1+2")
        self.assertEqual(downstream[-1][3], ", ".join(INJECTIONS))

    def test_sheet_too_small_refused(self):
        """Rows beyond what a sheet holds raise an error instead of being dropped."""
        report = self.env["report.lot_traceability.stock_lot_trace_xlsx"]
        book = xlsxwriter.Workbook(BytesIO(), report.get_workbook_options())
        sheet = report._add_sheet(book, "Downstream")
        formats = {"head": None, "date": None}
        self.assertEqual(report._write_sheet(sheet, formats, ("A",), [[("a",), ("b",)]]), 2)
        sheet = report._add_sheet(book, "Small")
        sheet.xls_rowmax = 3  # what xlsxwriter checks every write against (1048576 rows)
        with self.assertRaisesRegex(UserError, "Small sheet would have more than 2 rows"):
            report._write_sheet(sheet, formats, ("A",), [[("a",), ("b",)], [("c",)]])
        book.close()
