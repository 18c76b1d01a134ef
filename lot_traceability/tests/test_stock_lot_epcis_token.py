# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An EPCIS token's secret is chosen by Issue only, and a revoked token stays revoked."""
from odoo.exceptions import AccessError

from .common import TraceabilityCase


class TestEpcisToken(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestEpcisToken, cls).setUpClass()
        cls.partner = cls._create_partner("Green Grocer", customer=True)
        cls.Token = cls.env["stock.lot.epcis.token"].sudo(cls.trace_manager)

    def _token(self):
        return self.Token.create({"name": "Green Grocer", "partner_id": self.partner.id})

    def test_no_caller_chooses_a_secret(self):
        """Neither values nor a context key let a manager set a secret of their choosing."""
        chosen = self.Token._hash("chosen-secret")
        for context in ({}, {"epcis_token_issue": True}):
            Token = self.Token.with_context(**context)
            with self._assert_refused(AccessError, "token_hash"):
                Token.create({"name": "Forged", "partner_id": self.partner.id,
                              "token_hash": chosen})
            with self._assert_refused(AccessError, "token_hash"):
                self._token().with_context(**context).write({"token_hash": chosen})
        self.assertFalse(self.Token._find("chosen-secret"))

    def test_revoked_stays_revoked(self):
        token = self._token()
        secret = token.action_issue()
        self.assertEqual(self.Token._find(secret), token)
        token.action_revoke()
        self.assertFalse(token.token_hash)
        self.assertFalse(self.Token._find(secret))
        # neither unarchiving nor Odoo's archive toggle brings it back
        with self._assert_refused(AccessError, "active"):
            token.write({"active": True})
        with self._assert_refused(AccessError, "active"):
            token.toggle_active()
        self.assertFalse(self.Token._find(secret))
        # a new secret is issued instead; the old one stays dead
        fresh = token.action_issue()
        self.assertEqual(self.Token._find(fresh), token)
        self.assertFalse(self.Token._find(secret))
