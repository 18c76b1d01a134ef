# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Where a lot comes from (its parent batch, a partner's lot from EPCIS) is set by the actions
that make it, never by a user's write: a forged parent or "external" flag would change every
trace, recall and export of the lot."""
from odoo.exceptions import AccessError

from ..models.stock_production_lot_quality import ORIGIN_FIELDS
from ..tools.internal_context import internal_context
from .common import TraceabilityCase


class TestLotOriginFields(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestLotOriginFields, cls).setUpClass()
        cls.sauce = cls._create_product("Sauce")
        cls.batch = cls._create_lot(cls.sauce)
        cls.other = cls._create_lot(cls.sauce)
        cls.partner = cls._create_partner("Supplier Co")

    def test_users_cannot_write_a_lots_origin(self):
        lot = self.batch.sudo(self.trace_user)
        forged = {"parent_lot_id": self.other.id, "epcis_external": True,
                  "epcis_partner_id": self.partner.id}
        self.assertLessEqual(set(forged), set(ORIGIN_FIELDS))
        for name, value in forged.items():
            with self._assert_refused(AccessError, name):
                lot.write({name: value})
        # a unit linked from its would-be parent writes the unit's parent_lot_id: refused
        with self._assert_refused(AccessError, "parent_lot_id"):
            self.other.sudo(self.trace_user).write({"child_lot_ids": [(4, self.batch.id)]})
        with self._assert_refused(AccessError, "epcis_external"):
            self.env["stock.production.lot"].sudo(self.trace_user).create({
                "name": "FORGED-1", "product_id": self.sauce.id, "epcis_external": True})
        self.assertFalse(self.batch.parent_lot_id or self.batch.epcis_external)

    def test_split_sets_the_parent_and_a_copy_does_not_keep_it(self):
        product = self._create_product("Cheese wheel")
        batch = self._create_lot(product)
        self._receive(product, [(batch, 4.0)])
        wizard = self.env["stock.lot.split"].sudo(self.trace_user).with_context(
            active_model="stock.production.lot", active_id=batch.id,
            **internal_context(lot_traceability_sync=True)).create(
                {"location_id": self.stock_location.id, "unit_count": 2})
        units = self.env["stock.production.lot"].search(wizard.action_apply()["domain"])
        self.assertEqual(units.mapped("parent_lot_id"), batch)
        copy = units[0].sudo(self.trace_user).copy({"name": "COPY-OF-UNIT"})
        self.assertFalse(copy.parent_lot_id)
