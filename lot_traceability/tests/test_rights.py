# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rights are checked in the methods, not by the menus.

A plain Inventory user (no Traceability group) sees no Traceability menu, but can reach every
wizard and action over JSON-RPC (transient wizards have no access rules): each refuses with an
AccessError and writes nothing. A Traceability user of another company is refused the
documents of this one.
"""
from odoo.exceptions import AccessError

from .common import TraceabilityCase, unique


class TestRights(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestRights, cls).setUpClass()
        cls.stock_user = cls._create_user("stock_user", "stock.group_stock_user",
                                          "stock.group_production_lot")
        cls.sauce = cls._create_product("Sauce", uom=cls.uom_kg)
        cls.batch = cls._create_lot(cls.sauce)
        cls.receipt = cls._receive(cls.sauce, [(cls.batch, 10.0)])
        cls.serial = cls._create_product("Meter", tracking="serial")
        cls.jam = cls._create_product("Jam", uom=cls.uom_kg)
        cls.jam_list = cls._create_composition(cls.jam, [(cls.sauce, 1.0, "Base")])

    def _refused(self, call):
        counts = self._counts()
        with self._assert_refused(AccessError, "Traceability"):
            call()
        self.assertEqual(self._counts(), counts)

    def test_plain_stock_user_split_and_bulk_entry(self):
        """Split Into Units and Bulk Serial Entry over RPC, as an Inventory user."""
        Split = self.env["stock.lot.split"].sudo(self.stock_user)
        self._refused(lambda: Split.with_context(
            active_model="stock.production.lot", active_id=self.batch.id).create({
                "location_id": self.stock_location.id, "unit_count": 2}).action_apply())
        self._refused(lambda: self.batch.sudo(self.stock_user).action_split_into_units())
        self._refused(lambda: self._bulk_entry(
            self.serial, "SN-%s" % unique("A"), user=self.stock_user).action_apply())
        self._refused(lambda: self._bulk_entry(
            self.serial, "", user=self.stock_user, range_prefix="X").action_generate_range())
        self.assertEqual(self._on_hand(self.sauce, self.batch), 10.0)

    def test_plain_stock_user_receive_build_labels_trace(self):
        """Receive Lots, a build, labels, the genealogy and the exports: all refused."""
        user = self.stock_user
        picking = self._create_incoming([(self.sauce, 5.0)])
        calls = [
            lambda: self._receive_wizard(
                [{"product_id": self.sauce.id, "lot_name": unique("L"), "quantity": 5.0}],
                picking=picking, user=user).action_apply(),
            lambda: picking.move_lines.sudo(user).action_receive_lots(),
            lambda: picking.move_lines.sudo(user).action_serial_bulk_entry(),
            lambda: self.receipt.sudo(user).action_print_lot_labels(),
            lambda: self.env["report.lot_traceability.report_lot_label_small"].sudo(
                user).get_report_values(self.batch.ids),
            lambda: self.env["stock.lot.trace"].sudo(user).trace(self.batch.ids, "upstream"),
            lambda: self.env["stock.lot.trace"].sudo(user).lot_details(self.batch.id),
            lambda: self.batch.sudo(user).action_open_upstream(),
            lambda: self.env["stock.lot.scanner"].sudo(user).create(
                {"code": self.batch.name}).action_open_page(),
            lambda: self.env["stock.lot.scan"].sudo(user).match_code(self.batch.name),
            lambda: self.env["stock.lot.fsma"].sudo(user).fsma_events(
                "2026-01-01", "2026-01-31"),
        ]
        for call in calls:
            self._refused(call)

    def test_plain_stock_user_build(self):
        """A build drafted by a Traceability user cannot be scanned nor finished by an
        Inventory user."""
        build = self._create_assembly(self.jam, self.jam_list)
        build.action_scan(self.batch.name)
        as_stock_user = build.sudo(self.stock_user)
        for call in (lambda: as_stock_user.action_scan(self.batch.name),
                     as_stock_user.action_done, as_stock_user.action_cancel,
                     as_stock_user.action_next_unit):
            self._refused(call)
        self.assertEqual(build.state, "draft")

    def test_recall_actions_need_their_group(self):
        """Open and close need a manager, hold and release a Traceability user."""
        recall = self.env["stock.lot.recall"].sudo(self.trace_user).create(
            {"lot_ids": [(6, 0, self.batch.ids)]})
        self._refused(recall.action_open)
        recall.sudo(self.trace_manager).action_open()
        self._refused(recall.action_close)
        self._refused(recall.sudo(self.stock_user).action_hold)
        self.assertEqual(recall.state, "in_progress")

    def test_other_company_refused(self):
        """A Traceability manager of another company cannot finish this company's build."""
        other = self.env["res.company"].create({"name": unique("Other Co")})
        outsider = self._create_user("outsider", "lot_traceability.lot_traceability_group_manager")
        outsider.write({"company_ids": [(4, other.id)], "company_id": other.id})
        build = self._create_assembly(self.jam, self.jam_list)
        build.action_scan(self.batch.name)
        counts = self._counts()
        with self._assert_refused(AccessError):
            build.sudo(outsider).action_done()
        self.assertEqual(self._counts(), counts)
        self.assertEqual(build.state, "draft")
