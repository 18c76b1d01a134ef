# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A field kept to some groups is out of other users' searches, orders and groupings.

Odoo 11 checks ``groups`` when a field is read, not when it is searched or grouped by: a
recall notice's acknowledge token (managers only) could be listed with ``read_group`` or
guessed with ``search`` by any Traceability user. Every model of the addons that stores such
a field inherits ``lot.traceability.field.guard``; these tests find them from the registry.
"""
from odoo.exceptions import AccessError

from .common import TraceabilityCase

GUARD = "lot.traceability.field.guard"


def _guarded_fields(env):
    """(model, field) of every field with groups that an addon of ours stores in a column
    (a one2many's values are its comodel's records, kept by the comodel's own rights)."""
    for name in sorted(env.registry):
        model = env[name]
        if model._abstract or model._transient:
            continue
        for field in model._fields.values():
            ours = (field._module or "").startswith("lot_traceability")
            if ours and field.groups and field.store and field.column_type:
                yield model, field


class TestFieldGuard(TraceabilityCase):

    def test_every_model_with_a_kept_field_is_guarded(self):
        found = list(_guarded_fields(self.env))
        self.assertIn(("stock.lot.recall.notice", "token"),
                      [(model._name, field.name) for model, field in found])
        for model, field in found:
            self.assertTrue(
                any(getattr(cls, "_name", None) == GUARD for cls in type(model).__mro__),
                "%s.%s is kept to %s but %s does not inherit %s" % (
                    model._name, field.name, field.groups, model._name, GUARD))

    def test_users_outside_the_groups_are_refused(self):
        """search, search_count, order, name_search, read_group and a search through a
        relation, on every kept field, as a Traceability user outside its groups."""
        for model, field in _guarded_fields(self.env):
            user = self._create_user("outsider", "lot_traceability.lot_traceability_group_user")
            if user.has_group(field.groups.split(",")[0]):
                continue
            Model = model.sudo(user)
            calls = [
                lambda: Model.search([(field.name, "=like", "a%")]),
                lambda: Model.search_count(["|", ("id", "=", 0), (field.name, "!=", False)]),
                lambda: Model.search([], order="%s desc" % field.name),
                lambda: Model.search_read([(field.name, "!=", False)], ["id"]),
                lambda: Model.read_group([], [field.name], [field.name]),
                lambda: Model.read_group([(field.name, "=", "x")], ["id"], []),
                lambda: Model.read_group([], ["id"], [], orderby=field.name),
            ]
            for call in calls:
                with self._assert_refused(AccessError, field.string):
                    call()

    def test_notice_token_through_its_recall_and_for_managers(self):
        user = self._create_user("reader", "lot_traceability.lot_traceability_group_user")
        with self._assert_refused(AccessError, "Token"):
            self.env["stock.lot.recall"].sudo(user).search([("notice_ids.token", "=", "x")])
        manager = self._create_user("lead", "lot_traceability.lot_traceability_group_manager")
        Notice = self.env["stock.lot.recall.notice"].sudo(manager)
        self.assertEqual(Notice.search_count([("token", "=", "x")]), 0)
        self.assertEqual(Notice.read_group([], ["token"], ["token"]), [])
