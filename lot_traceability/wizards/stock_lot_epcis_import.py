# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""EPCIS Import: a partner's EPCIS 2.0 document (JSON-LD or XML), uploaded from the menu or from a
receipt. The wizard collects the file; ``stock.lot.epcis.document.import_document`` checks
and stores it, all or nothing."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.lot_traceability_input import check_arguments


class StockLotEpcisImport(models.TransientModel):
    _name = "stock.lot.epcis.import"
    _inherit = ["lot.traceability.input"]
    _description = "EPCIS Import"

    data_file = fields.Binary("EPCIS Document", attachment=False)
    file_name = fields.Char()
    partner_id = fields.Many2one("res.partner", "Sent By",
                                 help="The supplier or partner who sent the document.")
    picking_id = fields.Many2one("stock.picking", "Receipt",
                                 domain=[("picking_type_code", "=", "incoming")])

    @api.model
    def default_get(self, fields_list):
        values = super(StockLotEpcisImport, self).default_get(fields_list)
        if self.env.context.get("active_model") == "stock.picking" \
                and self.env.context.get("active_id"):
            picking = self.env["stock.picking"].browse(self.env.context["active_id"])
            values.update(picking_id=picking.id,
                          partner_id=picking.partner_id.commercial_partner_id.id)
        return values

    @api.multi
    @check_arguments()
    def action_import(self):
        """Import the document and open it."""
        self.ensure_one()
        if not self.data_file:
            raise UserError(_("EPCIS Document (data_file): choose the file to import."))
        # The receipt is checked by import_document (one check for the wizard and RPC).
        result = self.env["stock.lot.epcis.document"].import_document(
            self.data_file, self.file_name or None, self.partner_id.id, self.picking_id.id)
        return {"type": "ir.actions.act_window", "res_model": "stock.lot.epcis.document",
                "res_id": result["document_id"], "view_mode": "form",
                "views": [(False, "form")], "target": "current"}
