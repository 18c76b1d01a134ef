# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Lot labels: the QR payload (GS1 Digital Link or the server's /lot/ URL) and the lot's page."""
import base64
import io

import qrcode
from werkzeug.urls import url_encode

from odoo import api, fields, models

from ..tools import labels

LABEL_DOMAIN_PARAM = "lot_traceability.label_domain"


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    # --- label payload ----------------------------------------------------------------
    @api.model
    def _get_label_domain(self):
        """Where label URLs point: the setting, else the server's base URL."""
        params = self.env["ir.config_parameter"].sudo()
        return (params.get_param(LABEL_DOMAIN_PARAM) or params.get_param("web.base.url")
                or "http://localhost:8069").strip()

    @api.multi
    def _get_label_expiry(self):
        """The date printed as expiry (GS1 AI 17): product_expiry's end of life date."""
        self.ensure_one()
        return fields.Datetime.from_string(self.life_date).date() if self.life_date else None

    @api.multi
    def _get_label_product_ref(self):
        self.ensure_one()
        return self.product_id.default_code or str(self.product_id.id)

    @api.multi
    def _prepare_label_payload_vals(self, domain):
        self.ensure_one()
        expiry = self._get_label_expiry()
        payload = labels.build_payload(
            domain, self.name, self._get_label_product_ref(), gtin=self.product_id.barcode,
            serial=self.product_id.tracking == "serial", expiry=expiry)
        payload.update({
            "lot_id": self.id,
            "lot_name": self.name,
            "product_id": self.product_id.id,
            "product_name": self.product_id.display_name,
            "tracking": self.product_id.tracking,
            "expiry_date": fields.Date.to_string(expiry) if expiry else False,
        })
        return payload

    @api.multi
    def get_label_payload(self):
        """Label content of each lot, as plain data (JSON-RPC safe), in the lots' order.

        ``uri`` is what the QR code holds: a GS1 Digital Link
        ``<domain>/01/<gtin>/10|21/<code>?17=<yymmdd>`` when the product barcode is a valid
        GTIN and the code fits GS1 (at most 20 characters of GS1's set 82), else the server URL
        ``<domain>/lot/<product reference or id>/<code>``. ``text`` is the human-readable line.
        """
        domain = self._get_label_domain()
        return [lot._prepare_label_payload_vals(domain) for lot in self]

    @api.multi
    def _get_label_qr_data_uri(self, payload=None):
        """The QR code of the label as a PNG data URI (wkhtmltopdf then fetches nothing)."""
        self.ensure_one()
        payload = payload or self.get_label_payload()[0]
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M,
                             box_size=8, border=4)
        code.add_data(payload["uri"], optimize=0)
        code.make(fit=True)
        stream = io.BytesIO()
        code.make_image().save(stream, format="PNG")
        return "data:image/png;base64," + base64.b64encode(stream.getvalue()).decode("ascii")

    # --- the lot's page -----------------------------------------------------------------
    @api.multi
    def _get_page_action(self):
        """THE target of a scan or a label: the lot's page (override to point elsewhere)."""
        self.ensure_one()
        action = self.env.ref("stock.action_production_lot_form").read()[0]
        action.update({
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("stock.view_production_lot_form").id, "form")],
            "context": {},
        })
        return action

    @api.multi
    def _get_page_url(self):
        """The backend URL of :meth:`_get_page_action` (for redirects from the resolver)."""
        action = self._get_page_action()
        params = {"action": action.get("id") or action.get("tag")}
        if action.get("res_model"):
            params.update(model=action["res_model"], id=action.get("res_id") or self.id,
                          view_type="form")
        else:
            params["active_id"] = self.id
        return "/web#" + url_encode(params)

    @api.multi
    def action_open_page(self):
        self.ensure_one()
        return self._get_page_action()
