# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The EPCIS query (what GET /epcis/events answers): filters, paging, a partner's token
seeing only the lots shipped to it, unknown parameters refused. Over HTTP:
tests/test_epcis_live.py."""
from odoo.exceptions import AccessError, UserError

from ..tools import epcis
from .epcis_common import EpcisCase


class TestEpcisQuery(EpcisCase):

    @classmethod
    def setUpClass(cls):
        super(TestEpcisQuery, cls).setUpClass()
        cls.apple_lot, cls.jam_lot, _receipt, _delivery = cls._chain()
        cls.other = cls._create_partner("Other Customer", customer=True)
        cls._deliver(cls.jam, [(cls.jam_lot, 6.0)], partner=cls.other)

    def _query(self, partner=None, user=None, **params):
        service = self.env["stock.lot.epcis"].sudo(user) if user else self.env["stock.lot.epcis"]
        return service.query_events(params, partner.id if partner else None)

    def test_filters(self):
        """eventType, EQ_bizStep, MATCH_epcClass / MATCH_anyEPCClass and the time window."""
        jam_class = epcis.class_uri(self.jam.barcode, self.jam_lot.name)
        made = self._query(eventType="TransformationEvent")["events"]
        self.assertEqual([e["outputQuantityList"][0]["epcClass"] for e in made][-1:],
                         [jam_class])
        shipped = self._query(EQ_bizStep="shipping", MATCH_epcClass=jam_class)["events"]
        self.assertEqual(len(shipped), 2)
        self.assertFalse([e for e in self._query(
            MATCH_epcClass=jam_class, eventType="TransformationEvent")["events"]])
        self.assertEqual(len(self._query(MATCH_anyEPCClass=jam_class,
                                         eventType="TransformationEvent")["events"]), 1)
        self.assertFalse(self._query(LT_eventTime="2000-01-01T00:00:00Z")["events"])

    def test_paging(self):
        """perPage and nextPageToken walk the events once each, in order."""
        everything = self._query(MATCH_anyEPCClass=epcis.class_uri(
            self.jam.barcode, self.jam_lot.name), perPage="1000")["events"]
        seen, token = [], None
        while True:
            params = {"perPage": "2", "MATCH_anyEPCClass": epcis.class_uri(
                self.jam.barcode, self.jam_lot.name)}
            if token:
                params["nextPageToken"] = token
            page = self._query(**params)
            seen += page["events"]
            token = page["next_token"]
            if not token:
                break
        self.assertEqual(seen, everything)
        self.assertGreater(len(everything), 2)

    def test_partner_sees_its_lots_only(self):
        """A partner sees the lots shipped to it: its own delivery, not the other customer's,
        not our supplier's receipt."""
        events = self._query(partner=self.customer)["events"]
        shipped = [e for e in events if e.get("bizStep") == "shipping"]
        self.assertEqual(len(shipped), 1)
        self.assertIn(epcis.gln_uri(self.gln_customer, party=True), str(shipped[0]))
        self.assertFalse([e for e in events if e.get("bizStep") == "receiving"])
        stranger = self._create_partner("Stranger", customer=True)
        self.assertEqual(self._query(partner=stranger)["events"], [])

    def test_bad_parameters(self):
        """Unknown parameters and unreadable values name the parameter."""
        for params, name in (({"color": "red"}, "color"), ({"eventType": "Foo"}, "eventType"),
                             ({"perPage": "0"}, "perPage"), ({"perPage": "x"}, "perPage"),
                             ({"GE_eventTime": "today"}, "GE_eventTime"),
                             ({"MATCH_epcClass": "https://example.com/x"}, "MATCH_epcClass")):
            with self.assertRaises(epcis.EpcisError) as caught:
                self._query(**params)
            self.assertEqual(caught.exception.path, name)

    def test_user_rights(self):
        """A user without Traceability rights reads nothing."""
        plain = self._create_user("plain_stock", "stock.group_stock_user")
        with self.assertRaises(AccessError):
            self._query(user=plain)
        self.assertTrue(self._query(user=self.trace_user)["events"])

    def test_tokens(self):
        """A manager issues a token (found by its secret), revokes it (no longer found);
        users cannot set a token's secret themselves."""
        Token = self.env["stock.lot.epcis.token"].sudo(self.trace_manager)
        token = Token.create({"name": "Green Grocer", "partner_id": self.customer.id})
        secret = token.action_issue()
        self.assertEqual(Token._find(secret), token)
        token.action_revoke()
        self.assertFalse(Token._find(secret).active)
        with self.assertRaisesRegex(UserError, "token_hash"):
            token.write({"token_hash": Token._hash("mine")})
        with self.assertRaises(AccessError):
            self.env["stock.lot.epcis.token"].sudo(self.trace_user).create(
                {"name": "x", "partner_id": self.customer.id})
