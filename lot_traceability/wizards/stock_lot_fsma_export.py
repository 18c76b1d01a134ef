# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""FSMA 204 Export: the request FDA makes (foods, a period, lot codes) as a wizard.

The wizard validates the request and resolves the lot codes (ours or the suppliers'); the
sortable spreadsheet is written by ``report.lot_traceability.stock_lot_fsma_xlsx`` from
``stock.lot.fsma``.
"""
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.lot_traceability_input import check_arguments, named_first


class StockLotFsmaExport(models.TransientModel):
    _name = "stock.lot.fsma.export"
    _inherit = ["lot.traceability.input"]
    _description = "FSMA 204 Export"

    date_from = fields.Date("From", required=True, default=lambda self: fields.Date.to_string(
        fields.Date.from_string(self._default_date_to()) - timedelta(days=30)))
    date_to = fields.Date("To", required=True, default=lambda self: self._default_date_to(),
                          help="Both days included: an event is in the period when its date, "
                               "in the time zone of its warehouse, is one of these days.")
    product_ids = fields.Many2many(
        "product.product", string="Foods",
        help="Foods on the Food Traceability List to report; empty: all of them.")
    lot_codes = fields.Text(
        "Traceability Lot Codes",
        help="Optional: only these lots. One code per line (or separated by commas): our lot "
             "codes or the codes the suppliers assigned.")
    include_linked = fields.Boolean(
        "Whole Chain",
        help="Also the lots linked to these by transformations: every lot made from them, "
             "and every lot any of those was made from (so each build or split comes with "
             "all its inputs and outputs, and the receipts of those inputs).")
    layout = fields.Selection(
        [("sheet", "One sortable sheet"), ("fda", "FDA's template: one tab per event type")],
        required=True, default="sheet",
        help="One sheet: every event on one sortable sheet. FDA's template: a Shipping, a "
             "Receiving and a Transformation tab, each with the columns of FDA's published "
             "sortable spreadsheet template in its order.")

    @api.model
    def _default_date_to(self):
        """Today in the time zone the export reads its days in (not the user's): at 8 pm in
        New York it is still today there, while it is tomorrow in UTC."""
        return self.env["stock.lot.tz"]._today(self.env["stock.lot.fsma"]._get_period_tz())

    @api.model
    def _split_codes(self, text):
        """The codes of the text: one per line; a line is split at commas only when it is
        not itself a known lot code (codes may contain commas)."""
        lines = []
        for line in (text or "").splitlines():
            line = line.strip()
            if line and line not in lines:
                lines.append(line)
        known = self._find_lots(lines)
        codes = []
        for line in lines:
            pieces = [line] if line in known or "," not in line else \
                [piece.strip() for piece in line.split(",") if piece.strip()]
            codes += [piece for piece in pieces if piece not in codes]
        return codes

    @api.model
    def _find_lots(self, codes, products=None):
        """Lots of flagged foods whose code or supplier lot code is one of ``codes``, by
        code."""
        domain = [("product_id.fsma_food_traceability", "=", True), "|",
                  ("name", "in", codes), ("supplier_lot_code", "in", codes)]
        if products:
            domain.append(("product_id", "in", products.ids))
        found = {}
        for lot in self.env["stock.production.lot"].search(domain):
            for code in {lot.name, lot.supplier_lot_code} & set(codes):
                found.setdefault(code, self.env["stock.production.lot"])
                found[code] |= lot
        return found

    @api.multi
    def _get_lots(self):
        """The lots of the codes (none: no restriction); an unknown code is an error."""
        self.ensure_one()
        codes = self._split_codes(self.lot_codes)
        if not codes:
            return None
        found = self._find_lots(codes, self.product_ids)
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise UserError(_("No lot of a Food Traceability List food has these codes: "
                              "%(codes)s.") % {"codes": named_first(unknown)})
        lots = self.env["stock.production.lot"].union(*found.values())
        if self.include_linked:
            # Downstream first, then upstream of all of it: the other inputs of a build
            # the lots went into belong to the chain too (the cilantro of a salsa).
            trace = self.env["stock.lot.trace"]
            lots |= lots.browse(trace.trace_lot_ids(lots.ids, "downstream"))
            lots |= lots.browse(trace.trace_lot_ids(lots.ids, "upstream"))
        return lots

    @api.multi
    def _prepare_request(self):
        """The request of the wizard. With Whole Chain the period starts no later than the
        first movement of any lot of the chain, so the receipts of upstream lots (the other
        ingredients of a batch) are in it; ``asked_from`` keeps the day that was asked."""
        self.ensure_one()
        lots = self._get_lots()
        date_from = self.date_from
        if lots and self.include_linked:
            first = self.env["stock.lot.fsma"]._get_first_day(lots.ids)
            date_from = min(date_from, first or date_from)
        request = self.env["stock.lot.fsma"]._prepare_request(
            date_from, self.date_to, self.product_ids.ids,
            lots.ids if lots is not None else None)
        request.update(layout=self.layout or "sheet", asked_from=self.date_from)
        return request

    @api.multi
    def _check_has_events(self, request):
        """An export without any event is refused with what was asked, and, for lot codes,
        the day the lots first moved."""
        if self.env["stock.lot.fsma"]._has_events(request):
            return
        message = _("No event of %(foods)s between %(start)s and %(stop)s (both days "
                    "included, in each warehouse's time zone).") % {
            "foods": ", ".join(self.product_ids.mapped("display_name")) or
            _("the foods on the Food Traceability List"),
            "start": request["date_from"], "stop": request["date_to"]}
        today = self._default_date_to()
        if request["date_from"] > today:
            message += " " + _("The period starts after today (%(today)s).") % {
                "today": today}
        if request["lot_ids"]:
            first = self.env["stock.lot.fsma"]._get_first_day(request["lot_ids"])
            message += " " + (_("These lots first moved on %(first)s.") % {"first": first}
                              if first else _("These lots have no done movement."))
        raise UserError(message)

    @api.multi
    @check_arguments()
    def action_export(self):
        """Check the request, then download the sortable spreadsheet."""
        self.ensure_one()
        self._check_traceability_access()
        request = self._prepare_request()
        if not self.env["product.product"].search_count(
                [("fsma_food_traceability", "=", True)]):
            raise UserError(_("No product is flagged as on the Food Traceability List: set "
                              "the flag on the product's Lots tab first."))
        self._check_has_events(request)
        # The report's size is the row estimate below (its get_job_size).
        report = self.env.ref("lot_traceability.stock_lot_fsma_xlsx_action")
        return report._lot_report_action(self)

    @api.multi
    def _get_row_estimate(self, request):
        """About how many rows the spreadsheet holds (its done lines of flagged foods)."""
        start, stop = (value if isinstance(value, str) else fields.Datetime.to_string(value)
                       for value in (request["start"], request["stop"]))
        domain = [("state", "=", "done"), ("date", ">=", start), ("date", "<", stop),
                  ("product_id.fsma_food_traceability", "=", True)]
        if request["lot_ids"] is not None:
            domain.append(("lot_id", "in", request["lot_ids"]))
        return self.env["stock.move.line"].search_count(domain)
