# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The FSMA 204 sortable spreadsheet of a factory-built chain, read back with openpyxl.

Tomatoes (supplier lot code FARM-T-77) and cilantro (no supplier code) are received; a
salsa batch is built from them and lime juice (not on the Food Traceability List); the
batch is split into tubs; tubs and whole tomatoes are shipped; a tomato loss is booked.
"""
from datetime import date, datetime, timedelta
from io import BytesIO

import openpyxl
import pytz

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import common

from ..tools.internal_context import internal_context
from .common import TraceabilityCase, unique

PLACE = ["Business Name", "Phone", "Street or Geo-coordinates", "City", "State/Region",
         "ZIP/Postal Code", "Country"]
PRODUCT = ["Product Description", "Brand", "Commodity", "Variety", "Packaging Size",
           "Packaging Style"]
HEADERS = (["Event ID", "Event Type", "Traceability Lot Code"]
           + ["TLC Source " + part for part in PLACE] + PRODUCT
           + ["Quantity", "Unit of Measure", "Event Date", "Time Zone"]
           + ["Event Location " + part for part in PLACE]
           + ["Immediate Previous Source " + part for part in PLACE]
           + ["Immediate Subsequent Recipient " + part for part in PLACE]
           + ["Reference Document Type", "Reference Document Number",
              "Second Reference Document Type", "Second Reference Document Number",
              "Our Lot Code"])
COL = {name: index for index, name in enumerate(HEADERS)}


def place(row, role, col=COL):
    """The seven parts of one location description of ``row``."""
    return tuple(row[col["%s %s" % (role, part)]] for part in PLACE)


class FsmaCase(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(FsmaCase, cls).setUpClass()
        cls.us = cls.env.ref("base.us")
        cls.env.user.company_id.partner_id.write({
            "tz": "America/New_York", "phone": "+1 555 0001", "street": "2 Dock Street",
            "city": "Newark", "zip": "07102", "state_id": cls.env.ref("base.state_us_25").id,
            "country_id": cls.us.id})
        cls.supplier.write({"phone": "+1 555 0100", "street": "1 Farm Road",
                            "city": "Salinas", "zip": "93901", "country_id": cls.us.id,
                            "state_id": cls.env.ref("base.state_us_5").id})
        # The customer's state is missing: its location description is incomplete.
        cls.customer.write({"phone": "+1 555 0200", "street": "9 Market St",
                            "city": "Boston", "zip": "02108", "country_id": cls.us.id})
        flagged = {"fsma_food_traceability": True}
        cls.tomatoes = cls._create_product(
            "Roma Tomatoes", uom=cls.uom_kg, brand_name="Sunny", commodity="Tomatoes (fresh)",
            variety="Roma", packaging_style="Waxed carton", **flagged)
        cls.cilantro = cls._create_product("Cilantro", uom=cls.uom_kg, **flagged)
        cls.lime = cls._create_product("Lime Juice", uom=cls.uom_kg)
        cls.salsa = cls._create_product("Fresh Salsa", uom=cls.uom_kg, **flagged)
        cls.tub = cls._create_product("Fresh Salsa Tub", net_content_qty=0.5,
                                      net_content_uom_id=cls.uom_kg.id, brand_name="Casa",
                                      packaging_style="Plastic tub", **flagged)
        cls.tomato = cls._create_lot(cls.tomatoes, supplier_lot_code="FARM-T-77")
        cls.herb = cls._create_lot(cls.cilantro)
        cls.lime_lot = cls._create_lot(cls.lime)
        cls.receipt = cls._receive(cls.tomatoes, [(cls.tomato, 100.0)])
        cls.receipt.origin = unique("PO")
        cls.herb_receipt = cls._receive(cls.cilantro, [(cls.herb, 5.0)])
        cls._receive(cls.lime, [(cls.lime_lot, 10.0)])
        recipe = cls._create_composition(cls.salsa, [
            (cls.tomatoes, 8.0, "Tomatoes"), (cls.cilantro, 1.0, "Herbs"),
            (cls.lime, 1.0, "Acid")], qty=10.0)
        cls.build = cls._build(cls._create_assembly(cls.salsa, recipe, qty=10.0,
                                                    lot_name=unique("SALSA")),
                               [cls.tomato.name, cls.herb.name, cls.lime_lot.name])
        cls.batch = cls.build.lot_id
        cls.tubs = cls._split(cls.batch, unit_product_id=cls.tub.id, unit_count=4,
                              split_qty=2.0)
        cls.tub_delivery = cls._deliver(cls.tub, [(cls.tubs[0], 1.0), (cls.tubs[1], 1.0)])
        cls.tomato_delivery = cls._deliver(cls.tomatoes, [(cls.tomato, 20.0)])
        cls.loss = cls._done_moves([(cls.tomato, 2.0)], cls.stock_location,
                                   cls.env.ref("stock.location_inventory"))

    def _today(self):
        """Today as the export reads its days: the wizard's default, at any hour."""
        return self.env["stock.lot.fsma.export"].sudo(self.trace_user).default_get(
            ["date_to"])["date_to"]

    def _wizard(self, **vals):
        today = self._today()
        vals.setdefault("date_from", today)
        vals.setdefault("date_to", today)
        return self.env["stock.lot.fsma.export"].sudo(self.trace_user).create(vals)

    def _export(self, **vals):
        wizard = self._wizard(**vals)
        action = wizard.action_export()
        self.assertEqual(action["report_name"], "lot_traceability.stock_lot_fsma_xlsx")
        content, kind = self.env.ref("lot_traceability.stock_lot_fsma_xlsx_action").sudo(
            self.trace_user).render_xlsx(wizard.ids, {})
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(BytesIO(content))

    def _rows(self, book):
        rows = [list(row) for row in book["FSMA 204"].iter_rows(values_only=True)]
        self.assertEqual(rows[0], HEADERS)
        return rows[1:]

    def _event(self, rows, event_id):
        return [row for row in rows if row[COL["Event ID"]] == event_id]

    def _notes(self, book):
        return [row[0] for row in book["Notes"].iter_rows(min_row=2, values_only=True)]

    def _request(self, book):
        return {row[0]: row[1] for row in book["Request"].iter_rows(values_only=True)}

    def _split_event(self):
        return "TRF-" + self._split_reference(self.tubs)


