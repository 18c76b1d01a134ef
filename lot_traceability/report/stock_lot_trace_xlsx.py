# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The trace of one or more lots as an XLSX workbook, read only from the genealogy engine.

Built to export big traces (100,000 lots and more) in little memory: xlsxwriter's constant
memory mode writes each row to a temporary file as soon as the next row starts, and the
Upstream and Downstream rows come from the engine's one walk in pages
(``stock.lot.trace._trace_pages``, a server-side cursor), each page's records leaving the
cache once written. The Stock and Shipments sheets cover the exported lots and every lot
made from them (the lots of the Downstream sheet), one ledger query each
(``stock.lot.ledger``). The Summary sheet is first in the workbook but written last, from the
counts made while writing the other sheets.
"""
from xlsxwriter.workbook import Workbook

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.lot_traceability_input import OfType, check_arguments
from ..models.stock_lot_trace import DIRECTIONS
from ..tools import inputs, xlsx_stream

#: Most lots read at a time (the context can lower the default, not exceed this).
MAX_PAGE_SIZE = 100000
# Dates are the local time of the warehouse where each event happened, its zone in the
# sheet's last column (stock.lot.tz).
SHEETS = {
    "upstream": ("Depth", "Lot", "Product", "Supplier", "Received", "Document", "Quantity",
                 "Unit", "Time Zone"),
    "downstream": ("Depth", "Lot", "Product", "Made from", "Date", "Time Zone"),
    "stock": ("Lot", "Location", "Quantity", "Reserved", "Unit", "Product"),
    "shipments": ("Lot", "Customer", "Address", "Date", "Document", "Quantity", "Returned",
                  "Net", "Unit", "Product", "Contact", "Time Zone"),
}


class StockLotTraceXlsx(models.AbstractModel):
    _name = "report.lot_traceability.stock_lot_trace_xlsx"
    _inherit = ["report.report_xlsx.abstract", "lot.traceability.job.report"]
    _description = "Lot trace XLSX export"
    # A background job from this many Upstream and Downstream rows on.
    _job_operation = "trace_xlsx"

    # Lots read from the database at a time (context key lot_trace_page_size overrides).
    _page_size = 2000
    # The model of the records the report action exports (one report name per action).
    _report_model = "stock.production.lot"

    @check_arguments()
    def get_workbook_options(self):
        # Rows go to temporary files as they are written (report_xlsx 11.0 passes these
        # options to xlsxwriter.Workbook). User text (lot codes, partner names) must never
        # become a formula, URL or number.
        return {"constant_memory": True, "strings_to_formulas": False,
                "strings_to_numbers": False, "strings_to_urls": False}

    def _get_lots(self, objs):
        return objs

    def _add_sheet(self, workbook, name):
        """A new sheet of ``workbook`` that writes its common cells directly (the same XML as
        xlsxwriter's, tools/xlsx_stream.py): every sheet of the exports is made here."""
        return workbook.add_worksheet(name, worksheet_class=xlsx_stream.StreamWorksheet)

    @api.model
    @check_arguments()
    def get_job_size(self, docids, data=None):
        """The rows of the Upstream and Downstream sheets: the lots each walk reaches,
        counted without reading them."""
        lots = self._get_lots(self._get_job_records(docids))
        trace = self.env["stock.lot.trace"]
        return sum(trace.count_lots(lots.ids, direction) for direction in DIRECTIONS)

    def _report_rows_done(self, totals):
        """In a job, the Upstream and Downstream rows written so far are its progress."""
        self.env["lot.traceability.job"].report_progress(
            totals["upstream"] + totals["downstream"])

    def _check_report_objects(self, objs):
        """The records exported are of the action's model: a report name serves one model."""
        if objs._name != self._report_model:
            raise UserError(_("%(report)s exports %(model)s records, not %(given)s.") % {
                "report": self._description, "model": self._report_model,
                "given": objs._name})

    def _get_page_size(self):
        try:
            return inputs.clean_integer(
                self.env.context.get("lot_trace_page_size") or self._page_size,
                "lot_trace_page_size", 1, MAX_PAGE_SIZE)
        except inputs.InputError as error:
            raise UserError(str(error))

    @check_arguments(workbook=OfType(Workbook), objs=OfType(models.BaseModel))
    def generate_xlsx_report(self, workbook, data, objs):
        self._check_report_objects(objs)
        self.env["stock.lot.trace"]._check_read_rights()
        lots = self._get_lots(objs)
        tz = self.env["stock.lot.tz"]._get_company_tz()
        trace = self.env["stock.lot.trace"]
        formats = {"head": workbook.add_format({"bold": True}),
                   "date": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})}
        # Sheets in their order; constant memory mode lets sheets be written in any order,
        # the rows of each one in order.
        summary = self._add_sheet(workbook, _("Summary"))
        totals = {"upstream": 0, "downstream": 0, "downstream_ids": []}
        self._write_sheet(self._add_sheet(workbook, _("Upstream")), formats,
                          SHEETS["upstream"], self._get_upstream_pages(trace, lots, totals, tz))
        self._write_sheet(self._add_sheet(workbook, _("Downstream")), formats,
                          SHEETS["downstream"], self._get_downstream_pages(trace, lots, totals,
                                                                           tz))
        lot_ids = totals.pop("downstream_ids")
        stock = self._get_stock_rows(lot_ids, totals)
        self._write_sheet(self._add_sheet(workbook, _("Stock")), formats, SHEETS["stock"],
                          [stock])
        shipments = self._write_sheet(self._add_sheet(workbook, _("Shipments")), formats,
                                      SHEETS["shipments"], self._get_shipment_pages(lot_ids, tz))
        totals.update(shipments=shipments)
        self._write_summary(summary, formats, lots, totals, tz)

    def _to_datetime(self, value, tz):
        """A UTC string as a naive datetime in ``tz`` (stock.lot.tz, the one conversion)."""
        return self.env["stock.lot.tz"]._to_local(value, tz)

    def _get_rows_tz(self, rows, default, known):
        """Per ledger row's ``line_id``, the time zone of its event (its warehouse's);
        ``known``: the zones of the locations found on earlier pages."""
        lines = self.env["stock.move.line"].browse(
            [row["line_id"] for row in rows if row.get("line_id")])
        zones = self.env["stock.lot.tz"]._get_lines_tz(lines, known)
        return {line_id: zones.get(line_id) or default for line_id in lines.ids}

    def _get_made_at_tz(self, lot_ids, known):
        """Per lot id, the time zone of the warehouse where the lot was made (the ledger's
        :meth:`made_at`, one query over the lots' lines)."""
        if not lot_ids:
            return {}
        made = self.env["stock.lot.ledger"].made_at(list(lot_ids))
        zones = self.env["stock.lot.tz"]._get_locations_tz(
            self.env["stock.location"].browse(set(made.values())), known)
        return {lot_id: zones[location_id] for lot_id, location_id in made.items()}

    def _get_products(self, cache, product_ids):
        """Per product id, its display name and unit name (``cache`` filled as needed)."""
        missing = [pid for pid in set(product_ids) if pid not in cache]
        for product in self.env["product.product"].browse(missing):
            cache[product.id] = (product.display_name, product.uom_id.name)
        return cache

    def _end_page(self):
        """Drop the records a page read from the cache: memory stays one page's worth."""
        self.env.cache.invalidate()

    def _get_upstream_pages(self, trace, lots, totals, tz):
        """Upstream rows a page of lots at a time: one row per supplier receipt of a lot."""
        products, known = {}, {}
        for page in trace._trace_pages(lots.ids, "upstream", page_size=self._get_page_size()):
            self._get_products(products, [row[4] for row in page])
            receipts = {}
            found = self.env["stock.lot.ledger"].receipts([row[0] for row in page])
            zones = self._get_rows_tz(found, tz, known)
            for receipt in found:
                receipts.setdefault(receipt["lot_id"], []).append(receipt)
            external = self._get_external_receipts([row[0] for row in page])
            rows = []
            for lot_id, depth, _date, name, product_id, _parents in page:
                product, uom = products[product_id]
                for receipt in receipts.get(lot_id) or [external.get(lot_id, {})]:
                    zone = zones.get(receipt.get("line_id"), tz) if receipt else ""
                    rows.append((depth, name, product, receipt.get("supplier") or "",
                                 self._to_datetime(receipt.get("date"), zone),
                                 receipt.get("document") or "", receipt.get("qty"), uom, zone))
            totals["upstream"] += len(page)
            self._report_rows_done(totals)
            self._end_page()
            yield rows

    def _get_external_receipts(self, lot_ids):
        """Per external lot (a partner's, known from EPCIS) of these, a receipt-like row
        naming it: "external lot of <partner>" and its EPCIS document."""
        lots = self.env["stock.production.lot"].sudo().search(
            [("id", "in", lot_ids), ("epcis_external", "=", True)])
        return {lot.id: {"supplier": _("External lot of %s") % (
            lot.epcis_partner_id.display_name or "?"),
            "document": lot.epcis_event_id.document_id.name or ""} for lot in lots}

    def _get_downstream_pages(self, trace, lots, totals, tz):
        """Downstream rows a page of lots at a time: each lot with the lots it was made from
        (their ids are kept for the Stock and Shipments sheets)."""
        products, known = {}, {}
        for page in trace._trace_pages(lots.ids, "downstream", page_size=self._get_page_size()):
            self._get_products(products, [row[4] for row in page])
            zones = self._get_made_at_tz([row[0] for row in page if row[2]], known)
            # The units of a split share their date and zone: convert each pair once a page.
            local = {(date, zone): self._to_datetime(date, zone) for date, zone in {
                (row[2], zones.get(row[0], tz)) for row in page}}
            totals["downstream"] += len(page)
            totals["downstream_ids"] += [row[0] for row in page]
            self._report_rows_done(totals)
            self._end_page()
            yield [(depth, name, products[product_id][0], ", ".join(parents),
                    local[date, zones.get(lot_id, tz)], zones.get(lot_id, tz) if date else "")
                   for lot_id, depth, date, name, product_id, parents in page]

    def _get_stock_rows(self, lot_ids, totals):
        """On hand per location of the exported lots and of the lots made from them; their
        sum per unit (kilograms and pieces side by side) into ``totals["stock"]``."""
        products = self._get_products({}, [])
        rows = self.env["stock.lot.ledger"].stock(lot_ids)
        self._get_products(products, [row["product_id"] for row in rows])
        sums = {}
        for row in rows:
            uom = self.env["product.uom"].browse(row["uom_id"])
            sums[uom] = sums.get(uom, 0.0) + row["qty"]
        totals["stock"] = self.env["stock.lot.recall.customer"]._format_per_uom(sums) or "0"
        return [(row["lot_name"], row["location"], row["qty"], row["reserved"], row["uom"],
                 products[row["product_id"]][0]) for row in rows]

    def _get_shipment_pages(self, lot_ids, tz):
        """Deliveries of the exported lots and of the lots made from them, returns netted,
        a page at a time in the ledger's order (a recall of 200,000 units has as many)."""
        products, addresses, known = {}, {}, {}
        for rows in self.env["stock.lot.ledger"]._deliveries_pages(
                lot_ids, page_size=self._get_page_size()):
            self._get_products(products, [row["product_id"] for row in rows])
            addresses.update(self.env["res.partner"].browse(
                {row["contact_id"] for row in rows if row["contact_id"]} - set(addresses)
            )._get_display_addresses())
            zones = self._get_rows_tz(rows, tz, known)
            self._end_page()
            yield [(row["lot_name"], row["customer"] or "",
                    addresses.get(row["contact_id"]) or "",
                    self._to_datetime(row["date"], zones.get(row["line_id"], tz)),
                    row["document"] or "", row["qty"], row["returned_qty"], row["net_qty"],
                    row["uom"], products[row["product_id"]][0], row["contact"] or "",
                    zones.get(row["line_id"], tz))
                   for row in rows]

    def _write_summary(self, sheet, formats, lots, totals, tz):
        now = self._to_datetime(fields.Datetime.now(), tz)
        lines = [(_("Question"), _("Trace of lots %(lots)s") % {
            "lots": ", ".join(lots.mapped("name"))}),
            (_("Generated"), now), (_("Time zone"), tz), (_("By"), self.env.user.name),
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
        """Nothing for an empty value, text as text, dates as dates, the rest as numbers
        (``StreamWorksheet.write_value``)."""
        sheet.write_value(row, col, value, formats["date"])


class StockLotRecallTraceXlsx(models.AbstractModel):
    """The trace of a recall's origin lots: its own report name, so Odoo's
    ``/report/xlsx/<report_name>/<ids>`` reads recall ids as recalls, never as lots."""
    _name = "report.lot_traceability.stock_lot_recall_trace_xlsx"
    _inherit = "report.lot_traceability.stock_lot_trace_xlsx"
    _description = "Recall origin lots trace XLSX export"
    _report_model = "stock.lot.recall"

    def _get_lots(self, objs):
        return objs.mapped("lot_ids")
