# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.lot_traceability_input import check_arguments

ACTIONS = {"hold": "action_quality_hold", "rejected": "action_quality_reject",
           "released": "action_quality_release"}


class StockLotQualityChange(models.TransientModel):
    """Put lots on hold, reject or release them with a reason: the lot's actions do it."""
    _name = "stock.lot.quality.change"
    _inherit = ["lot.traceability.input"]
    _description = "Change Lot Quality State"

    lot_ids = fields.Many2many("stock.production.lot", string="Lots", required=True)
    quality_state = fields.Selection(
        [("hold", "Put on hold"), ("rejected", "Reject"), ("released", "Release")],
        "Change", required=True, default="hold")
    reason = fields.Text(help="Why: shown on the lot, its page, the Scan screen and in every "
                              "refusal to ship it.")

    @api.model
    def default_get(self, fields_list):
        values = super(StockLotQualityChange, self).default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "stock.production.lot" and context.get("active_ids"):
            values["lot_ids"] = [(6, 0, context["active_ids"])]
        return values

    @api.multi
    @check_arguments()
    def action_apply(self):
        self.ensure_one()
        if not self.lot_ids:
            raise UserError(_("Lots: choose the lots to change."))
        getattr(self.lot_ids, ACTIONS[self.quality_state])(self.reason or "")
        return {"type": "ir.actions.act_window_close"}