class TestStockLotFsma(FsmaCase):

    def test_chain_event_by_event(self):
        """Every Critical Tracking Event of the chain, with its TLC rules."""
        book = self._export()
        self.assertEqual(book.sheetnames, ["FSMA 204", "Notes", "Request", "Legend"])
        rows = self._rows(book)
        self.assertEqual(len(rows), 2 + 3 + 5 + 2 + 1)
        supplier = (self.supplier.name, "+1 555 0100", "1 Farm Road", "Salinas", "California",
                    "93901", "United States")
        received = self._event(rows, "REC-" + self.receipt.name)
        self.assertEqual(len(received), 1)
        row = received[0]
        self.assertEqual(row[COL["Event Type"]], "Receiving")
        self.assertEqual(row[COL["Traceability Lot Code"]], "FARM-T-77")
        self.assertEqual(place(row, "TLC Source"), supplier)
        self.assertEqual(place(row, "Immediate Previous Source"), supplier)
        ours = (self.env.user.company_id.name, "+1 555 0001", "2 Dock Street", "Newark",
                "New Jersey", "07102", "United States")
        self.assertEqual(place(row, "Event Location"), ours)
        self.assertEqual((row[COL["Quantity"]], row[COL["Unit of Measure"]]), (100, "kg"))
        self.assertEqual(row[COL["Reference Document Type"]], "Receipt")
        self.assertEqual(row[COL["Our Lot Code"]], self.tomato.name)
        self.assertIsInstance(row[COL["Event Date"]], datetime)
        # The build: the two flagged inputs and the batch share the build's event id.
        build = self._event(rows, "TRF-" + self.build.name)
        self.assertEqual(sorted((r[COL["Event Type"]], r[COL["Traceability Lot Code"]])
                                for r in build),
                         sorted([("Transformation input", "FARM-T-77"),
                                 ("Transformation input", self.herb.name),
                                 ("Transformation output", self.batch.name)]))
        self.assertEqual({r[COL["Reference Document Type"]] for r in build}, {"Assembly build"})
        output = [r for r in build if r[COL["Event Type"]] == "Transformation output"][0]
        self.assertEqual(place(output, "TLC Source"), ours)
        self.assertEqual(place(output, "Event Location"), ours)
        # The split: the batch in, four tubs out, one event.
        split = self._event(rows, self._split_event())
        self.assertEqual(sorted(r[COL["Traceability Lot Code"]] for r in split),
                         sorted([self.batch.name] + self.tubs.mapped("name")))
        self.assertEqual({r[COL["Reference Document Type"]] for r in split},
                         {"Split into units"})
        self.assertEqual(sum(r[COL["Quantity"]] for r in split
                             if r[COL["Event Type"]] == "Transformation output"), 4)

    def test_shipping_tlcs_and_recipient(self):
        """Shipped tubs carry our lot codes; shipped tomatoes keep the supplier's code."""
        rows = self._rows(self._export())
        tubs = self._event(rows, "SHP-" + self.tub_delivery.name)
        self.assertEqual(sorted(r[COL["Traceability Lot Code"]] for r in tubs),
                         sorted(self.tubs[:2].mapped("name")))
        customer = (self.customer.name, "+1 555 0200", "9 Market St", "Boston", None, "02108",
                    "United States")
        self.assertEqual({place(r, "Immediate Subsequent Recipient") for r in tubs}, {customer})
        self.assertEqual({place(r, "Immediate Previous Source") for r in tubs}, {(None,) * 7})
        tomatoes = self._event(rows, "SHP-" + self.tomato_delivery.name)
        self.assertEqual([(r[COL["Traceability Lot Code"]], r[COL["Quantity"]],
                           r[COL["Reference Document Type"]]) for r in tomatoes],
                         [("FARM-T-77", 20, "Delivery")])
        self.assertEqual(tomatoes[0][COL["TLC Source Business Name"]], self.supplier.name)

    def test_returns(self):
        """A customer's return is a receiving event from the customer; a return to the
        supplier is a shipping event to the supplier; both keep the lot's TLC."""
        Picking = self.env["stock.picking"]
        back = self._return_lot(self.tub_delivery, self.tubs[0], 1.0)
        to_supplier = Picking._create_done_transfer(
            self.delivery_type, self.supplier, [(self.tomatoes, 5.0, self.tomato)],
            location_dest=self.supplier_location)
        rows = self._rows(self._export())
        back_row, = self._event(rows, "REC-" + back.name)
        self.assertEqual((back_row[COL["Reference Document Type"]],
                          back_row[COL["Traceability Lot Code"]]),
                         ("Customer return", self.tubs[0].name))
        self.assertEqual(back_row[COL["Immediate Previous Source Business Name"]],
                         self.customer.name)
        supplier_row, = self._event(rows, "SHP-" + to_supplier.name)
        self.assertEqual((supplier_row[COL["Reference Document Type"]],
                          supplier_row[COL["Traceability Lot Code"]],
                          supplier_row[COL["Quantity"]]),
                         ("Return to supplier", "FARM-T-77", 5))
        self.assertEqual(supplier_row[COL["Immediate Subsequent Recipient Business Name"]],
                         self.supplier.name)

    def test_notes_and_exclusions(self):
        """The loss is no event but a note; unflagged lime juice is absent; the missing
        supplier lot code of the cilantro is noted."""
        book = self._export()
        rows = self._rows(book)
        self.assertFalse([r for r in rows if self.lime.name in r[COL["Product Description"]]])
        self.assertFalse([r for r in rows if r[COL["Reference Document Number"]]
                          == self.loss.move_id.reference])
        notes = [list(row) for row in book["Notes"].iter_rows(values_only=True)]
        self.assertEqual(notes[0][:4], ["Note", "Date", "Time Zone", "Lot"])
        loss = [n for n in notes if n[0].startswith("Inventory adjustment")]
        self.assertEqual([(n[3], n[5]) for n in loss], [(self.tomato.name, 2)])
        self.assertIsInstance(loss[0][1], datetime)
        self.assertEqual(loss[0][2], "America/New_York")
        self.assertTrue([n for n in notes if self.herb.name in n[0]
                         and "without a supplier lot code" in n[0]])
        request = {row[0]: row[1] for row in book["Request"].iter_rows(values_only=True)}
        self.assertEqual(request["Rows"], len(rows))
        self.assertEqual(request["Events"], len({r[COL["Event ID"]] for r in rows}))
        self.assertEqual(request["Time zone"], "America/New_York")

    def test_event_dates_in_local_time_and_period(self):
        """Dates are the warehouse's local time; the period is whole local days."""
        self._backdate(self.receipt.move_line_ids, "2026-03-10 03:30:00")
        wizard = dict(date_from="2026-03-09", date_to="2026-03-09")
        rows = self._rows(self._export(**wizard))
        self.assertEqual([r[COL["Event ID"]] for r in rows], ["REC-" + self.receipt.name])
        self.assertEqual(rows[0][COL["Event Date"]], datetime(2026, 3, 9, 23, 30))
        self.assertEqual(rows[0][COL["Time Zone"]], "America/New_York")
        with self.assertRaisesRegex(UserError, "No event .* 2026-03-10 and 2026-03-10"):
            self._export(date_from="2026-03-10", date_to="2026-03-10")
        # Later events still give the tomatoes the supplier's code.
        rows = self._rows(self._export(lot_codes="FARM-T-77"))
        self.assertEqual({r[COL["Traceability Lot Code"]] for r in rows
                          if r[COL["Our Lot Code"]] == self.tomato.name}, {"FARM-T-77"})

    def test_lot_codes_and_whole_chain(self):
        """A supplier code selects its lot, and every transformation it took part in whole
        (all inputs and outputs); Whole Chain adds the lots made from it and everything
        those were made from: the cilantro of the salsa, with its receipt."""
        rows = self._rows(self._export(lot_codes="FARM-T-77"))
        self.assertEqual(sorted(r[COL["Event Type"]] for r in rows),
                         ["Receiving", "Shipping", "Transformation input",
                          "Transformation input", "Transformation output"])
        build = self._event(rows, "TRF-" + self.build.name)
        self.assertEqual({r[COL["Traceability Lot Code"]] for r in build},
                         {"FARM-T-77", self.herb.name, self.batch.name})
        chain = self._rows(self._export(lot_codes="FARM-T-77\n", include_linked=True))
        self.assertEqual({r[COL["Traceability Lot Code"]] for r in chain},
                         {"FARM-T-77", self.herb.name, self.batch.name}
                         | set(self.tubs.mapped("name")))
        self.assertEqual(len(self._event(chain, "REC-" + self.herb_receipt.name)), 1)
        self.assertEqual(len(self._event(chain, self._split_event())), 5)
        rows = self._rows(self._export(lot_codes="%s, %s" % (self.herb.name, self.batch.name)))
        self.assertEqual({r[COL["Traceability Lot Code"]] for r in rows},
                         {self.herb.name, self.batch.name, "FARM-T-77"}
                         | set(self.tubs.mapped("name")))

    def test_product_description(self):
        """Brand, commodity, variety, packaging size (net content) and style, on inputs and
        outputs alike; a food without them leaves the cells empty."""
        rows = self._rows(self._export())
        tomato_rows = [r for r in rows if r[COL["Traceability Lot Code"]] == "FARM-T-77"]
        self.assertEqual(len(tomato_rows), 3)
        self.assertEqual({tuple(r[COL[name]] for name in PRODUCT[1:]) for r in tomato_rows},
                         {("Sunny", "Tomatoes (fresh)", "Roma", None, "Waxed carton")})
        tub_rows = [r for r in rows if r[COL["Traceability Lot Code"]] in self.tubs.mapped(
            "name")]
        self.assertEqual({(r[COL["Event Type"]], r[COL["Brand"]], r[COL["Packaging Size"]],
                           r[COL["Packaging Style"]]) for r in tub_rows},
                         {("Transformation output", "Casa", "0.5 kg", "Plastic tub"),
                          ("Shipping", "Casa", "0.5 kg", "Plastic tub")})
        self.assertEqual(self.tub.product_tmpl_id.get_packaging_size(), "0.5 kg")
        self.assertEqual(self.tomatoes.product_tmpl_id.get_packaging_size(), "")

    def test_incomplete_location_descriptions_are_noted(self):
        """The customer has no state: the Notes name it and the part; the complete
        supplier is not named."""
        notes = [row[0] for row in self._export()["Notes"].iter_rows(min_row=2,
                                                                     values_only=True)]
        incomplete = [note for note in notes if "location description is incomplete" in note]
        self.assertEqual(incomplete, ["%s has no state or region: its location description "
                                      "is incomplete (21 CFR 1.1310)." % self.customer.name])
        self.customer.write({"state_id": self.env.ref("base.state_us_34").id, "zip": False,
                             "phone": False})
        notes = [row[0] for row in self._export()["Notes"].iter_rows(min_row=2,
                                                                     values_only=True)]
        self.assertIn("%s has no phone, ZIP or postal code: its location description is "
                      "incomplete (21 CFR 1.1310)." % self.customer.name, notes)

    def test_carrier_is_never_a_recipient(self):
        """A delivery whose transfer names a carrier goes to the ship-to party of its
        procurement group; one naming only a carrier has no recipient, and a note says so."""
        carrier = self._create_partner("Fast Freight", is_carrier=True)
        to_customer = self._deliver(self.tub, [(self.tubs[2], 1.0)], partner=carrier)
        group = self.env["procurement.group"].create({"name": unique("SO"),
                                                      "partner_id": self.customer.id})
        to_customer.move_lines.write({"group_id": group.id})
        only_carrier = self._deliver(self.tub, [(self.tubs[3], 1.0)], partner=carrier)
        book = self._export()
        rows = self._rows(book)
        row, = self._event(rows, "SHP-" + to_customer.name)
        self.assertEqual(row[COL["Immediate Subsequent Recipient Business Name"]],
                         self.customer.name)
        row, = self._event(rows, "SHP-" + only_carrier.name)
        self.assertEqual(place(row, "Immediate Subsequent Recipient"), (None,) * 7)
        notes = [r[0] for r in book["Notes"].iter_rows(min_row=2, values_only=True)]
        self.assertEqual([n for n in notes if carrier.name in n], [
            "%s names only %s, a transporter: a carrier is never the immediate previous "
            "source or subsequent recipient (21 CFR 1.1340(a)(4), 1.1345(a)(4)); give the "
            "transfer the partner it came from or goes to." % (
                only_carrier.name, carrier.name)])

    def test_we_assign_the_tlc(self):
        """Cilantro received without a supplier lot code: we assign the TLC (our lot code),
        its source is our receiving location on every row of it, and the Notes name the
        receipt."""
        book = self._export()
        rows = [r for r in self._rows(book) if r[COL["Traceability Lot Code"]] == self.herb.name]
        self.assertEqual(sorted(r[COL["Event Type"]] for r in rows),
                         ["Receiving", "Transformation input"])
        self.assertEqual({place(r, "TLC Source")[:2] for r in rows},
                         {(self.env.user.company_id.name, "+1 555 0001")})
        received, = [r for r in rows if r[COL["Event Type"]] == "Receiving"]
        self.assertEqual(place(received, "TLC Source"), place(received, "Event Location"))
        self.assertEqual(received[COL["Immediate Previous Source Business Name"]],
                         self.supplier.name)
        notes = [r[0] for r in book["Notes"].iter_rows(min_row=2, values_only=True)]
        self.assertIn("Lot %s was received on %s without a supplier lot code: we assigned its "
                      "traceability lot code (our lot code), and its TLC source is our "
                      "receiving location (21 CFR 1.1345(b))." % (
                          self.herb.name, self.herb_receipt.name), notes)

    def test_receipt_without_transfer_is_named_as_its_row(self):
        """A receipt of no transfer and no reference (written by a script): the note names
        it as its Receiving row does (the line), not with a blank ("received on  without")."""
        line = self.herb_receipt.move_line_ids.filtered(lambda l: l.lot_id == self.herb)
        self.env.cr.execute("UPDATE stock_move_line SET picking_id = NULL, reference = NULL "
                            "WHERE id = %s", [line.id])
        self.env.cr.execute("UPDATE stock_move SET picking_id = NULL, reference = NULL "
                            "WHERE id = %s", [line.move_id.id])
        self.env.cache.invalidate()
        book = self._export()
        received, = [r for r in self._rows(book) if r[COL["Traceability Lot Code"]]
                     == self.herb.name and r[COL["Event Type"]] == "Receiving"]
        self.assertEqual(received[COL["Reference Document Number"]], str(line.id))
        notes = [r[0] for r in book["Notes"].iter_rows(min_row=2, values_only=True)]
        self.assertIn("Lot %s was received on %s without a supplier lot code" % (
            self.herb.name, line.id), "\n".join(notes))

    def test_delivery_slip_and_labels_carry_the_tlc(self):
        """What we send is what we keep: the delivery slip prints each food line's TLC and
        its source; a label prints the TLC where it is not our lot code."""
        slip, _kind = self.env.ref("stock.action_report_delivery").sudo(
            self.trace_user).render_qweb_html(self.tomato_delivery.ids)
        slip = slip.decode()
        self.assertIn("Traceability Lot Code (FSMA 204)", slip)
        self.assertIn("FARM-T-77", slip)
        self.assertIn("TLC source: %s, +1 555 0100, 1 Farm Road, Salinas, California, "
                      "93901, United States" % self.supplier.name, slip)
        tubs, _kind = self.env.ref("stock.action_report_delivery").render_qweb_html(
            self.tub_delivery.ids)
        self.assertIn(self.tubs[0].name, tubs.decode().split("Traceability Lot Code")[-1])
        lots = self.tomato | self.batch | self.lime_lot
        self.assertEqual([p["fsma_tlc"] for p in lots.sudo(self.trace_user).get_label_payload()],
                         ["FARM-T-77", False, False])
        label, _kind = self.env.ref("lot_traceability.action_report_lot_label_small").sudo(
            self.trace_user).render_qweb_html(lots.ids)
        self.assertEqual(label.decode().count("TLC:"), 1)
        self.assertIn("FARM-T-77", label.decode())

    def test_legend(self):
        """The Legend maps every column to its KDE and CFR paragraph and explains the
        codes the sheet uses."""
        book = self._export()
        legend = list(book["Legend"].iter_rows(values_only=True))
        self.assertEqual(legend[0], ("Sheet", "Column or code", "Key Data Element or meaning",
                                     "21 CFR paragraph"))
        columns = {row[1]: row for row in legend[1:] if row[0] == "FSMA 204"}
        self.assertEqual(set(columns), set(HEADERS))
        for header, row in columns.items():
            self.assertTrue(row[2], header)
            self.assertTrue(row[3] or row[2].startswith("(ours)"), header)
        self.assertIn("1.1345(a) (4)", columns["Immediate Previous Source City"][3])
        self.assertIn("1.1340(a) (4)", columns["Immediate Subsequent Recipient ZIP/Postal "
                                               "Code"][3])
        codes = {row[1]: row[2] for row in legend[1:] if not row[0] and row[1]}
        for code in ("REC-…", "SHP-…", "TRF-…", "BUILD/…", "SPLIT/…", "Receiving",
                     "Transformation input", "Our Lot Code"):
            self.assertTrue(codes.get(code), code)

    def test_reference_documents(self):
        """The receipt's purchase order is its second reference, with its own type; the
        split's source document (the batch's lot code) is never a reference."""
        rows = self._rows(self._export())
        received, = self._event(rows, "REC-" + self.receipt.name)
        self.assertEqual((received[COL["Reference Document Type"]],
                          received[COL["Reference Document Number"]],
                          received[COL["Second Reference Document Type"]],
                          received[COL["Second Reference Document Number"]]),
                         ("Receipt", self.receipt.name, "Purchase order", self.receipt.origin))
        lot_names = set(self.env["stock.production.lot"].search([]).mapped("name"))
        seconds = {r[COL["Second Reference Document Number"]] for r in rows}
        self.assertFalse(seconds & lot_names)
        split = self._event(rows, self._split_event())
        self.assertEqual({r[COL["Second Reference Document Type"]] for r in split}, {None})

    def test_fda_layout(self):
        """FDA's template: one tab per event type, in the order of the rule's KDEs, the
        same rows as the one-sheet layout."""
        rows = self._rows(self._export())
        book = self._export(layout="fda")
        self.assertEqual(book.sheetnames, ["Shipping", "Receiving", "Transformation", "Notes",
                                           "Request", "Legend"])
        tabs = {name: list(book[name].iter_rows(values_only=True))
                for name in ("Shipping", "Receiving", "Transformation")}
        self.assertEqual(list(tabs["Shipping"][0][:10]), [
            "Traceability Lot Code", "Quantity", "Unit of Measure"] + PRODUCT + [
            "Immediate Subsequent Recipient Business Name"])
        self.assertEqual(tabs["Shipping"][0][16:24], tuple(
            ["Ship-From Location " + part for part in PLACE] + ["Ship Date"]))
        self.assertEqual(list(tabs["Receiving"][0][9:11]), [
            "Immediate Previous Source Business Name", "Immediate Previous Source Phone"])
        self.assertEqual(tabs["Transformation"][0][:2],
                         ("Input or Output", "Traceability Lot Code"))
        for name, kinds in (("Shipping", {"Shipping"}), ("Receiving", {"Receiving"}),
                            ("Transformation", {"Transformation input",
                                                "Transformation output"})):
            self.assertEqual(len(tabs[name]) - 1, len([
                r for r in rows if r[COL["Event Type"]] in kinds]), name)
        shipped = {(r[0], r[1]) for r in tabs["Shipping"][1:]}
        self.assertIn(("FARM-T-77", 20), shipped)
        legend = {row[0] for row in book["Legend"].iter_rows(min_row=2, values_only=True)}
        self.assertTrue({"Shipping", "Receiving", "Transformation"} <= legend)

    def test_refusals(self):
        """Bad requests are refused with what is wrong, before any file is written."""
        with self.assertRaisesRegex(ValidationError, "layout.*'landscape'"):
            self._wizard(layout="landscape")
        Fsma = self.env["stock.lot.fsma"].sudo(self.trace_user)
        with self.assertRaisesRegex(UserError, "lot_ids.*999999999"):
            Fsma.get_tlcs([self.tomato.id, 999999999])
        with self.assertRaisesRegex(UserError, "lot_ids"):
            Fsma.get_tlcs(None)
        self.assertEqual(Fsma.get_tlcs(self.tomato.ids), [{
            "lot_id": self.tomato.id, "lot_name": self.tomato.name, "tlc": "FARM-T-77",
            "source": "%s, +1 555 0100, 1 Farm Road, Salinas, California, 93901, United "
                      "States" % self.supplier.name}])
        with self.assertRaisesRegex(UserError, "NOPE-1, NOPE-2"):
            self._wizard(lot_codes="FARM-T-77\nNOPE-1,NOPE-2").action_export()
        # a pasted list of 500 unknown codes: ten named, the others counted
        with self.assertRaisesRegex(UserError, r"NOPE-9, NOPE-10 and 490 more\."):
            self._wizard(lot_codes="\n".join("NOPE-%d" % i for i in range(1, 501))
                         ).action_export()
        with self.assertRaisesRegex(UserError, self.lime.name):
            self._wizard(product_ids=[(6, 0, [self.lime.id, self.tomatoes.id])]).action_export()
        with self.assertRaisesRegex(UserError, "after it ends"):
            self._wizard(date_from="2026-03-10", date_to="2026-03-09").action_export()
        with self.assertRaisesRegex(UserError, self.lime_lot.name):
            self._wizard(lot_codes=self.lime_lot.name).action_export()

    def test_pages_give_the_same_rows(self):
        """Rows read in pages of 2 lines equal rows read in one page."""
        today = self._today()
        Fsma = self.env["stock.lot.fsma"].sudo(self.trace_user)
        whole = Fsma.fsma_events(today, today)
        paged = Fsma.with_context(**internal_context(fsma_page_size=2)).fsma_events(today, today)
        self.assertEqual(paged, whole)
        self.assertEqual(len(whole["rows"]), 13)
        self.assertEqual([r["line_id"] for r in whole["rows"]],
                         sorted((r["line_id"] for r in whole["rows"]),
                                key=lambda i: (self.env["stock.move.line"].browse(i).date, i)))

    def test_lot_ids_bound_as_one_array_literal(self):
        """The lots of a request reach PostgreSQL as one array literal (a recall's 200,000
        lots are not 200,000 expression nodes), and the lines of their transformations are
        joined, not searched line by line (no IN (subquery))."""
        today = self._today()
        Fsma = self.env["stock.lot.fsma"].sudo(self.trace_user)
        lot_ids = sorted(self.env["stock.production.lot"].search([]).ids)[:5]
        with self._recorded_statements() as sent:
            Fsma.fsma_events(today, today, lot_ids=lot_ids)
        lines = next(one.text for one in sent if "DECLARE" in one.text)
        self.assertEqual(lines.count("'{%s}'::int[]" % ",".join(map(str, lot_ids))), 3)
        self.assertNotIn("ARRAY[%s" % lot_ids[0], lines)
        self.assertNotRegex(lines, r"IN \(\s*SELECT")

    def test_user_text_is_never_a_formula(self):
        """Lot codes, supplier codes and partner names that look like formulas stay text."""
        hostile = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)"]
        partner = self._create_partner("Supplier")
        partner.name = hostile[3]
        lot = self._create_lot(self.tomatoes, hostile[0], supplier_lot_code=hostile[1])
        own = self._create_lot(self.salsa, hostile[2])
        self._receive(self.tomatoes, [(lot, 1.0)], partner=partner)
        self._transform([(self.tomatoes, lot, 1.0)], [(self.salsa, own, 1.0)])
        sheet = self._export(lot_codes="\n".join(hostile[:3]))["FSMA 204"]
        cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row
                 if cell.column - 1 in (COL["Traceability Lot Code"], COL["Our Lot Code"],
                                        COL["Immediate Previous Source Business Name"])
                 and cell.value is not None]
        self.assertEqual({cell.data_type for cell in cells}, {"s"})
        # The partner has no phone nor address: its description is its name alone.
        self.assertTrue(set(hostile) <= {cell.value for cell in cells})

    def test_only_flagged_foods(self):
        """Taking the flag off the tubs takes their rows out (split outputs, shipment)."""
        before = self._rows(self._export())
        self.tub.product_tmpl_id.fsma_food_traceability = False
        after = self._rows(self._export())
        self.assertEqual(len(before) - len(after), 4 + 2)
        self.assertFalse(self._event(after, "SHP-" + self.tub_delivery.name))

    def test_from_a_recall(self):
        """A recall on the tomatoes opens the export with their code, the whole chain and
        the period from their receipt; another recall without such foods is refused."""
        self._backdate(self.receipt.move_line_ids, "2026-03-10 15:00:00")
        recall = self.env["stock.lot.recall"].sudo(self.trace_user).create(
            {"lot_ids": [(6, 0, self.tomato.ids)]})
        action = recall.action_fsma_export()
        self.assertEqual(action["res_model"], "stock.lot.fsma.export")
        wizard = self.env["stock.lot.fsma.export"].sudo(self.trace_user).with_context(
            **action["context"]).create({})
        self.assertEqual((wizard.lot_codes, wizard.include_linked, wizard.date_from),
                         (self.tomato.name, True, "2026-03-10"))
        codes = {r["tlc"] for r in self.env["stock.lot.fsma"].fsma_events(
            wizard.date_from, wizard.date_to, lot_ids=wizard._get_lots().ids)["rows"]}
        self.assertEqual(codes, {"FARM-T-77", self.herb.name, self.batch.name}
                         | set(self.tubs.mapped("name")))
        other = self.env["stock.lot.recall"].create({"lot_ids": [(6, 0, self.lime_lot.ids)]})
        with self.assertRaisesRegex(UserError, "Food Traceability List"):
            other.action_fsma_export()

    def test_other_company_sees_no_event(self):
        """A Traceability user of another company exports no row of this company."""
        other = self.env["res.company"].create({"name": "Other Foods Ltd"})
        outsider = self._create_user("outsider", "lot_traceability.lot_traceability_group_user")
        outsider.write({"company_ids": [(6, 0, other.ids)], "company_id": other.id})
        today = self._today()
        outside = self.env["stock.lot.fsma"].sudo(outsider).fsma_events(today, today)
        self.assertEqual(outside["rows"], [])
        inside = self.env["stock.lot.fsma"].sudo(self.trace_user).fsma_events(today, today)
        self.assertEqual(len(inside["rows"]), 13)

    def test_needs_stock_rights(self):
        """An employee without Inventory rights reads no event, nor the genealogy: both read
        with SQL, so they check the rights on lots and moves first."""
        employee = self._create_user("employee")
        today = self._today()
        with self.assertRaises(AccessError):
            self.env["stock.lot.fsma"].sudo(employee).fsma_events(today, today)
        with self.assertRaises(AccessError):
            self.env["stock.lot.trace"].sudo(employee).trace(self.tomato.ids, "downstream")

    # --- audit fixes (FSMA 204 audit, items 1 to 8) ------------------------------------
    def test_whole_chain_starts_at_the_chain_first_movement(self):
        """A recall on the salsa batch, made today from tomatoes and cilantro received
        weeks ago: Whole Chain brings the batch's ingredients and their receipts, so the
        period starts at the first receipt of any lot of the chain, not at the batch's."""
        self._backdate(self.herb_receipt.move_line_ids, "2026-03-01 16:00:00")
        self._backdate(self.receipt.move_line_ids, "2026-03-02 16:00:00")
        recall = self.env["stock.lot.recall"].sudo(self.trace_user).create(
            {"lot_ids": [(6, 0, self.batch.ids)]})
        context = recall.action_fsma_export()["context"]
        self.assertEqual(context["default_date_from"], self._today())
        wizard = self.env["stock.lot.fsma.export"].sudo(self.trace_user).with_context(
            **context).create({})
        self.assertEqual(wizard._prepare_request()["date_from"], "2026-03-01")
        book = self._export(lot_codes=self.batch.name, include_linked=True)
        rows = self._rows(book)
        self.assertEqual([r[COL["Traceability Lot Code"]] for r in rows
                          if r[COL["Event Type"]] == "Receiving"], [self.herb.name, "FARM-T-77"])
        request = self._request(book)
        self.assertEqual(request["From"], datetime(2026, 3, 1))
        self.assertIn("the first movement of a lot of the whole chain", request["From asked"])
        # Without Whole Chain the period is the one asked.
        rows = self._rows(self._export(lot_codes=self.batch.name))
        self.assertFalse([r for r in rows if r[COL["Event Type"]] == "Receiving"])

    def test_tlc_source_skips_carriers(self):
        """A receipt naming the carrier, with the supplier on its procurement group: the TLC
        source is the supplier, as the immediate previous source is; a receipt naming only
        a carrier leaves the TLC source empty, with a note."""
        carrier = self._create_partner("Reefer Lines", is_carrier=True, phone="+1 555 0160",
                                       street="12 Harbor Way", city="Oakland", zip="94607",
                                       country_id=self.us.id,
                                       state_id=self.env.ref("base.state_us_5").id)
        lot = self._create_lot(self.tomatoes, supplier_lot_code=unique("SFF"))
        receipt = self._receive(self.tomatoes, [(lot, 10.0)], partner=carrier)
        group = self.env["procurement.group"].create({"name": unique("PO"),
                                                      "partner_id": self.supplier.id})
        receipt.move_lines.write({"group_id": group.id})
        only_carrier = self._create_lot(self.tomatoes, supplier_lot_code=unique("SFF"))
        self._receive(self.tomatoes, [(only_carrier, 1.0)], partner=carrier)
        book = self._export()
        row, = self._event(self._rows(book), "REC-" + receipt.name)
        self.assertEqual(row[COL["Immediate Previous Source Business Name"]],
                         self.supplier.name)
        self.assertEqual(place(row, "TLC Source"), place(row, "Immediate Previous Source"))
        tlcs = self.env["stock.lot.fsma"].sudo(self.trace_user).get_tlcs(
            [lot.id, only_carrier.id])
        self.assertTrue(tlcs[0]["source"].startswith(self.supplier.name + ", +1 555 0100"))
        self.assertEqual(tlcs[1]["source"], "")
        self.assertIn("Lot %s was received on " % only_carrier.name, "\n".join(
            n for n in self._notes(book) if "its TLC source" in n))

    def test_incomplete_product_descriptions_are_noted(self):
        """Each food missing a part of its product description is named once on the
        Notes sheet, with the parts it lacks; a complete one is not named."""
        notes = self._notes(self._export())
        self.assertIn("%s has no packaging size (Net Content): its product description is "
                      "incomplete (21 CFR 1.1310)." % self.tomatoes.display_name, notes)
        self.assertIn("%s has no brand, packaging size (Net Content), packaging style, "
                      "commodity, variety (of a single-ingredient food): its product "
                      "description is incomplete (21 CFR 1.1310)." % self.cilantro.display_name,
                      notes)
        self.assertEqual(len([n for n in notes if n.startswith(self.cilantro.display_name)]), 1)
        self.tub.write({"commodity": "Salsa", "variety": "Mild"})
        self.assertFalse([n for n in self._notes(self._export())
                          if n.startswith(self.tub.display_name)])

    def test_transformation_has_one_completion_date(self):
        """Inputs consumed hours before the output: every row of the build carries the
        output's date, the date the transformation was completed."""
        lines = self.env["stock.move.line"].search(
            [("move_id.transform_ref", "=", self.build.name)])
        inputs = lines.filtered(lambda l: l.location_dest_id.usage == "production")
        self._backdate(inputs, "2026-03-10 13:00:00")
        self._backdate(lines - inputs, "2026-03-10 18:00:00")
        rows = self._event(self._rows(self._export(date_from="2026-03-10",
                                                   date_to="2026-03-10")),
                           "TRF-" + self.build.name)
        self.assertEqual(len(rows), 3)
        self.assertEqual({r[COL["Event Date"]] for r in rows}, {datetime(2026, 3, 10, 14, 0)})
        # Inputs consumed days before: still on the completion day's export, not earlier.
        self._backdate(inputs, "2026-03-05 13:00:00")
        rows = self._event(self._rows(self._export(date_from="2026-03-10",
                                                   date_to="2026-03-10")),
                           "TRF-" + self.build.name)
        self.assertEqual(sorted(r[COL["Event Type"]] for r in rows), [
            "Transformation input", "Transformation input", "Transformation output"])
        with self.assertRaisesRegex(UserError, "No event"):
            self._export(date_from="2026-03-01", date_to="2026-03-09")

    def test_empty_export_is_refused(self):
        """No event in the period: a clear message before any file; for lot codes, the
        day the lots first moved; a period after today says so."""
        with self.assertRaisesRegex(UserError, "No event of the foods on the Food "
                                               "Traceability List between 2020-01-01 and "
                                               "2020-01-31"):
            self._wizard(date_from="2020-01-01", date_to="2020-01-31").action_export()
        with self.assertRaisesRegex(UserError, "These lots first moved on %s" % self._today()):
            self._wizard(date_from="2020-01-01", date_to="2020-01-31",
                         lot_codes="FARM-T-77").action_export()
        with self.assertRaisesRegex(UserError, "The period starts after today"):
            self._wizard(date_from="2030-01-01", date_to="2030-01-02").action_export()

    def test_request_sheet_period_as_days(self):
        """From and To are written as days (no time), both included; a To after today is
        said on the Request sheet."""
        today = fields.Date.from_string(self._today())
        later = fields.Date.to_string(today + timedelta(days=5))
        book = self._export(date_to=later)
        cells = {row[0].value: row[1] for row in book["Request"].iter_rows()}
        self.assertEqual((cells["From"].value.date(), cells["To"].value.date()),
                         (today, today + timedelta(days=5)))
        self.assertEqual({cells["From"].number_format, cells["To"].number_format},
                         {"yyyy-mm-dd"})
        self.assertIn("is after today", cells["After today"].value)
        self.assertNotIn("After today", self._request(self._export()))
        self.assertIsInstance(today, date)


