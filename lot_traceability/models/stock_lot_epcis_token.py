# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A partner's access to ``GET /epcis/events``: a secret a Traceability manager issues and can
revoke. A token shows only the events of the lots its company shipped to its partner (their
deliveries to that partner, their creation and the transformations that made them), of that
company's moves; a multi-company rule keeps each company's tokens to its own managers.

The secret, its hash, the revocation and ``active`` are written by Issue and Revoke only
(``lot.traceability.system.write``): no caller chooses a secret, and a revoked token stays
revoked (its hash is cleared); a new secret is issued instead."""
import hashlib
import secrets

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .lot_traceability_input import check_arguments


class StockLotEpcisToken(models.Model):
    _name = "stock.lot.epcis.token"
    _inherit = ["lot.traceability.input", "lot.traceability.system.write"]
    _description = "EPCIS Query Token"
    _system_fields = ("token_hash", "token", "revoked_date", "active")

    name = fields.Char(required=True)
    partner_id = fields.Many2one("res.partner", required=True, index=True,
                                 help="The customer or partner who queries with this token.")
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.user.company_id)
    token_hash = fields.Char(readonly=True, index=True, copy=False)
    token = fields.Char(readonly=True, copy=False,
                        help="The secret issued last: give it to the partner. Revoke clears "
                             "it; Issue New Token replaces it.")
    active = fields.Boolean(default=True)
    revoked_date = fields.Datetime(readonly=True)

    @api.constrains("partner_id", "company_id")
    def _check_partner_company(self):
        """A token's partner is one its company deals with: shared, or of that company."""
        for token in self.sudo():
            company = token.partner_id.company_id
            if company and company not in self.env["res.company"].sudo().search(
                    [("id", "child_of", token.company_id.id)]):
                raise ValidationError(_(
                    "EPCIS token (partner_id): %(partner)s belongs to %(other)s, not to "
                    "%(company)s.") % {"partner": token.partner_id.display_name,
                                       "other": company.name, "company": token.company_id.name})

    @api.model
    def _hash(self, secret):
        return hashlib.sha256(secret.encode("utf-8")).hexdigest()

    @api.multi
    @check_arguments(access="manager")
    def action_issue(self):
        """A new secret for the partner (the previous one stops working)."""
        self.ensure_one()
        secret = secrets.token_urlsafe(32)
        self._write_system({"token_hash": self._hash(secret), "token": secret,
                            "active": True, "revoked_date": False})
        return secret

    @api.multi
    @check_arguments(access="manager")
    def action_revoke(self):
        """The secret stops working for good: its hash is cleared with it."""
        self._write_system({"active": False, "token": False, "token_hash": False,
                            "revoked_date": fields.Datetime.now()})
        return True

    @api.model
    def _find(self, secret):
        """The active token of this secret, or an empty recordset."""
        if not secret or not isinstance(secret, str) or len(secret) > 200:
            return self.browse()
        return self.sudo().search([("token_hash", "=", self._hash(secret)),
                                   ("active", "=", True)], limit=1)
