# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Traceability > Scan: scan, type or paste a code, then open the lot's page.

The barcode listener is an onchange: it fills the found lot (or the candidates, or a message)
and never navigates; the Open button goes to the lot's page.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.lot_traceability_input import Text, check_arguments

STATUSES = [
    ("none", "Waiting for a scan"),
    ("lot", "Lot found"),
    ("product", "Product, not a lot"),
    ("ambiguous", "Several lots"),
    ("unknown", "Unknown code"),
    ("error", "Unreadable code"),
]


class StockLotScanner(models.TransientModel):
    _name = "stock.lot.scanner"
    _inherit = ["barcodes.barcode_events_mixin", "lot.traceability.input"]
    _description = "Scan a lot"

    code = fields.Char(help="Scan with a barcode scanner, or type or paste a lot/serial number, "
                            "a GS1 code or a label URL, then press Tab.")
    status = fields.Selection(STATUSES, default="none", readonly=True)
    message = fields.Char(readonly=True)
    product_id = fields.Many2one("product.product", "Product", readonly=True)
    candidate_lot_ids = fields.Many2many("stock.production.lot", string="Candidate Lots",
                                         readonly=True)
    lot_id = fields.Many2one("stock.production.lot", "Lot/Serial Number",
                             help="The lot the code names; pick one of the candidates when the "
                                  "code names several.")

    lot_quality_state = fields.Selection(related="lot_id.quality_state", readonly=True,
                                         string="Quality state")
    lot_quality_reason = fields.Text(related="lot_id.quality_reason", readonly=True,
                                     string="Quality reason")

    @api.multi
    @check_arguments()
    def name_get(self):
        # The breadcrumb back from the lot's page reads "Scan", not "stock.lot.scanner,1".
        return [(scanner.id, _("Scan")) for scanner in self]

    @api.onchange("code")
    def _onchange_code(self):
        return self._apply_match(self.code)

    @api.multi
    @check_arguments(barcode=Text())
    def on_barcode_scanned(self, barcode):
        self.code = barcode
        return self._apply_match(barcode)

    @api.multi
    def _apply_match(self, code):
        """Fill the screen from the shared matcher (stock.lot.scan) for ``code``.

        Returns the onchange result: the domain of the lot field.
        """
        if not (code or "").strip():
            self.update({"status": "none", "message": False, "lot_id": False,
                         "product_id": False, "candidate_lot_ids": [(5, 0, 0)]})
            return {"domain": {"lot_id": []}}
        result = self.env["stock.lot.scan"]._match(code)
        lots, status = result["lots"], result["status"]
        self.update({
            "status": status,
            "message": self._get_status_message(result),
            "product_id": result["product"].id,
            "candidate_lot_ids": [(6, 0, lots.ids if status == "ambiguous" else [])],
            "lot_id": lots.id if status == "lot" else False,
        })
        # An ambiguous code: the user picks the lot among the candidates.
        return {"domain": {"lot_id": [("id", "in", lots.ids)] if status == "ambiguous" else []}}

    @api.model
    def _get_status_message(self, result):
        if result["status"] == "lot":
            lot = result["lots"]
            return _("%(lot)s of %(product)s: press Open.") % {
                "lot": lot.name, "product": lot.product_id.display_name}
        if result["status"] == "product":
            return _("%(product)s is a product, not a lot: scan the lot or serial "
                     "number.") % {"product": result["product"].display_name}
        return result["message"]

    @api.multi
    @check_arguments()
    def action_open_page(self):
        """Open the page of the found (or picked) lot."""
        self.ensure_one()
        self._check_traceability_access()
        lot = self.lot_id
        if not lot:
            result = self.env["stock.lot.scan"]._match(self.code)
            if result["status"] != "lot":
                raise UserError(self._get_status_message(result)
                                or _("Scan or type a code first."))
            lot = result["lots"]
        return lot._get_page_action()