# After the install: while Odoo 11 installs a module its locations' parent_left/right are
# not computed yet, so stock.location.get_warehouse() cannot find a warehouse a test makes.
@common.at_install(False)
@common.post_install(True)
class TestStockLotFsmaSites(FsmaCase):
    """Events at warehouses the tests make: their time zone, our other sites."""

    def test_period_by_each_event_time_zone(self):
        """A receipt in a Chicago warehouse at 23:30 local on 10 March (04:30 UTC on the
        11th, 00:30 in the company's New York) is in the period of 10 March, where its date
        is written, not in that of the 11th."""
        partner = self._create_partner("Chicago DC", tz="America/Chicago")
        warehouse = self.env["stock.warehouse"].create({
            "name": unique("Chicago"), "code": unique("C")[-5:], "partner_id": partner.id})
        lot = self._create_lot(self.tomatoes, supplier_lot_code=unique("CHI"))
        receipt = self._receive(self.tomatoes, [(lot, 3.0)], location=warehouse.lot_stock_id)
        self._backdate(receipt.move_line_ids, "2026-03-11 04:30:00")
        row, = self._event(self._rows(self._export(date_from="2026-03-10",
                                                   date_to="2026-03-10")), "REC-" + receipt.name)
        self.assertEqual((row[COL["Event Date"]], row[COL["Time Zone"]]),
                         (datetime(2026, 3, 10, 23, 30), "America/Chicago"))
        with self.assertRaisesRegex(UserError, "No event"):
            self._export(date_from="2026-03-11", date_to="2026-03-11")

    def test_transfer_between_our_sites(self):
        """Tomatoes moved from our Newark stock to our Chicago warehouse (another address):
        a Shipping row at Newark naming Chicago, a Receiving row at Chicago naming Newark,
        both with the supplier's TLC; a move inside one site is no event."""
        partner = self._create_partner(
            "Our Chicago DC", tz="America/Chicago", phone="+1 555 0300", street="90 Lake St",
            city="Chicago", zip="60601", country_id=self.us.id,
            state_id=self.env.ref("base.state_us_14").id)
        warehouse = self.env["stock.warehouse"].create({
            "name": unique("Chicago"), "code": unique("C")[-5:], "partner_id": partner.id})
        # at noon of the day the export reads: the same day in Newark and in Chicago (moved
        # now, between midnight and 1 am in New York, it was still the day before in Chicago)
        zone = pytz.timezone(self.env["stock.lot.fsma"].sudo(self.trace_user)._get_period_tz())
        noon = zone.localize(datetime.combine(fields.Date.from_string(self._today()),
                                              datetime.min.time()) + timedelta(hours=12))
        noon = noon.astimezone(pytz.utc).replace(tzinfo=None)
        moved = self._done_moves([(self.tomato, 5.0)], self.stock_location,
                                 warehouse.lot_stock_id, date=noon)
        shelf = self.env["stock.location"].create({"name": unique("Shelf"), "usage": "internal",
                                                   "location_id": self.stock_location.id})
        inside = self._done_moves([(self.tomato, 1.0)], self.stock_location, shelf, date=noon)
        rows = self._rows(self._export())
        document = moved.move_id.reference
        events = [r for r in rows if r[COL["Reference Document Number"]] == document]
        self.assertEqual(sorted((r[COL["Event ID"]], r[COL["Event Type"]],
                                 r[COL["Traceability Lot Code"]], r[COL["Quantity"]],
                                 r[COL["Time Zone"]]) for r in events),
                         [("REC-" + document, "Receiving", "FARM-T-77", 5, "America/Chicago"),
                          ("SHP-" + document, "Shipping", "FARM-T-77", 5, "America/New_York")])
        newark = self.env.user.company_id.name, "+1 555 0001", "2 Dock Street", "Newark", \
            "New Jersey", "07102", "United States"
        chicago = partner.name, "+1 555 0300", "90 Lake St", "Chicago", "Illinois", "60601", \
            "United States"
        shipped, = [r for r in events if r[COL["Event Type"]] == "Shipping"]
        received, = [r for r in events if r[COL["Event Type"]] == "Receiving"]
        self.assertEqual((place(shipped, "Event Location"),
                          place(shipped, "Immediate Subsequent Recipient")), (newark, chicago))
        self.assertEqual((place(received, "Event Location"),
                          place(received, "Immediate Previous Source")), (chicago, newark))
        self.assertEqual(place(received, "TLC Source")[0], self.supplier.name)
        today = self._today()
        lines = [row["line_id"] for row in self.env["stock.lot.fsma"].sudo(
            self.trace_user).fsma_events(today, today)["rows"]]
        self.assertEqual((lines.count(moved.id), lines.count(inside.id)), (2, 0))
