# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The trace of one or more lots as an XLSX workbook, read only from the genealogy engine.

Built to export big traces (100,000 lots and more) in little memory: xlsxwriter's constant
memory mode writes each row to a temporary file as soon as the next row starts, and the
Upstream and Downstream rows come from the engine's one walk in pages
(``stock.lot.trace._trace_pages``, a server-side cursor), each page's records leaving the
cache once written. The Summary sheet is first in the workbook but written last, from the
counts made while writing the other sheets.
"""
from odoo import _, fields, models
from odoo.exceptions import UserError

# Dates are the local time of the warehouse where each event happened, its zone in the
# sheet's last column (stock.lot.tz).
SHEETS = {
    "upstream": ("Depth", "Lot", "Product", "Supplier", "Received", "Document", "Quantity",
                 "Unit", "Time Zone"),
    "downstream": ("Depth", "Lot", "Product", "Made from", "Date", "Time Zone"),
    "stock": ("Lot", "Location", "Quantity", "Reserved", "Unit"),
    "shipments": ("Lot", "Customer", "Address", "Date", "Document", "Quantity", "Returned",
                  "Net", "Unit", "Time Zone"),
}


class StockLotTraceXlsx(models.AbstractModel):
    _name = "report.lot_traceability.stock_lot_trace_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Lot trace XLSX export"

    # Lots read from the database at a time (context key lot_trace_page_size overrides).
    _page_size = 2000

    def get_workbook_options(self):
        # Rows go to temporary files as they are written (report_xlsx 11.0 passes these
        # options to xlsxwriter.Workbook). User text (lot codes, partner names) must never
        # become a formula, URL or number.
        return {"constant_memory": True, "strings_to_formulas": False,
                "strings_to_numbers": False, "strings_to_urls": False}

    def _get_lots(self, objs):
        if objs._name == "stock.lot.recall":
            return objs.mapped("lot_ids")
        return objs

    def _get_page_size(self):
        return int(self.env.context.get("lot_trace_page_size") or self._page_size)

    def generate_xlsx_report(self, workbook, data, objs):
        lots = self._get_lots(objs)
        trace = self.env["stock.lot.trace"]
        formats = {"head": workbook.add_format({"bold": True}),
                   "date": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})}
        # Sheets in their order; constant memory mode lets sheets be written in any order,
        # the rows of each one in order.
        summary = workbook.add_worksheet(_("Summary"))
        totals = {"upstream": 0, "downstream": 0}
        self._write_sheet(workbook.add_worksheet(_("Upstream")), formats, SHEETS["upstream"],
                          self._get_upstream_pages(trace, lots, totals))
        self._write_sheet(workbook.add_worksheet(_("Downstream")), formats,
                          SHEETS["downstream"], self._get_downstream_pages(trace, lots, totals))
        stock, shipments = self._get_stock_rows(trace, lots), self._get_shipment_rows(trace, lots)
        self._write_sheet(workbook.add_worksheet(_("Stock")), formats, SHEETS["stock"], [stock])
        self._write_sheet(workbook.add_worksheet(_("Shipments")), formats, SHEETS["shipments"],
                          [shipments])
        totals.update(stock=sum(row[2] for row in stock), shipments=len(shipments))
        self._write_summary(summary, formats, lots, totals)

    def _get_products(self, cache, product_ids):
        """Per product id, its display name and unit name (``cache`` filled as needed)."""
        missing = [pid for pid in set(product_ids) if pid not in cache]
        for product in self.env["product.product"].browse(missing):
            cache[product.id] = (product.display_name, product.uom_id.name)
        return cache

    def _end_page(self):
        """Drop the records a page read from the cache: memory stays one page's worth."""
        self.env.cache.invalidate()

    def _get_upstream_pages(self, trace, lots, totals):
        """Upstream rows a page of lots at a time: one row per supplier receipt of a lot."""
        products = {}
        for page in trace._trace_pages(lots.ids, "upstream", page_size=self._get_page_size()):
            self._get_products(products, [row[4] for row in page])
            receipts = trace._get_receipts(
                self.env["stock.production.lot"].browse([row[0] for row in page]))
            zones = self.env["stock.lot.tz"]._get_lines_tz(self.env["stock.move.line"].browse(
                [receipt["line_id"] for rows in receipts.values() for receipt in rows]))
            rows = []
            for lot_id, depth, _date, name, product_id, _parents in page:
                product, uom = products[product_id]
                for receipt in receipts.get(lot_id) or [{}]:
                    tz = zones.get(receipt.get("line_id"))
                    rows.append((depth, name, product, receipt.get("supplier") or "",
                                 self._to_local(receipt.get("utc_date"), tz),
                                 receipt.get("document") or "", receipt.get("qty"), uom, tz))
            totals["upstream"] += len(page)
            self._end_page()
            yield rows

    def _get_downstream_pages(self, trace, lots, totals):
        """Downstream rows a page of lots at a time: each lot with the lots it was made from."""
        products = {}
        for page in trace._trace_pages(lots.ids, "downstream", page_size=self._get_page_size()):
            self._get_products(products, [row[4] for row in page])
            zones = self._get_made_at_tz([row[0] for row in page if row[2]])
            totals["downstream"] += len(page)
            self._end_page()
            yield [(depth, name, products[product_id][0], ", ".join(parents),
                    self._to_local(date, zones.get(lot_id)), zones.get(lot_id))
                   for lot_id, depth, date, name, product_id, parents in page]

    def _get_made_at_tz(self, lot_ids):
        """Per lot id, the time zone of the warehouse where the lot was made (its first done
        line out of a production location), in one search."""
        if not lot_ids:
            return {}
        lines = self.env["stock.move.line"].search([
            ("lot_id", "in", list(lot_ids)), ("state", "=", "done"),
            ("location_id.usage", "=", "production")], order="date desc, id desc")
        zones = self.env["stock.lot.tz"]._get_lines_tz(lines)
        # Read from the last to the first: the first line of each lot is written last.
        return {line.lot_id.id: zones[line.id] for line in lines}

    def _to_local(self, utc_value, tz):
        """A UTC value as a naive local datetime of ``tz`` (None when empty)."""
        return self.env["stock.lot.tz"]._to_local(utc_value, tz) if utc_value else None

    def _get_stock_rows(self, trace, lots):
        """On hand per location of the exported lots (the engine's lot_details data)."""
        return [(lot.name, quant["location"], quant["qty"], quant["reserved"],
                 lot.product_id.uom_id.name)
                for lot in lots for quant in trace._get_in_stock(lot)]

    def _get_shipment_rows(self, trace, lots):
        """Deliveries of the exported lots, returns netted (the engine's lot_details data),
        dated in the time zone of the warehouse they left from."""
        shipments = [(lot, ship) for lot in lots for ship in trace._get_shipped_to(lot)]
        zones = self.env["stock.lot.tz"]._get_lines_tz(self.env["stock.move.line"].browse(
            [ship["line_id"] for _lot, ship in shipments]))
        return [(lot.name, ship["customer"] or "", ship["address"] or "",
                 self._to_local(ship["utc_date"], zones[ship["line_id"]]),
                 ship["document"] or "", ship["qty"], ship["returned_qty"], ship["net_qty"],
                 lot.product_id.uom_id.name, zones[ship["line_id"]])
                for lot, ship in shipments]

    def _write_summary(self, sheet, formats, lots, totals):
        tz = self.env["stock.lot.tz"]._get_company_tz()
        lines = [(_("Question"), _("Trace of lots %(lots)s") % {
            "lots": ", ".join(lots.mapped("name"))}),
            (_("Generated"), self._to_local(fields.Datetime.now(), tz)), (_("Time zone"), tz),
            (_("Dates"), _("Local time of the warehouse where each event happened (see each "
                           "sheet's Time Zone column).")),
            (_("By"), self.env.user.name),
            (_("Upstream lots"), totals["upstream"]),
            (_("Downstream lots"), totals["downstream"]),
            (_("On hand"), totals["stock"]),
            (_("Shipments"), totals["shipments"])]
        for index, (label, value) in enumerate(lines):
            sheet.write_string(index, 0, label, formats["head"])
            self._write_cell(sheet, index, 1, value, formats)

    def _write_sheet(self, sheet, formats, headers, pages):
        """Header, frozen, then the rows of ``pages`` (lists of rows) in order, filters on."""
        sheet.freeze_panes(1, 0)
        for col, header in enumerate(headers):
            sheet.write_string(0, col, header, formats["head"])
        count = 0
        for rows in pages:
            for row in rows:
                count += 1
                if count >= sheet.xls_rowmax:
                    # xlsxwriter would silently drop the rows a sheet cannot hold.
                    raise UserError(_(
                        "The %(sheet)s sheet would have more than %(max)s rows, more than an "
                        "XLSX sheet holds: export fewer lots at a time.") % {
                        "sheet": sheet.get_name(), "max": sheet.xls_rowmax - 1})
                for col, value in enumerate(row):
                    self._write_cell(sheet, count, col, value, formats)
        sheet.autofilter(0, 0, max(count, 1), len(headers) - 1)
        return count

    def _write_cell(self, sheet, row, col, value, formats):
        if value is None or value is False or value == "":
            sheet.write_blank(row, col, None)
        elif isinstance(value, str):
            sheet.write_string(row, col, value)
        elif hasattr(value, "year"):
            sheet.write_datetime(row, col, value, formats["date"])
        else:
            sheet.write_number(row, col, value)
