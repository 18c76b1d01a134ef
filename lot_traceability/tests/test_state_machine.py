# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A document's state changes only through its actions; done and closed documents are evidence.

Every forged call below is what a user can send over JSON-RPC (``write``, ``create``,
``unlink`` on the document or its lines); each one is refused with an AccessError naming the
field and leaves stock and documents as they were.
"""
from odoo.exceptions import AccessError

from .common import TraceabilityCase


class TestStateMachine(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestStateMachine, cls).setUpClass()
        cls.apples = cls._create_product("Apples", uom=cls.uom_kg)
        cls.jam = cls._create_product("Jam", uom=cls.uom_kg)
        cls.apple_lot = cls._create_lot(cls.apples)
        cls._receive(cls.apples, [(cls.apple_lot, 50.0)])
        cls.jam_list = cls._create_composition(cls.jam, [(cls.apples, 2.0, "Fruit")])

    def _draft_build(self, user=None):
        build = self.env["stock.assembly"].sudo(user or self.trace_user).create({
            "product_id": self.jam.id, "product_qty": 1.0,
            "composition_id": self.jam_list.id})
        build.action_scan(self.apple_lot.name)
        return build

    def _done_build(self):
        build = self._draft_build()
        build.action_done()
        return build

    # --- builds ----------------------------------------------------------------------------
    def test_user_builds_through_the_actions(self):
        """A Traceability user scans and finishes a build: the actions change the state."""
        build = self._done_build()
        self.assertEqual(build.state, "done")
        self.assertTrue(build.date_done and build.lot_id)
        self.assertIn(self.apple_lot.name, build.last_scan_message)
        self.assertEqual(self._on_hand(self.apples, self.apple_lot), 48.0)

    def test_forged_state_draft_to_done(self):
        """Writing state = done on a draft build is refused: nothing was built."""
        build = self._draft_build()
        counts = self._counts()
        with self.assertRaisesRegex(AccessError, r"\(state\)"):
            build.write({"state": "done"})
        with self.assertRaisesRegex(AccessError, r"\(date_done\)"):
            build.write({"date_done": "2026-01-01 00:00:00"})
        self.assertEqual(build.state, "draft")
        self.assertEqual(self._counts(), counts)

    def test_forged_state_done_to_draft(self):
        """A done build set back to draft would be done (consumed, produced) twice."""
        build = self._done_build()
        for user in (self.trace_user, self.trace_manager):
            with self.assertRaisesRegex(AccessError, r"\(state\)"):
                build.sudo(user).write({"state": "draft"})
        self.assertEqual(build.state, "done")
        self.assertEqual(self._on_hand(self.apples, self.apple_lot), 48.0)

    def test_done_build_is_immutable_and_kept(self):
        """Nothing of a done build changes, not its header, nor its lines; it is never
        deleted, not even by a manager."""
        build = self._done_build().sudo(self.trace_manager)
        line = build.line_ids
        forged = [(build, {"user_id": self.trace_user.id}),
                  (build, {"lot_name": "OTHER"}),
                  (build, {"location_dest_id": self.stock_location.id}),
                  (line, {"qty_done": 99.0}),
                  (line, {"lot_id": False})]
        for record, vals in forged:
            with self.assertRaisesRegex(AccessError, r"\(%s\)" % list(vals)[0]):
                record.write(vals)
        with self.assertRaisesRegex(AccessError, "Done"):
            self.env["stock.assembly.line"].sudo(self.trace_manager).create({
                "assembly_id": build.id, "product_id": self.apples.id, "qty_done": 5.0,
                "product_uom_id": self.uom_kg.id, "lot_id": self.apple_lot.id})
        with self.assertRaisesRegex(AccessError, "evidence"):
            line.unlink()
        with self.assertRaisesRegex(AccessError, "evidence"):
            build.unlink()
        self.assertEqual(line.qty_done, 2.0)

    def test_draft_build_is_created_draft_and_deletable(self):
        """A new build cannot be created done; a draft one is edited and deleted freely."""
        with self.assertRaisesRegex(AccessError, r"\(state\)"):
            self.env["stock.assembly"].sudo(self.trace_user).create({
                "product_id": self.jam.id, "product_qty": 1.0, "state": "done"})
        build = self._draft_build(self.trace_manager)
        build.write({"product_qty": 2.0, "lot_name": "JAM-X"})
        build.line_ids.write({"qty_done": 1.5})
        build.unlink()
        self.assertFalse(build.exists())

    def test_cancelled_build_lines_frozen(self):
        """Cancel goes through its action; a cancelled build takes no new line."""
        build = self._draft_build()
        build.action_cancel()
        self.assertEqual(build.state, "cancel")
        with self.assertRaises(AccessError):
            build.line_ids.write({"qty_done": 3.0})

    # --- recalls -------------------------------------------------------------------------
    def _recall(self):
        recall = self.env["stock.lot.recall"].sudo(self.trace_manager).create(
            {"lot_ids": [(6, 0, self.apple_lot.ids)], "reason": "Mould"})
        recall.action_open()
        return recall

    def test_closed_recall_is_evidence(self):
        """On a closed recall no field changes, for users and managers alike; the chatter
        still takes notes; the recall is never deleted."""
        recall = self._recall()
        recall.action_close()
        forged = {"date_scope": "2020-01-01 00:00:00", "date_closed": False, "is_mock": True,
                  "reason": "Nothing happened", "lot_ids": [(5, 0, 0)],
                  "quarantine_location_id": self.stock_location.id, "state": "draft",
                  "date_start": "2020-01-01 00:00:00"}
        for user in (self.trace_user, self.trace_manager):
            for name, value in forged.items():
                with self.assertRaisesRegex(AccessError, r"Closed: .*\(%s\)" % name):
                    recall.sudo(user).write({name: value})
        recall.sudo(self.trace_user).message_post(body="Customers informed by phone.")
        self.assertIn("Customers informed", recall.message_ids[0].body)
        with self.assertRaisesRegex(AccessError, "evidence"):
            recall.sudo(self.trace_manager).unlink()
        self.assertEqual((recall.state, recall.reason, recall.is_mock),
                         ("closed", "Mould", False))

    def test_open_recall_keeps_its_drill_and_scope(self):
        """In progress, the drill dates and the origin lots are the recall's own."""
        recall = self._recall().sudo(self.trace_manager)
        for vals in ({"date_scope": "2020-01-01 00:00:00"}, {"is_mock": True},
                     {"lot_ids": [(5, 0, 0)]}, {"state": "closed"}):
            with self.assertRaises(AccessError):
                recall.write(vals)
        with self.assertRaisesRegex(AccessError, "evidence"):
            recall.unlink()
        recall.write({"quarantine_location_id": self._create_location("Q2").id})

    def test_system_lines_are_read_only(self):
        """Hold lines, affected lots and customers: no user creates, writes or deletes
        one (a forged 500 kg hold line, then Release, made stock from nothing)."""
        recall = self._recall()
        recall.sudo(self.trace_user).action_hold()
        lines = {"stock.lot.recall.hold": recall.hold_line_ids,
                 "stock.lot.recall.lot": recall.scope_line_ids}
        create = {"stock.lot.recall.hold": {"recall_id": recall.id, "qty": 500.0,
                                            "lot_id": self.apple_lot.id, "state": "held",
                                            "location_id": self.stock_location.id},
                  "stock.lot.recall.lot": {"recall_id": recall.id, "lot_id": self.apple_lot.id},
                  "stock.lot.recall.customer": {"recall_id": recall.id, "qty": 5.0}}
        for user in (self.trace_user, self.trace_manager):
            for model, vals in create.items():
                with self.assertRaises(AccessError):
                    self.env[model].sudo(user).create(vals)
            for model, records in lines.items():
                with self.assertRaises(AccessError):
                    records.sudo(user).write({"lot_id": self.apple_lot.id})
                with self.assertRaises(AccessError):
                    records.sudo(user).unlink()
        self.assertEqual(recall.hold_line_ids.mapped("qty"), [50.0])
