# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models


class StockMove(models.Model):
    _inherit = "stock.move"

    @api.multi
    def action_serial_bulk_entry(self):
        """Open Bulk Serial Entry on this receipt line: its serials pasted, scanned, generated."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Bulk Serial Entry"),
            "res_model": "stock.serial.bulk.entry",
            "view_mode": "form",
            "target": "current",
            "context": {"active_model": self._name, "active_id": self.id,
                        "active_ids": self.ids},
        }
