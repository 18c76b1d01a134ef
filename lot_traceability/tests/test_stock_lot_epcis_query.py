# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The EPCIS query (what GET /epcis/events answers): filters, paging, a partner's token
seeing only the lots shipped to it, unknown parameters refused. Over HTTP:
tests/test_epcis_live.py."""
from odoo.exceptions import AccessError, UserError, ValidationError

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
        """Unknown parameters and unreadable values: a UserError naming the parameter, over
        RPC as over HTTP; never an internal error."""
        for params, name in (({"color": "red"}, "color"), ({"eventType": "Foo"}, "eventType"),
                             ({"perPage": "0"}, "perPage"), ({"perPage": "x"}, "perPage"),
                             ({"GE_eventTime": "today"}, "GE_eventTime"),
                             ({"GE_eventTime": "2024-02-30T00:00:00Z"}, "GE_eventTime"),
                             ({"LT_eventTime": "0001-01-01T00:00:00+14:00"}, "LT_eventTime"),
                             ({"MATCH_epcClass": ["x"]}, "MATCH_epcClass"),
                             ({"MATCH_epcClass": "https://example.com/x"}, "MATCH_epcClass")):
            with self.assertRaisesRegex(UserError, r"EPCIS query, %s: " % name):
                self._query(**params)
        service = self.env["stock.lot.epcis"]
        for args, pattern in (((None,), r"EPCIS query, params: .*not None"),
                              (("abc",), r"EPCIS query, params: .*not 'abc'"),
                              (({}, "abc"), r"partner_id")):
            with self.assertRaisesRegex(UserError, pattern):
                service.query_events(*args)

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
        with self.assertRaisesRegex(AccessError, "token_hash"):
            token.write({"token_hash": Token._hash("mine")})
        with self.assertRaises(AccessError):
            self.env["stock.lot.epcis.token"].sudo(self.trace_user).create(
                {"name": "x", "partner_id": self.customer.id})

    def test_token_of_one_company(self):
        """Two companies of one database ship the same customer: a token shows its own
        company's events only, sent in that company's name; a manager of one company neither
        reads, issues nor creates the other's tokens."""
        other = self.env["res.company"].create({"name": "Other Jams Ltd"})
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", other.id)])
        manager = self._create_user("other_manager", "stock.group_stock_manager",
                                    "lot_traceability.lot_traceability_group_manager")
        manager.write({"company_ids": [(6, 0, other.ids)], "company_id": other.id})
        # What both companies share: the customer, a supplier and the product.
        (self.customer | self.supplier).write({"company_id": False})
        jam = self._create_product("Shared Jam", barcode=self._new_gtin(), company_id=False)
        Picking = self.env["stock.picking"].sudo(manager)
        lot = self._create_lot(jam)
        Picking._create_done_transfer(warehouse.in_type_id, self.supplier, [(jam, 10.0, lot)])
        Picking._create_done_transfer(warehouse.out_type_id, self.customer, [(jam, 4.0, lot)])
        Token = self.env["stock.lot.epcis.token"]
        ours = Token.sudo(self.trace_manager).create({"name": "A", "partner_id": self.customer.id})
        theirs = Token.sudo(manager).create({"name": "B", "partner_id": self.customer.id})
        self.assertEqual(theirs.company_id, other)
        other_class = epcis.class_uri(jam.barcode, lot.name)

        def shipped(token):
            events = self.env["stock.lot.epcis"].query_events(
                {}, token.partner_id.id, token.company_id.id)["events"]
            return [e for e in events if e.get("bizStep") == "shipping"]
        mine = shipped(ours)
        self.assertEqual(len(mine), 1)
        self.assertNotIn(other_class, str(mine))
        self.assertEqual([e["quantityList"][0]["epcClass"] for e in shipped(theirs)],
                         [other_class])
        self.assertIn({"type": "owning_party", "source": epcis.private_uri(
            self.env["stock.lot.epcis"]._get_domain(), "party", other.partner_id.id)},
            shipped(theirs)[0]["sourceList"])
        # The tokens of one company are the other's business.
        self.assertEqual(Token.sudo(self.trace_manager).search([("id", "=", theirs.id)]),
                         Token)
        with self.assertRaises(AccessError):
            theirs.sudo(self.trace_manager).action_issue()
        with self.assertRaises(AccessError):
            Token.sudo(self.trace_manager).create({"name": "C", "company_id": other.id,
                                                   "partner_id": self.customer.id})
        stranger = self._create_partner("Their Own Customer")
        stranger.company_id = other
        with self.assertRaisesRegex(ValidationError, "partner_id.*Other Jams Ltd"):
            Token.sudo(self.trace_manager).create({"name": "D", "partner_id": stranger.id})
        # A user names only a company of their own.
        with self.assertRaisesRegex(AccessError, "company_id"):
            self.env["stock.lot.epcis"].sudo(self.trace_user).query_events({}, None, other.id)
        with self.assertRaisesRegex(AccessError, "company_id"):
            self.env["stock.lot.epcis"].query_events({}, None, 999999999)
