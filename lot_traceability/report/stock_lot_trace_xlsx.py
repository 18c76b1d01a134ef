# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The trace of one or more lots as an XLSX workbook, read only from the genealogy engine."""
from odoo import _, fields, models

SHEETS = {
    "upstream": ("Depth", "Lot", "Product", "Supplier", "Received", "Document", "Quantity",
                 "Unit"),
    "downstream": ("Depth", "Lot", "Product", "Made from", "Date"),
    "stock": ("Lot", "Location", "Quantity", "Reserved", "Unit"),
    "shipments": ("Lot", "Customer", "Address", "Date", "Document", "Quantity", "Returned",
                  "Net", "Unit"),
}


class StockLotTraceXlsx(models.AbstractModel):
    _name = "report.lot_traceability.stock_lot_trace_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Lot trace XLSX export"

    def get_workbook_options(self):
        # User text (lot codes, partner names) must never become a formula, URL or number.
        return {"constant_memory": True, "strings_to_formulas": False,
                "strings_to_numbers": False, "strings_to_urls": False}

    def _get_lots(self, objs):
        if objs._name == "stock.lot.recall":
            return objs.mapped("lot_ids")
        return objs

    def generate_xlsx_report(self, workbook, data, objs):
        lots = self._get_lots(objs)
        tz = self.env.user.company_id.partner_id.tz or self.env.user.tz or "UTC"
        trace = self.env["stock.lot.trace"].with_context(tz=tz)
        details = [trace.lot_details(lot.id) for lot in lots]
        formats = {"head": workbook.add_format({"bold": True}),
                   "date": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})}
        rows = {
            "upstream": self._get_upstream_rows(trace, lots),
            "downstream": self._get_downstream_rows(trace, lots),
            "stock": [(d["lot"]["name"], s["location"], s["qty"], s["reserved"], d["lot"]["uom"])
                      for d in details for s in d["in_stock"]],
            "shipments": [(d["lot"]["name"], s["customer"] or "", s["address"] or "",
                           self._to_datetime(s["date"]), s["document"] or "", s["qty"],
                           s["returned_qty"], s["net_qty"], d["lot"]["uom"])
                          for d in details for s in d["shipped_to"]],
        }
        self._write_summary(workbook, formats, lots, rows, tz)
        for key, title in (("upstream", _("Upstream")), ("downstream", _("Downstream")),
                           ("stock", _("Stock")), ("shipments", _("Shipments"))):
            self._write_sheet(workbook.add_worksheet(title), formats, SHEETS[key], rows[key])

    def _to_datetime(self, value):
        return fields.Datetime.from_string(value) if value else None

    def _get_upstream_rows(self, trace, lots):
        data = trace.trace(lots.ids, "upstream")
        found = self.env["stock.production.lot"].browse([r["lot_id"] for r in data["lots"]])
        receipts = trace._get_receipts(found)
        rows = []
        for row, lot in zip(data["lots"], found):
            uom = lot.product_id.uom_id.name
            for receipt in receipts.get(lot.id) or [{}]:
                rows.append((row["depth"], lot.name, lot.product_id.display_name,
                             receipt.get("supplier") or "", self._to_datetime(receipt.get("date")),
                             receipt.get("document") or "", receipt.get("qty"), uom))
        return rows

    def _get_downstream_rows(self, trace, lots):
        data = trace.trace(lots.ids, "downstream")
        found = self.env["stock.production.lot"].browse([r["lot_id"] for r in data["lots"]])
        names = {lot.id: lot for lot in found}
        depths, parents = {r["lot_id"]: r["depth"] for r in data["lots"]}, {}
        for edge in data["edges"]:
            if edge["depth"] == depths.get(edge["to_lot_id"]):
                parents.setdefault(edge["to_lot_id"], []).append(names[edge["from_lot_id"]].name)
        return [(row["depth"], names[row["lot_id"]].name,
                 names[row["lot_id"]].product_id.display_name,
                 ", ".join(parents.get(row["lot_id"], [])),
                 self._to_datetime(trace._to_user_tz(row["date"])))
                for row in data["lots"]]

    def _write_summary(self, workbook, formats, lots, rows, tz):
        sheet = workbook.add_worksheet(_("Summary"))
        now = self._to_datetime(self.env["stock.lot.trace"].with_context(tz=tz)._to_user_tz(
            fields.Datetime.now()))
        lines = [(_("Question"), _("Trace of lots %(lots)s") % {
            "lots": ", ".join(lots.mapped("name"))}),
            (_("Generated"), now), (_("Time zone"), tz), (_("By"), self.env.user.name),
            (_("Upstream lots"), len({r[1] for r in rows["upstream"]})),
            (_("Downstream lots"), len(rows["downstream"])),
            (_("On hand"), sum(r[2] for r in rows["stock"])),
            (_("Shipments"), len(rows["shipments"]))]
        for index, (label, value) in enumerate(lines):
            sheet.write_string(index, 0, label, formats["head"])
            self._write_cell(sheet, index, 1, value, formats)

    def _write_sheet(self, sheet, formats, headers, rows):
        sheet.freeze_panes(1, 0)
        for col, header in enumerate(headers):
            sheet.write_string(0, col, header, formats["head"])
        for index, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                self._write_cell(sheet, index, col, value, formats)
        sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)

    def _write_cell(self, sheet, row, col, value, formats):
        if value is None or value is False or value == "":
            sheet.write_blank(row, col, None)
        elif isinstance(value, str):
            sheet.write_string(row, col, value)
        elif hasattr(value, "year"):
            sheet.write_datetime(row, col, value, formats["date"])
        else:
            sheet.write_number(row, col, value)
