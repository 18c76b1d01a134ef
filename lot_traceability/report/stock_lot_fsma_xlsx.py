# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The FSMA 204 sortable spreadsheet: one row per Critical Tracking Event and lot.

Two layouts of the same rows: one sortable sheet (``sheet``), or one tab per event type in
the order of the Key Data Elements of 21 CFR 1.1340(a), 1.1345(a) and 1.1350(a) (``fda``),
the order of FDA's sortable spreadsheet template. A Legend sheet maps every column to its
KDE and CFR paragraph and explains every code. Rows are written as they are read, in
xlsxwriter's constant-memory mode.
"""
from datetime import date, datetime
from operator import itemgetter

from xlsxwriter.workbook import Workbook

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.lot_traceability_input import OfType, check_arguments
from ..models.stock_lot_fsma import INPUT, LOCATION_PARTS, OUTPUT, RECEIVING, SHIPPING

SHIP, RECEIVE, TRANSFORM = "1.1340(a)", "1.1345(a)", "1.1350(a)"
PART_LABELS = {"name": "Business Name", "phone": "Phone", "street":
               "Street or Geo-coordinates", "city": "City", "state": "State/Region",
               "zip": "ZIP/Postal Code", "country": "Country"}


def _column(key, label, width, kde, cfr, part=None):
    return {"key": key, "part": part, "label": label, "width": width, "kde": kde,
            "cfr": cfr}


def _place(key, title, kde, cfr):
    """The seven columns of one location description (21 CFR 1.1310)."""
    return [_column(key, "%s %s" % (title, PART_LABELS[part]), 24 if part in (
        "name", "street") else 14, "%s: %s" % (kde, PART_LABELS[part].lower()), cfr, part)
        for part in LOCATION_PARTS]


def _product(cfr):
    """The product description (21 CFR 1.1310): name, brand, commodity, variety,
    packaging size and style."""
    return [_column("product", "Product Description", 30, "Product description: name", cfr),
            _column("brand", "Brand", 14, "Product description: brand name", cfr),
            _column("commodity", "Commodity", 16, "Product description: commodity", cfr),
            _column("variety", "Variety", 14, "Product description: variety", cfr),
            _column("packaging_size", "Packaging Size", 12,
                    "Product description: packaging size", cfr),
            _column("packaging_style", "Packaging Style", 18,
                    "Product description: packaging style", cfr)]


def _quantity(cfr):
    return [_column("quantity", "Quantity", 10, "Quantity", cfr),
            _column("uom", "Unit of Measure", 10, "Unit of measure", cfr)]


def _references(cfr):
    return [_column("document_type", "Reference Document Type", 20,
                    "Reference document type", cfr),
            _column("document", "Reference Document Number", 20,
                    "Reference document number", cfr),
            _column("second_document_type", "Second Reference Document Type", 20,
                    "Reference document type (a second document of the event)", cfr),
            _column("second_document", "Second Reference Document Number", 20,
                    "Reference document number (a second document of the event)", cfr)]


def _ours():
    return [_column("event_id", "Event ID", 18, "(ours) the event: rows of one event share "
                    "it", ""),
            _column("tz", "Time Zone", 16, "(ours) the time zone of the event date", ""),
            _column("internal_lot", "Our Lot Code", 18, "(ours) the lot's code in our "
                    "records", "")]


ALL = "%s (1), %s (1), %s (1)(i), (2)(i)" % (SHIP, RECEIVE, TRANSFORM)
COLUMNS = [
    _column("event_id", "Event ID", 18, "(ours) the event: rows of one event share it", ""),
    _column("event_type_label", "Event Type", 20, "Critical Tracking Event",
            "1.1340, 1.1345, 1.1350"),
    _column("tlc", "Traceability Lot Code", 22, "Traceability lot code", ALL),
] + _place("tlc_source", "TLC Source", "Traceability lot code source location description",
           "%s (7), %s (7), %s (2)(ii)" % (SHIP, RECEIVE, TRANSFORM)) \
    + _product("%s (3), %s (3), %s (1)(ii), (2)(iv)" % (SHIP, RECEIVE, TRANSFORM)) \
    + _quantity("%s (2), %s (2), %s (1)(iii), (2)(v)" % (SHIP, RECEIVE, TRANSFORM)) + [
    _column("date", "Event Date", 17, "Date shipped, received, transformation completed",
            "%s (6), %s (6), %s (2)(iii)" % (SHIP, RECEIVE, TRANSFORM)),
    _column("tz", "Time Zone", 16, "(ours) the time zone of the event date", ""),
] + _place("location", "Event Location", "Location description of where the food was "
           "shipped from, received, transformed",
           "%s (5), %s (5), %s (2)(ii)" % (SHIP, RECEIVE, TRANSFORM)) \
    + _place("previous_source", "Immediate Previous Source", "Location description of the "
             "immediate previous source (not a transporter)", RECEIVE + " (4)") \
    + _place("subsequent_recipient", "Immediate Subsequent Recipient", "Location description "
             "of the immediate subsequent recipient (not a transporter)", SHIP + " (4)") \
    + _references("%s (8), %s (8), %s (2)(vi)" % (SHIP, RECEIVE, TRANSFORM)) + [
    _column("internal_lot", "Our Lot Code", 18, "(ours) the lot's code in our records", "")]

SHIPPING_COLUMNS = [_column("tlc", "Traceability Lot Code", 22, "Traceability lot code",
                            SHIP + " (1)")] \
    + _quantity(SHIP + " (2)") + _product(SHIP + " (3)") \
    + _place("subsequent_recipient", "Immediate Subsequent Recipient", "Location description "
             "of the immediate subsequent recipient (not a transporter)", SHIP + " (4)") \
    + _place("location", "Ship-From Location", "Location description of the location the "
             "food was shipped from", SHIP + " (5)") \
    + [_column("date", "Ship Date", 17, "Date shipped", SHIP + " (6)")] \
    + _place("tlc_source", "TLC Source", "Traceability lot code source location description",
             SHIP + " (7)") + _references(SHIP + " (8)") + _ours()
RECEIVING_COLUMNS = [_column("tlc", "Traceability Lot Code", 22, "Traceability lot code",
                             RECEIVE + " (1)")] \
    + _quantity(RECEIVE + " (2)") + _product(RECEIVE + " (3)") \
    + _place("previous_source", "Immediate Previous Source", "Location description of the "
             "immediate previous source (not a transporter)", RECEIVE + " (4)") \
    + _place("location", "Receiving Location", "Location description of where the food was "
             "received", RECEIVE + " (5)") \
    + [_column("date", "Receive Date", 17, "Date received", RECEIVE + " (6)")] \
    + _place("tlc_source", "TLC Source", "Traceability lot code source location description",
             RECEIVE + " (7)") + _references(RECEIVE + " (8)") + _ours()
TRANSFORMATION_COLUMNS = [
    _column("event_type_label", "Input or Output", 20, "Food used (input) or new food "
            "produced (output)", TRANSFORM + " (1), (2)"),
    _column("tlc", "Traceability Lot Code", 22, "Traceability lot code of the food used, the "
            "new traceability lot code", TRANSFORM + " (1)(i), (2)(i)")] \
    + _product(TRANSFORM + " (1)(ii), (2)(iv)") + _quantity(TRANSFORM + " (1)(iii), (2)(v)") \
    + _place("location", "Transformation Location", "Location description of where the food "
             "was transformed (the new TLC's source)", TRANSFORM + " (2)(ii)") \
    + [_column("date", "Date Transformation Completed", 17, "Date transformation was "
               "completed", TRANSFORM + " (2)(iii)")] \
    + _place("tlc_source", "TLC Source", "Traceability lot code source location description "
             "(of an input: where its TLC was assigned)", TRANSFORM + " (2)(ii)") \
    + _references(TRANSFORM + " (2)(vi)") + _ours()
# Per layout: (sheet, the event types it lists, its columns).
LAYOUTS = {
    "sheet": [("FSMA 204", (RECEIVING, SHIPPING, INPUT, OUTPUT), COLUMNS)],
    "fda": [("Shipping", (SHIPPING,), SHIPPING_COLUMNS),
            ("Receiving", (RECEIVING,), RECEIVING_COLUMNS),
            ("Transformation", (INPUT, OUTPUT), TRANSFORMATION_COLUMNS)],
}
NOTE_COLUMNS = (("note", "Note", 70), ("date", "Date", 17), ("tz", "Time Zone", 16),
                ("lot", "Lot", 18),
                ("product", "Product", 30), ("quantity", "Quantity", 10), ("uom", "Unit", 10),
                ("document", "Document", 18))


class StockLotFsmaXlsx(models.AbstractModel):
    _name = "report.lot_traceability.stock_lot_fsma_xlsx"
    _inherit = "report.lot_traceability.stock_lot_trace_xlsx"
    _description = "FSMA 204 sortable spreadsheet"
    _report_model = "stock.lot.fsma.export"
    # A background job from this many rows on, as the other exports and label sheets.
    _job_operation = "report"

    @api.model
    @check_arguments()
    def get_job_size(self, docids, data=None):
        """About how many rows the spreadsheet holds (the request checked first)."""
        wizard = self._get_job_records(docids)[:1]
        return wizard._get_row_estimate(wizard._prepare_request())

    @check_arguments(workbook=OfType(Workbook), objs=OfType(models.BaseModel))
    def generate_xlsx_report(self, workbook, data, objs):
        self._check_report_objects(objs)
        wizard = objs[:1]
        request = wizard._prepare_request()
        formats = {"head": workbook.add_format({"bold": True, "text_wrap": True}),
                   "date": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
                   "day": workbook.add_format({"num_format": "yyyy-mm-dd",
                                               "align": "left"})}
        layout = LAYOUTS[request.get("layout") or "sheet"]
        event_sheets = [self._start_event_sheet(workbook, formats, name, kinds, columns)
                        for name, kinds, columns in layout]
        notes_sheet = self._add_sheet(workbook, _("Notes"))
        request_sheet = self._add_sheet(workbook, _("Request"))
        legend_sheet = self._add_sheet(workbook, _("Legend"))
        notes = []
        count, event_ids = self._write_events(
            event_sheets, formats, self.env["stock.lot.fsma"]._iter_events(request, notes))
        self._write_columns(notes_sheet, formats, NOTE_COLUMNS,
                            [[[note.get(key) for key, _label, _width in NOTE_COLUMNS]
                              for note in notes]])
        self._write_request(request_sheet, formats, wizard, request,
                            (len(event_ids), count, len(notes)))
        self._write_legend(legend_sheet, formats, layout)

    # --- the event sheets ------------------------------------------------------------------
    def _start_event_sheet(self, workbook, formats, name, kinds, columns):
        """A sheet of events: its header, frozen, and how to write a row of it."""
        names = {"FSMA 204": _("FSMA 204"), "Shipping": _("Shipping"),
                 "Receiving": _("Receiving"), "Transformation": _("Transformation")}
        sheet = self._add_sheet(workbook, names[name])
        sheet.freeze_panes(1, 0)
        for col, column in enumerate(columns):
            sheet.set_column(col, col, column["width"])
            sheet.write_string(0, col, column["label"], formats["head"])
        return {"sheet": sheet, "kinds": kinds, "count": 0, "width": len(columns),
                "cells": [(col, self._get_getter(column)) for col, column in enumerate(columns)]}

    def _get_getter(self, column):
        if column["part"]:
            key, part = column["key"], column["part"]
            return lambda row: row[key][part]
        return itemgetter(column["key"])

    def _write_events(self, event_sheets, formats, rows):
        """Each row on the sheet of its event type; returns (rows, event ids)."""
        route = {kind: target for target in event_sheets for kind in target["kinds"]}
        count, event_ids = 0, set()
        progress = self.env["lot.traceability.job"].report_progress
        for row in rows:
            target = route[row["event_type"]]
            target["count"] += 1
            self._write_event(target, row, formats)
            event_ids.add(row["event_id"])
            count += 1
            progress(count)
        for target in event_sheets:
            target["sheet"].autofilter(0, 0, max(target["count"], 1), target["width"] - 1)
        return count, event_ids

    def _write_event(self, target, row, formats):
        """One row: text as text (an empty one is no cell), numbers, dates."""
        sheet, index = target["sheet"], target["count"]
        if index >= sheet.xls_rowmax:
            # xlsxwriter would silently drop the rows a sheet cannot hold.
            raise UserError(_(
                "The %(sheet)s sheet would have more than %(max)s rows, more than an XLSX "
                "sheet holds: export a shorter period.") % {
                "sheet": sheet.get_name(), "max": sheet.xls_rowmax - 1})
        date = formats["date"]
        for col, get in target["cells"]:
            sheet.write_value(index, col, get(row), date)

    def _write_columns(self, sheet, formats, columns, pages):
        """``_write_sheet`` with the columns' widths; returns the number of rows."""
        for col, (_key, _label, width) in enumerate(columns):
            sheet.set_column(col, col, width)
        return self._write_sheet(sheet, formats, [label for _key, label, _width in columns],
                                 pages)

    # --- the Request and Legend sheets -------------------------------------------------
    def _write_request(self, sheet, formats, wizard, request, counts):
        company = self.env.user.company_id
        fsma = self.env["stock.lot.fsma"]
        firm = fsma._format_place(fsma._describe_partner(
            company.partner_id.id, fsma._prepare_cache(), []))
        now = self.env["stock.lot.tz"]._to_local(fields.Datetime.now(), request["tz"])
        lines = [
            (_("Request"), _("FSMA 204 sortable spreadsheet (21 CFR 1 Subpart S)")),
            (_("Firm"), firm),
        ] + self._get_period_lines(wizard, request) + [
            (_("Time zone"), request["tz"]),
            (_("Foods"), ", ".join(wizard.product_ids.mapped("display_name"))
             or _("All foods on the Food Traceability List")),
            (_("Lot codes"), ", ".join(wizard._split_codes(wizard.lot_codes)) or _("All")),
            (_("Whole chain"), _("Yes") if wizard.include_linked else _("No")),
            (_("Layout"), dict(wizard._fields["layout"]._description_selection(
                self.env))[request.get("layout") or "sheet"]),
            (_("Generated"), now), (_("By"), self.env.user.name),
            (_("Events"), counts[0]), (_("Rows"), counts[1]), (_("Notes"), counts[2]),
            (_("Out of scope"), _("Harvesting, cooling, initial packing and first "
                                  "land-based receiving events are not recorded.")),
        ]
        sheet.set_column(0, 0, 14)
        sheet.set_column(1, 1, 70)
        for index, (label, value) in enumerate(lines):
            sheet.write_string(index, 0, label, formats["head"])
            # A day (From, To) as a date, not as its midnight.
            day = isinstance(value, date) and not isinstance(value, datetime)
            sheet.write_value(index, 1, value, formats["day" if day else "date"])

    def _get_period_lines(self, wizard, request):
        """From and To as days (both included), and why the period differs from what was
        asked (Whole Chain) or reaches past today."""
        lines = [(_("From"), fields.Date.from_string(request["date_from"])),
                 (_("To"), fields.Date.from_string(request["date_to"])),
                 (_("Period"), _("Whole days, both included, each event by its date in its "
                                 "warehouse's time zone."))]
        asked = request.get("asked_from")
        if asked and asked != request["date_from"]:
            lines.append((_("From asked"), _(
                "%(asked)s; the period starts on %(start)s, the first movement of a lot of "
                "the whole chain, so its receipts are included.") % {
                "asked": asked, "start": request["date_from"]}))
        today = wizard._default_date_to()
        if request["date_to"] > today:
            lines.append((_("After today"), _(
                "%(stop)s is after today (%(today)s): no event after today can be listed "
                "yet.") % {"stop": request["date_to"], "today": today}))
        return lines

    def _write_legend(self, sheet, formats, layout):
        """Every column of the event sheets with its KDE and CFR paragraph, then every
        code the sheets use."""
        rows = [(name, column["label"], column["kde"], column["cfr"])
                for name, _kinds, columns in layout for column in columns]
        rows += [("", "", "", "")] + [("", code, meaning, "") for code, meaning
                                      in self._get_codes()]
        for col, width in enumerate((16, 34, 70, 34)):
            sheet.set_column(col, col, width)
        self._write_sheet(sheet, formats, [_("Sheet"), _("Column or code"),
                                           _("Key Data Element or meaning"),
                                           _("21 CFR paragraph")], [rows])

    def _get_codes(self):
        labels = self.env["stock.lot.fsma"]._get_labels()
        return [
            ("REC-…", _("Event ID of a receiving event: REC- and the receipt's number "
                        "(every row of the receipt shares it).")),
            ("SHP-…", _("Event ID of a shipping event: SHP- and the delivery's number.")),
            ("TRF-…", _("Event ID of a transformation: TRF- and the build's, split's or "
                        "manufacturing order's number; all its inputs and outputs share it.")),
            (labels[RECEIVING], _("Receiving (21 CFR 1.1345): food received from a "
                                  "supplier, returned by a customer, or received from our "
                                  "own site at another address.")),
            (labels[SHIPPING], _("Shipping (21 CFR 1.1340): food shipped to a customer, "
                                 "returned to a supplier, or sent to our own site at another "
                                 "address.")),
            (labels["internal-out"] + ", " + labels["internal-in"], _(
                "Reference document type of a transfer between two of our sites: one "
                "transfer, a Shipping row (SHP-) at the source and a Receiving row (REC-) at "
                "the destination.")),
            (labels[INPUT], _("Transformation (21 CFR 1.1350(a)(1)): a food used.")),
            (labels[OUTPUT], _("Transformation (21 CFR 1.1350(a)(2)): the new food "
                               "produced. Every row of a transformation carries the date it "
                               "was completed (its last output).")),
            ("BUILD/…", _("%(type)s: our assembly build's number.") % {
                "type": labels["stock.assembly"]}),
            ("SPLIT/…", _("%(type)s: our split of a batch into packed units.") % {
                "type": labels["stock.production.lot"]}),
            (labels["mrp.production"], _("A manufacturing order (Odoo Manufacturing).")),
            ("WH/IN/…, WH/OUT/…", _(
                "Our receipt and delivery numbers (reference documents %(types)s).") % {
                "types": ", ".join(labels[key] for key in (
                    "supplier-in", "customer-in", "customer-out", "supplier-out"))}),
            (labels["purchase"] + ", " + labels["sale"] + ", " + labels["origin"],
             _("Type of the second reference document: the document behind the transfer "
               "(its source document), never a lot code.")),
            (_("Traceability Lot Code"), _(
                "Ours (Our Lot Code) for food we made, and for food received without a "
                "supplier's code (we assign it, 21 CFR 1.1345(b)); else the code the supplier "
                "assigned.")),
            (_("Our Lot Code"), _("The lot's code in our records; it differs from the TLC "
                                  "where the supplier assigned the TLC.")),
            (_("Notes"), _("The Notes sheet lists what is not an event (inventory counts, "
                           "scrap) and every incomplete Key Data Element: partners and "
                           "locations missing a part of their location description, lots "
                           "whose TLC we assigned, transfers naming only a carrier.")),
        ]
