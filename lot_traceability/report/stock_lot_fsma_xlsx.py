# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The FSMA 204 sortable spreadsheet: one row per Critical Tracking Event and lot."""
from xlsxwriter.workbook import Workbook

from odoo import _, fields, models

from ..models.lot_traceability_input import OfType, check_arguments

COLUMNS = (
    ("event_id", "Event ID", 18), ("event_type_label", "Event Type", 20),
    ("tlc", "Traceability Lot Code", 22), ("tlc_source", "TLC Source Location", 40),
    ("product", "Product Description", 30), ("quantity", "Quantity", 10),
    ("uom", "Unit of Measure", 10), ("date", "Event Date", 17), ("tz", "Time Zone", 16),
    ("location", "Event Location", 40), ("previous_source", "Immediate Previous Source", 40),
    ("subsequent_recipient", "Immediate Subsequent Recipient", 40),
    ("document_type", "Reference Document Type", 20),
    ("document", "Reference Document Number", 20),
    ("source_document", "Source Document", 16), ("internal_lot", "Our Lot Code", 18),
)
NOTE_COLUMNS = (("note", "Note", 70), ("date", "Date", 17), ("tz", "Time Zone", 16),
                ("lot", "Lot", 18),
                ("product", "Product", 30), ("quantity", "Quantity", 10), ("uom", "Unit", 10),
                ("document", "Document", 18))


class StockLotFsmaXlsx(models.AbstractModel):
    _name = "report.lot_traceability.stock_lot_fsma_xlsx"
    _inherit = "report.lot_traceability.stock_lot_trace_xlsx"
    _description = "FSMA 204 sortable spreadsheet"
    _report_model = "stock.lot.fsma.export"

    @check_arguments(workbook=OfType(Workbook), objs=OfType(models.BaseModel))
    def generate_xlsx_report(self, workbook, data, objs):
        self._check_report_objects(objs)
        wizard = objs[:1]
        request = wizard._prepare_request()
        formats = {"head": workbook.add_format({"bold": True, "text_wrap": True}),
                   "date": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})}
        events = workbook.add_worksheet(_("FSMA 204"))
        notes_sheet = workbook.add_worksheet(_("Notes"))
        request_sheet = workbook.add_worksheet(_("Request"))
        notes, event_ids = [], set()

        def rows():
            for row in self.env["stock.lot.fsma"]._iter_events(request, notes):
                event_ids.add(row["event_id"])
                yield [[row[key] for key, _label, _width in COLUMNS]]

        count = self._write_columns(events, formats, COLUMNS, rows())
        self._write_columns(notes_sheet, formats, NOTE_COLUMNS,
                            [[[note.get(key) for key, _label, _width in NOTE_COLUMNS]
                              for note in notes]])
        self._write_request(request_sheet, formats, wizard, request,
                            (len(event_ids), count, len(notes)))

    def _write_columns(self, sheet, formats, columns, pages):
        """``_write_sheet`` with the columns' widths; returns the number of rows."""
        for col, (_key, _label, width) in enumerate(columns):
            sheet.set_column(col, col, width)
        return self._write_sheet(sheet, formats, [label for _key, label, _width in columns],
                                 pages)

    def _write_request(self, sheet, formats, wizard, request, counts):
        company = self.env.user.company_id
        firm = self.env["stock.lot.fsma"]._describe_partner(
            company.partner_id.id, {"partners": {}}, [])
        now = self.env["stock.lot.tz"]._to_local(fields.Datetime.now(), request["tz"])
        lines = [
            (_("Request"), _("FSMA 204 sortable spreadsheet (21 CFR 1 Subpart S)")),
            (_("Firm"), firm),
            (_("From"), fields.Date.from_string(request["date_from"])),
            (_("To"), fields.Date.from_string(request["date_to"])),
            (_("Time zone"), request["tz"]),
            (_("Foods"), ", ".join(wizard.product_ids.mapped("display_name"))
             or _("All foods on the Food Traceability List")),
            (_("Lot codes"), ", ".join(wizard._split_codes(wizard.lot_codes)) or _("All")),
            (_("Whole chain"), _("Yes") if wizard.include_linked else _("No")),
            (_("Generated"), now), (_("By"), self.env.user.name),
            (_("Events"), counts[0]), (_("Rows"), counts[1]), (_("Notes"), counts[2]),
            (_("Out of scope"), _("Harvesting, cooling, initial packing and first "
                                  "land-based receiving events are not recorded.")),
        ]
        sheet.set_column(0, 0, 14)
        sheet.set_column(1, 1, 70)
        for index, (label, value) in enumerate(lines):
            sheet.write_string(index, 0, label, formats["head"])
            self._write_cell(sheet, index, 1, value, formats)
