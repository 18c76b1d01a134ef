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
        # every other way a country writes its addresses (state names, no line breaks, the
        # zip first or alone), with a state where the country has some; a state alone
        State = cls.env["res.country.state"]
        for code in ("in", "jp", "cn", "co", "mx", "uk", "br", "vn"):
            country = cls.env.ref("base.%s" % code)
            state = State.search([("country_id", "=", country.id)], limit=1)
            cls.partners |= cls.env["res.partner"].create({
                "name": unique("Shop"), "street": "1 Rue", "street2": "Unit 2",
                "city": "Town", "zip": "123", "country_id": country.id,
                "state_id": state.id})
        cls.partners |= cls.env["res.partner"].create({
            "name": unique("Shop"), "city": "Nowhere", "state_id": State.search([], limit=1).id})
        cls.nowhere = cls.env["res.partner"].create({"name": unique("No address")})
        cls.partners |= cls.nowhere

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
        # Odoo's address, without its blank lines (a line per empty field)
        self.assertEqual(addresses, {
            partner.id: "\n".join(
                line.rstrip() for line in partner._display_address(
                    without_company=True).splitlines() if line.strip())
            for partner in self.env["res.partner"].browse(self.partners.ids)})
        self.assertEqual(addresses[self.nowhere.id], "")
        self.assertTrue(self.nowhere._display_address(without_company=True).isspace())
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

    def test_a_module_s_own_address_is_followed(self):
        """When a module changes ``_display_address`` (as localisation modules do), its text
        is the one given: the fast path is only taken for Odoo's own method."""
        Partner = type(self.env["res.partner"])

        def _display_address(partner, without_company=False):
            return "%s / %s" % (partner.city, without_company)
        Partner._display_address = _display_address
        try:
            addresses, _queries = self._addresses(self.partners[:4])
        finally:
            del Partner._display_address
        self.assertEqual(set(addresses.values()), {"Springfield / True"})
        addresses, _queries = self._addresses(self.partners[:4])
        self.assertIn("Springfield", addresses[self.partners[0].id])
        self.assertNotIn("/ True", addresses[self.partners[0].id])
