# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Addresses of many partners at once (recall call lists, the trace XLSX's Shipments): the
very text of Odoo's ``_display_address``, with the same number of queries for 3 partners as
for 30."""
from .common import TraceabilityCase, unique


class TestResPartnerAddresses(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestResPartnerAddresses, cls).setUpClass()
        us, belgium = cls.env.ref("base.us"), cls.env.ref("base.be")
        cls.partners = cls.env["res.partner"]
        for index in range(30):
            vals = {"name": unique("Shop"), "street": "%d Main St" % index, "city": "Springfield",
                    "zip": "%05d" % index}
            if index % 3 == 0:
                vals.update(country_id=us.id, state_id=cls.env.ref("base.state_us_5").id)
            elif index % 3 == 1:
                vals.update(country_id=belgium.id, street2="Bus %d" % index)
            if index % 5 == 0:
                vals["parent_id"] = cls.customer.id
            cls.partners |= cls.env["res.partner"].create(vals)

    def _addresses(self, partners):
        """(addresses, queries) of ``partners`` read from an empty cache."""
        self.env.cache.invalidate()
        partners = self.env["res.partner"].browse(partners.ids)
        before = self.env.cr.sql_log_count
        addresses = partners._get_display_addresses()
        return addresses, self.env.cr.sql_log_count - before

    def test_odoo_address_of_each_partner(self):
        addresses, _queries = self._addresses(self.partners)
        self.env.cache.invalidate()
        self.assertEqual(addresses, {
            partner.id: partner._display_address(without_company=True)
            for partner in self.env["res.partner"].browse(self.partners.ids)})
        # Each country's format: the US one with its state code, the Belgian zip first.
        self.assertIn("Springfield CA 00000", addresses[self.partners[0].id])
        self.assertIn("00001 Springfield", addresses[self.partners[1].id])
        self.assertNotIn(self.customer.name, addresses[self.partners[0].id])

    def test_queries_do_not_grow_with_the_partners(self):
        _addresses, few = self._addresses(self.partners[:3])
        _addresses, many = self._addresses(self.partners)
        self.assertEqual(few, many)

    def test_only_the_address_fields_are_read(self):
        """Not every field of every partner (what a first field access would load)."""
        self._addresses(self.partners)
        partner = self.env["res.partner"].browse(self.partners[0].id)
        self.assertIn("street", partner._cache)
        for name in ("website", "comment", "email", "display_name"):
            self.assertNotIn(name, partner._cache, name)
