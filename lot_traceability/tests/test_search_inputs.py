# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A search domain is input: the search methods of the addon's computed fields read their
operator and value through one check each (booleans, numbers, many2ones), and a wrong one
is a UserError naming the field, not a TypeError, a PostgreSQL error or the opposite set of
records."""
import re

from odoo.exceptions import UserError

from .common import TraceabilityCase


def _computed_searches(env, kind):
    """(model, field name) of the addon's computed, searchable fields of ``kind`` with
    their own search method (a related field's search is Odoo's, as a stored field's)."""
    for name in sorted(env.registry):
        model = env[name]
        if model._abstract or model._transient:
            continue
        for field in model._fields.values():
            if field.type == kind and field.search and not field.store \
                    and not field.related \
                    and (field._module or "").startswith("lot_traceability"):
                yield model, field


class TestSearchInputs(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestSearchInputs, cls).setUpClass()
        cls.sauce = cls._create_product("Sauce")
        cls.held, cls.free = cls._create_lot(cls.sauce), cls._create_lot(cls.sauce)
        cls._receive(cls.sauce, [(cls.held, 5.0), (cls.free, 2.0)])
        cls.held.action_quality_hold("Lab result pending")

    def test_booleans(self):
        found = list(_computed_searches(self.env, "boolean"))
        self.assertIn(("stock.production.lot", "is_blocked"),
                      [(model._name, field.name) for model, field in found])
        for model, field in found:
            for domain in ([(field.name, "=", "yes")], [(field.name, "in", [True, False])],
                           [(field.name, "like", True)], [(field.name, "in", "x")]):
                with self._assert_refused(UserError, field.string):
                    model.search(domain)
            # the four ways to ask for True give one set, its complement the other four
            yes = [model.search([(field.name, op, value)]) for op, value in (
                ("=", True), ("!=", False), ("in", [True]), ("not in", [False]))]
            no = [model.search([(field.name, op, value)]) for op, value in (
                ("=", False), ("!=", True), ("in", [False]), ("not in", [True]))]
            self.assertTrue(all(one == yes[0] for one in yes), field.name)
            self.assertTrue(all(one == no[0] for one in no), field.name)
            self.assertFalse(yes[0] & no[0], field.name)
        Lot = self.env["stock.production.lot"]
        self.assertIn(self.held, Lot.search([("is_blocked", "in", [True])]))
        self.assertNotIn(self.free, Lot.search([("is_blocked", "in", [True])]))

    def test_numbers(self):
        Lot = self.env["stock.production.lot"]
        for value in ("abc", None, True, [1]):
            with self._assert_refused(UserError, "On Hand"):
                Lot.search([("qty_on_hand", ">", value)])
        with self._assert_refused(UserError, "On Hand"):
            Lot.search([("qty_on_hand", "like", 1)])
        self.assertEqual(Lot.search([("qty_on_hand", ">", 3), ("product_id", "=",
                                                               self.sauce.id)]), self.held)

    def test_many2ones(self):
        """Every computed many2one's search refuses what no record can be: a dict, a
        boolean, an id PostgreSQL cannot hold, a text where ids are expected, an unknown
        operator."""
        found = list(_computed_searches(self.env, "many2one"))
        names = {(model._name, field.name) for model, field in found}
        self.assertTrue({("stock.production.lot", "asset_location_id"),
                         ("stock.production.lot", "traced_from_lot_id"),
                         ("stock.move.line", "traced_lot_id")} <= names, names)
        for model, field in found:
            for domain in ([(field.name, "=", {"a": 1})], [(field.name, "=", True)],
                           [(field.name, "=", 10 ** 12)], [(field.name, "in", "x")],
                           [(field.name, "in", [1, 10 ** 12])], [(field.name, "=", 0)],
                           [(field.name, "child_of", None)], [(field.name, "like", 5)],
                           [(field.name, ">", 1)]):
                with self._assert_refused(UserError, re.escape(field.string)):
                    model.search(domain)
        # what they may ask still answers: stock held in a location, by id, name or tree
        Lot = self.env["stock.production.lot"]
        serial = self._create_product("Drill", tracking="serial")
        drill = self._create_lot(serial)
        self._receive(serial, [(drill, 1.0)])
        where = drill.asset_location_id
        self.assertTrue(where)
        # child_of a text: the search view's filter on the location typed ("WH/Stock")
        for operator, value in (("=", where.id), ("in", [where.id]), ("ilike", where.name),
                                ("child_of", where.location_id.id),
                                ("child_of", where.display_name)):
            self.assertIn(drill, Lot.search([("asset_location_id", operator, value)]),
                          (operator, value))
        self.assertNotIn(drill, Lot.search([("asset_location_id", "=", False)]))
