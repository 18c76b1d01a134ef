# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The same note on many lots' chatter (stock.lot.bulk.writer._post_notes): one INSERT that
writes what message_post writes, message_post itself where a follower of notes is to be
notified."""
import re

from ..models.stock_lot_bulk_writer import _names_are_stored
from ..tools.internal_context import internal_context
from .common import TraceabilityCase

#: What differs between two messages on two lots, or between two runs.
PER_MESSAGE = {"id", "res_id", "record_name", "message_id", "parent_id", "date",
               "create_date", "write_date"}


class TestBulkNotes(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestBulkNotes, cls).setUpClass()
        cls.writer = cls.env["stock.lot.bulk.writer"]
        product = cls._create_product("Honey")
        cls.lots = [cls._create_lot(product, "H-%d" % number) for number in range(3)]
        for lot in cls.lots[:2]:  # a thread to continue: the first message is the parent
            lot.message_post(body="Received")

    def _messages(self, lot):
        self.env.cr.execute("SELECT * FROM mail_message WHERE model = %s AND res_id = %s "
                            "ORDER BY id", ["stock.production.lot", lot.id])
        return self.env.cr.dictfetchall()

    def test_bulk_note_is_what_message_post_writes(self):
        orm, bulk = self.lots[0], self.lots[1]
        writer = self.writer.sudo(self.trace_user)
        writer.with_context(**internal_context(lot_transform_bulk=False))._post_notes(
            orm.sudo(self.trace_user), "<p>On hold: <b>mould</b></p>")
        writer.with_context(**internal_context(lot_transform_bulk=True))._post_notes(
            bulk.sudo(self.trace_user), "<p>On hold: <b>mould</b></p>")
        written, shapes = {}, {}
        for lot in (orm, bulk):
            first, note = self._messages(lot)
            self.assertEqual((note["parent_id"], note["record_name"], note["res_id"]),
                             (first["id"], lot.name, lot.id))
            # Odoo's Message-Id: <random.time-openerp-id-model@host>, digits aside.
            shapes[lot] = re.sub(r"\d+", "9", note["message_id"].replace(
                "-%s-stock.production.lot@" % lot.id, "-ID-stock.production.lot@"))
            written[lot] = {key: value for key, value in note.items() if key not in PER_MESSAGE}
        self.assertEqual(written[bulk], written[orm])
        self.assertEqual(shapes[bulk], shapes[orm])
        self.assertNotEqual(self._messages(bulk)[1]["message_id"],
                            self._messages(orm)[1]["message_id"])
        self.assertEqual((written[bulk]["author_id"], written[bulk]["create_uid"]),
                         (self.trace_user.partner_id.id, self.trace_user.id))
        self.assertEqual(self.env["stock.production.lot"].browse(bulk.id).message_ids[0].body,
                         "<p>On hold: <b>mould</b></p>")

    def test_a_follower_of_notes_is_notified(self):
        """The lot someone follows for notes takes message_post, which notifies them; the
        others are written in bulk."""
        watched = self.lots[2]
        watcher = self.trace_manager.partner_id  # an employee: notes are internal
        watched.message_subscribe(partner_ids=[watcher.id],
                                  subtype_ids=[self.env.ref("mail.mt_note").id])
        lots = self.env["stock.production.lot"].browse([lot.id for lot in self.lots])
        self.assertEqual(self.writer._note_followed(lots), watched)
        self.writer.with_context(**internal_context(lot_transform_bulk=True))._post_notes(
            lots, "<p>Held</p>")
        for lot in lots:
            note = lot.message_ids[0]
            self.assertEqual(note.body, "<p>Held</p>")
            self.assertEqual(note.needaction_partner_ids, watcher if lot == watched
                             else self.env["res.partner"])

    def test_record_names_are_name_get(self):
        """By SQL for lots (Odoo's own name_get of their name), by name_get for partners
        (their own name_get: "Company, Contact")."""
        lots = self.env["stock.production.lot"].browse([lot.id for lot in self.lots])
        contact = self.env["res.partner"].create({"name": "Ann", "parent_id": self.customer.id})
        for records in (lots, contact | self.customer):
            self.assertEqual(self.writer._record_names(records), dict(records.name_get()))
        self.assertEqual(self.writer._record_names(contact)[contact.id],
                         "%s, Ann" % self.customer.name)
        # the lots' names are read by SQL (by the ORM: 20 s of a wide recall's Hold Stock),
        # though lot.traceability.input overrides name_get (for its wizards only)
        self.assertTrue(_names_are_stored(lots))
        self.assertFalse(_names_are_stored(contact))
        self.assertFalse(_names_are_stored(self.env["stock.lot.split"]))
