# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stock operations of the demo supply chain, a worked example of the public API.

The demo's master data (partners, products, locations) is XML. Its stock operations go
only through public methods, as an integrator's code would: the addon's wizards and
documents (``stock.lot.receive``, ``stock.serial.bulk.entry``, ``stock.assembly``,
``stock.lot.split``, ``stock.lot.recall`` and their ``action_*`` methods) and Odoo's own
transfers (``create``, ``action_confirm``, done quantities on the move lines,
``button_validate``) and inventory adjustments.

Back-dating is the one thing done behind the API, after the fact: installing writes
everything in one transaction at the same moment, so ``_backdate`` and ``_backdate_lines``
rewrite the dates of the finished transfers, moves, move lines and quants with the ORM, to
distinct increasing past timestamps. The chain then reads like history, and Odoo's own
traceability report (which only links moves whose dates strictly increase) follows it.
"""
from collections import OrderedDict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

DEMO_DAYS_AGO = 40
DRILL_MINUTES = 65  # the demo's mock recall drill: raised, then answered 65 minutes later


class LotTraceabilityDemo(models.AbstractModel):
    _name = "lot.traceability.demo"
    _description = "Lot traceability demo data builder"

    def _ref(self, xmlid):
        return self.env.ref("lot_traceability_demo." + xmlid)

    @api.model
    def _demo_start(self):
        """08:00 at the demo warehouse, DEMO_DAYS_AGO days ago, as a UTC datetime: the
        story happens in the warehouse's working hours in its own time zone (the rule of
        ``stock.lot.tz``), whatever the hour of the install."""
        return fields.Datetime.from_string(self.env["stock.lot.tz"].warehouse_time(
            self.env.ref("stock.warehouse0"), days=-DEMO_DAYS_AGO, hour=8))

    @api.model
    def _demo_lot(self, product_xmlid, name, received, **vals):
        """A lot produced on the day it is received: its expiry dates count from that day
        (the lot's own rule)."""
        vals.update(name=name, product_id=self._ref(product_xmlid).id,
                    production_date=fields.Date.to_string(received.date()))
        return self.env["stock.production.lot"].create(vals)

    # --- transfers through Odoo's public stock API -------------------------------------
    @api.model
    def _demo_picking(self, picking_type, partner, lines, location_dest=None, origin=False):
        """A confirmed transfer with one move per product of ``lines``, as a user makes it
        on *Inventory > Transfers* (``create`` with its moves, then ``action_confirm``).

        ``lines`` are ``(product, quantity, lot)`` in the product's unit; receipts come from
        the vendor's location, deliveries go to the customer's.
        """
        totals = OrderedDict()
        for product, quantity, _lot in lines:
            totals[product] = totals.get(product, 0.0) + quantity
        location = picking_type.default_location_src_id or partner.property_stock_supplier
        location_dest = (location_dest or picking_type.default_location_dest_id
                         or partner.property_stock_customer)
        picking = self.env["stock.picking"].create({
            "picking_type_id": picking_type.id, "partner_id": partner.id, "origin": origin,
            "location_id": location.id, "location_dest_id": location_dest.id,
            "move_lines": [(0, 0, {
                "name": product.display_name, "product_id": product.id,
                "product_uom": product.uom_id.id, "product_uom_qty": quantity,
                "picking_type_id": picking_type.id, "location_id": location.id,
                "location_dest_id": location_dest.id}) for product, quantity in totals.items()]})
        picking.action_confirm()
        return picking

    @api.model
    def _demo_transfer(self, picking_type, partner, lines, location_dest=None, origin=False):
        """Make the transfer of ``lines`` and validate it: one *Detailed Operations* row per
        lot with its done quantity (the reserved rows replaced), then ``button_validate``."""
        picking = self._demo_picking(picking_type, partner, lines, location_dest, origin)
        picking.move_line_ids.unlink()
        for product, quantity, lot in lines:
            self.env["stock.move.line"].create({
                "picking_id": picking.id, "product_id": product.id,
                "move_id": picking.move_lines.filtered(lambda m: m.product_id == product).id,
                "product_uom_id": product.uom_id.id, "lot_id": lot.id, "qty_done": quantity,
                "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id})
        follow_up = picking.button_validate()
        if follow_up or picking.state != "done":
            raise UserError(_("The demo transfer %(origin)s was not validated (%(step)s).") % {
                "origin": origin, "step": (follow_up or {}).get("res_model", picking.state)})
        return picking

    @api.model
    def _install_demo_stock(self):
        """Receipts of ingredients, packaging and tools, then a first delivery."""
        receipt_type = self.env.ref("stock.picking_type_in")
        start = self._demo_start()

        def day(n):
            return start + timedelta(days=n)

        apples = self._ref("product_apples_demo")
        lots = [self._demo_lot("product_apples_demo", "APL-0001", day(0)),
                self._demo_lot("product_apples_demo", "APL-0002", day(0))]
        sugar = self._demo_lot("product_sugar_demo", "SUG-0001", day(1))
        empty = self.env["stock.production.lot"]
        steps = [
            (day(0), self._demo_transfer(
                receipt_type, self._ref("partner_valley_orchards_demo"),
                [(apples, 400.0, lots[0]), (apples, 350.0, lots[1])], origin="PO-VO-1187")),
            (day(1), self._demo_transfer(
                receipt_type, self._ref("partner_sunrise_sugar_demo"),
                [(sugar.product_id, 500.0, sugar)], origin="PO-SS-0452")),
            (day(2), self._demo_transfer(
                receipt_type, self._ref("partner_glassworks_demo"),
                [(self._ref("product_jar_demo"), 2000.0, empty),
                 (self._ref("product_lid_demo"), 2000.0, empty)], origin="PO-GW-0077"))]
        steps += self._install_demo_assets(receipt_type, day(3))
        steps.append((day(5), self._demo_transfer(
            self.env.ref("stock.picking_type_out"), self._ref("partner_green_grocer_demo"),
            [(apples, 50.0, lots[0])], origin="SO-GG-0311")))
        self._backdate(steps)
        return True

    @api.model
    def _install_demo_assets(self, receipt_type, when):
        """Compressors in the tool crib, drills split between the main stock and the crib."""
        vendor = self._ref("partner_toolpro_demo")
        compressor = self._ref("product_compressor_demo")
        drill = self._ref("product_drill_demo")
        compressors = [
            (compressor, 1.0, self._demo_lot("product_compressor_demo", "AC200-%04d" % n, when))
            for n in range(1, 4)]
        drills = [(drill, 1.0, self._demo_lot("product_drill_demo", "D18-%04d" % n, when))
                  for n in range(1001, 1005)]
        first = self._demo_transfer(
            receipt_type, vendor, compressors + drills[:2],
            location_dest=self._ref("location_tool_crib_demo"), origin="PO-TP-0915")
        second = self._demo_transfer(receipt_type, vendor, drills[2:], origin="PO-TP-0916")
        return [(when, first), (when + timedelta(hours=2), second)]

    @api.model
    def _backdate(self, steps):
        """Give each demo transfer its own past date, a second apart per move line."""
        for when, picking in steps:
            stamp = fields.Datetime.to_string(when)
            picking.write({"date": stamp, "scheduled_date": stamp, "date_done": stamp})
            self._backdate_lines(picking.move_line_ids, when)

    @api.model
    def _backdate_lines(self, lines, when):
        """Date ``lines`` (and their moves and quants) from ``when`` on, each in a second no
        other done move line has: every feature's demo back-dates its own steps, and Odoo's
        traceability report only links moves with strictly increasing dates."""
        window = [("state", "=", "done"), ("id", "not in", lines.ids),
                  ("date", ">=", fields.Datetime.to_string(when)),
                  ("date", "<", fields.Datetime.to_string(when + timedelta(days=1)))]
        used = set(self.env["stock.move.line"].search(window).mapped("date"))
        moment = when
        for line in lines.sorted("id"):
            while fields.Datetime.to_string(moment) in used:
                moment += timedelta(seconds=1)
            stamp = fields.Datetime.to_string(moment)
            used.add(stamp)
            line.move_id.write({"date": stamp, "date_expected": stamp})
            line.write({"date": stamp})
            self.env["stock.quant"].sudo().search([
                ("product_id", "=", line.product_id.id), ("lot_id", "=", line.lot_id.id),
                ("location_id", "=", line.location_dest_id.id)]).write({"in_date": stamp})

    # --- assembly builds and split into units (demo/assembly_demo.xml) -------------------
    @api.model
    def _install_assembly_demo(self):
        """Motors received, a jam batch and a jam press built by scanning, the batch split
        into jars, jars shipped; everything back-dated after the base demo."""
        start = self._demo_start()
        # The base demo's jars get a barcode, so the shop floor can scan them.
        self._ref("product_jar_demo").barcode = "9506000134369"
        motors = [self._demo_lot("product_motor_demo", "M5-%04d" % n, start) for n in (1, 2, 3)]
        receipt = self._demo_transfer(
            self.env.ref("stock.picking_type_in"), self._ref("partner_toolpro_demo"),
            [(lot.product_id, 1.0, lot) for lot in motors], origin="PO-TP-0950")
        self._backdate([(start + timedelta(days=8), receipt)])
        jam = self._demo_build("composition_apple_jam_demo", 50.0, "JAM-0001",
                               ["APL-0001", "SUG-0001",
                                self._ref("product_jar_demo").barcode])
        self._backdate_transformation(start + timedelta(days=10), jam.name)
        press = self._demo_build("composition_jam_press_demo", 1.0, "JP2-0001",
                                 [motors[0].name, motors[1].name])
        self._backdate_transformation(start + timedelta(days=11), press.name)
        jars = self._demo_split(jam.lot_id, 20.0, 40, "product_apple_jam_jar_demo")
        self._backdate_transformation(start + timedelta(days=12), self._split_reference(jars))
        self._demo_ship_jars(jars, start + timedelta(days=14))
        return True

    @api.model
    def _demo_build(self, composition_xmlid, qty, lot_name, scans):
        """A build against a composition list: each scan fills its line, then Done."""
        composition = self._ref(composition_xmlid)
        build = self.env["stock.assembly"].create({
            "composition_id": composition.id, "product_id": composition.product_id.id,
            "product_qty": qty, "lot_name": lot_name})
        for code in scans:
            build.action_scan(code)
        build.action_done()
        return build

    @api.model
    def _demo_free_build(self, product, qty, lot_name, scans):
        """A build without a composition list: each scan adds a line, whose quantity is then
        entered on it (``scans`` are ``(code, quantity)``), then Done."""
        build = self.env["stock.assembly"].create({
            "product_id": product.id, "product_qty": qty, "lot_name": lot_name})
        for code, quantity in scans:
            line_id = build.action_scan(code)["line_id"]
            self.env["stock.assembly.line"].browse(line_id).write({"qty_done": quantity})
        build.action_done()
        return build

    @api.model
    def _demo_split(self, batch, qty, count, unit_xmlid):
        """Split ``qty`` of ``batch`` into ``count`` units; the new lots by name."""
        wizard = self.env["stock.lot.split"].with_context(
            active_model="stock.production.lot", active_id=batch.id).create({
                "split_qty": qty, "unit_count": count,
                "unit_product_id": self._ref(unit_xmlid).id})
        return self.env["stock.production.lot"].search(wizard.action_apply()["domain"],
                                                       order="name")

    @api.model
    def _demo_deliveries(self, when, gap, shipments):
        """Validated deliveries, ``shipments`` as ``(partner xmlid, [(lot, qty)], origin)``,
        the first at ``when``, each next one ``gap`` later; back-dated."""
        delivery_type = self.env.ref("stock.picking_type_out")
        self._backdate([
            (when + gap * rank, self._demo_transfer(
                delivery_type, self._ref(partner),
                [(lot.product_id, qty, lot) for lot, qty in items], origin=origin))
            for rank, (partner, items, origin) in enumerate(shipments)])

    @api.model
    def _demo_ship_jars(self, jars, when):
        self._demo_deliveries(when, timedelta(hours=3), [
            ("partner_green_grocer_demo", [(lot, 1.0) for lot in jars[:12]], "SO-GG-0342"),
            ("partner_corner_deli_demo", [(lot, 1.0) for lot in jars[12:18]], "SO-CD-0107")])

    @api.model
    def _split_reference(self, units):
        """The document number of the split that made ``units``."""
        return self.env["stock.move.line"].search(
            [("lot_id", "in", units.ids), ("state", "=", "done")], limit=1,
            order="id").move_id.transform_ref

    @api.model
    def _backdate_transformation(self, when, reference):
        """Like ``_backdate`` for the moves of a build or split (they have no picking)."""
        lines = self.env["stock.move"].search([("transform_ref", "=", reference)]).mapped(
            "move_line_ids")
        self._backdate_lines(lines, when)

    # --- Receive Lots (demo/receive_demo.xml) --------------------------------------------
    @api.model
    def _demo_receive_row(self, product, name, qty, supplier_code, produced, values):
        """One Receive Lots row; ``values`` are ``(attribute xmlid, text)``."""
        return (0, 0, {
            "product_id": product.id, "lot_name": name, "quantity": qty,
            "supplier_lot_code": supplier_code,
            "production_date": fields.Date.to_string(produced),
            "value_ids": [(0, 0, {"attribute_id": self._ref(attribute).id, "value": value})
                          for attribute, value in values]})

    @api.model
    def _install_receive_demo(self):
        """Two receipts of ingredient lots with attributes, made through Receive Lots."""
        start = self._demo_start()
        apples = self._ref("product_apples_demo")
        row = self._demo_receive_row
        gap = [("lot_attribute_certificate_demo", "GGN-4049929000011")]
        # From the product: the wizard makes the receipt from the chosen vendor.
        first = self.env["stock.lot.receive"].with_context(
            active_model="product.product", active_id=apples.id).create({
                "partner_id": self._ref("partner_valley_orchards_demo").id,
                "validate_now": True,
                "line_ids": [
                    row(apples, "APL-0003", 300.0, "VO-26-118", start + timedelta(days=6),
                        [("lot_attribute_brix_demo", "13.4")] + gap),
                    row(apples, "APL-0004", 250.0, "VO-26-119", start + timedelta(days=6),
                        [("lot_attribute_brix_demo", "12.1")] + gap)]})
        first = self.env["stock.picking"].browse(first.action_apply()["res_id"])
        second = self._install_receive_backorder(start)
        self._backdate([(start + timedelta(days=7), first),
                        (start + timedelta(days=8), second)])
        # The hourly low-stock check, run now so the jar rule's alert is there at once.
        self.env.ref("lot_traceability.stock_warehouse_orderpoint_cron_low_stock") \
            .method_direct_trigger()
        return True

    @api.model
    def _install_receive_backorder(self, start):
        """On an incoming transfer: 700 kg expected, 600 kg arrive, the rest is backordered."""
        sugar = self._ref("product_sugar_demo")
        picking = self._demo_picking(
            self.env.ref("stock.picking_type_in"), self._ref("partner_sunrise_sugar_demo"),
            [(sugar, 700.0, None)], origin="PO-SS-0467")
        certificate = [("lot_attribute_certificate_demo", "BONSUCRO-CoC-0193")]
        self.env["stock.lot.receive"].with_context(
            active_model="stock.picking", active_id=picking.id).create({
                "validate_now": True,
                "line_ids": [
                    self._demo_receive_row(sugar, "SUG-0002", 400.0, "SS-B7731",
                                           start + timedelta(days=5), certificate),
                    self._demo_receive_row(sugar, "SUG-0003", 200.0, "SS-B7735",
                                           start + timedelta(days=6), certificate)],
            }).action_apply()
        return picking

    # --- Bulk Serial Entry (demo/serials_demo.xml) ----------------------------------------
    @api.model
    def _install_demo_serials(self):
        """More drills into the tool crib and compressors into stock, through Bulk Serial Entry."""
        when = self._demo_start() + timedelta(days=6)
        Entry = self.env["stock.serial.bulk.entry"]
        vendor = self._ref("partner_toolpro_demo")
        drills = Entry.create({
            "product_id": self._ref("product_drill_demo").id,
            "location_dest_id": self._ref("location_tool_crib_demo").id,
            "partner_id": vendor.id, "origin": "PO-TP-0931", "warranty_date": "2028-12-31",
            "range_prefix": "D18-", "range_first": 1005, "range_count": 6})
        drills.action_generate_range()
        compressors = Entry.create({
            "product_id": self._ref("product_compressor_demo").id,
            "location_dest_id": self.env.ref("stock.stock_location_stock").id,
            "partner_id": vendor.id, "origin": "PO-TP-0932", "warranty_date": "2029-06-30",
            "serials_text": "AC200-0004\nAC200-0005"})
        steps = []
        for offset, wizard in enumerate((drills, compressors)):
            lines = self.env["stock.move.line"].search(wizard.action_apply()["domain"])
            steps.append((when + timedelta(hours=offset), lines.mapped("picking_id")))
        self._backdate(steps)
        return True

    # --- genealogy (demo/genealogy_demo.xml) ---------------------------------------------
    @api.model
    def _install_genealogy_demo(self):
        """Apples and sugar of their own received, made into compote by two builds without a
        composition list, shipped; a mock recall drill, opened.

        Its own lots (APL-0005, SUG-0004), so the foundation's demo stock stays as it is.
        """
        start = self._demo_start()
        received = start + timedelta(days=6)
        receipt_type = self.env.ref("stock.picking_type_in")
        apples = self._demo_lot("product_apples_demo", "APL-0005", received)
        sugar = self._demo_lot("product_sugar_demo", "SUG-0004", received)
        self._backdate([
            (received, self._demo_transfer(
                receipt_type, self._ref("partner_valley_orchards_demo"),
                [(apples.product_id, 300.0, apples)], origin="PO-VO-1201")),
            (received + timedelta(hours=2), self._demo_transfer(
                receipt_type, self._ref("partner_sunrise_sugar_demo"),
                [(sugar.product_id, 100.0, sugar)], origin="PO-SS-0470"))])
        compote = self._install_genealogy_builds(start, apples, sugar)
        self._demo_deliveries(start + timedelta(days=10), timedelta(days=1), [
            ("partner_corner_deli_demo", [(compote, 100.0)], "SO-CD-0102"),
            ("partner_green_grocer_demo", [(compote, 60.0)], "SO-GG-0340")])
        self._install_recall_drill(apples)
        return True

    @api.model
    def _install_recall_drill(self, lot):
        """A mock recall drill on ``lot``, run at install: raised DRILL_MINUTES before it
        was opened, so its clock reads a finished drill, not one still running since the
        install (the drill clock starts at Started)."""
        started = fields.Datetime.from_string(fields.Datetime.now()) - timedelta(
            minutes=DRILL_MINUTES)
        recall = self.env["stock.lot.recall"].create({
            "lot_ids": [(6, 0, lot.ids)], "is_mock": True,
            "date_start": fields.Datetime.to_string(started),
            "reason": "Mock recall drill: supplier Valley Orchards reports a pesticide "
                      "residue on apple lot APL-0005.",
        })
        recall.action_open()
        return recall

    @api.model
    def _install_genealogy_builds(self, start, apples, sugar):
        """CMP-0001 (day 7) and CMP-0002 (day 9) built from APL-0005 and SUG-0004; the first
        compote lot, the one shipped, is returned."""
        product = self._ref("product_compote_demo")
        compote = self.env["stock.production.lot"]
        for days, name, qty, used in ((7, "CMP-0001", 280.0, (120.0, 20.0)),
                                      (9, "CMP-0002", 240.0, (100.0, 20.0))):
            when = start + timedelta(days=days)
            compote |= self._demo_lot("product_compote_demo", name, when)
            build = self._demo_free_build(product, qty, name,
                                          list(zip((apples.name, sugar.name), used)))
            self._backdate_transformation(when, build.name)
        return compote[:1]

    # --- FSMA 204 (demo/fsma_demo.xml) ---------------------------------------------------
    @api.model
    def _install_fsma_demo(self):
        """Tomatoes and cilantro received with the growers' lot codes, a salsa batch built
        and split into tubs, tubs and whole tomatoes shipped, a spoiled case counted out."""
        start = self._demo_start()
        tomatoes, cilantro = self._install_fsma_receipts(start + timedelta(days=20))
        salsa = self._demo_build("composition_salsa_demo", 40.0, "SAL-0001",
                                 [tomatoes[0].name, cilantro.name])
        self._backdate_transformation(start + timedelta(days=21), salsa.name)
        tubs = self._demo_split(salsa.lot_id, 20.0, 50, "product_salsa_tub_demo")
        self._backdate_transformation(start + timedelta(days=21, hours=2),
                                      self._split_reference(tubs))
        self._demo_deliveries(start + timedelta(days=22), timedelta(hours=2), [
            ("partner_green_grocer_demo", [(lot, 1.0) for lot in tubs[:30]], "SO-GG-0388"),
            ("partner_corner_deli_demo",
             [(lot, 1.0) for lot in tubs[30:42]] + [(tomatoes[1], 50.0)], "SO-CD-0131")])
        self._install_fsma_carrier_delivery(start + timedelta(days=22, hours=6), tubs[42:48])
        self._install_fsma_count(start + timedelta(days=23), tomatoes[0])
        return True

    @api.model
    def _install_fsma_carrier_delivery(self, when, tubs):
        """Tubs handed to the carrier Coastal Reefer Lines for Green Grocer: the transfer
        names the carrier, the order's procurement group the ship-to party (what the FSMA
        204 export lists as the immediate subsequent recipient)."""
        group = self.env["procurement.group"].create({
            "name": "SO-GG-0391", "partner_id": self._ref("partner_green_grocer_demo").id})
        picking = self._demo_transfer(
            self.env.ref("stock.picking_type_out"), self._ref("partner_coastal_reefer_demo"),
            [(lot.product_id, 1.0, lot) for lot in tubs], origin="SO-GG-0391")
        picking.move_lines.write({"group_id": group.id})
        self._backdate([(when, picking)])

    @api.model
    def _install_fsma_receipts(self, when):
        """Two tomato lots and a cilantro lot with the growers' codes, received at ``when``."""
        receipt_type = self.env.ref("stock.picking_type_in")
        start = when - timedelta(days=20)
        tomatoes = [self._demo_lot("product_tomatoes_demo", "TOM-%04d" % n, start,
                                   supplier_lot_code="SFF-2611-%s" % code)
                    for n, code in ((1, "A"), (2, "B"))]
        cilantro = self._demo_lot("product_cilantro_demo", "CIL-0001", start,
                                  supplier_lot_code="GVH-0457")
        # A case the grower sent without its lot code: we assign the TLC (CIL-0002).
        uncoded = self._demo_lot("product_cilantro_demo", "CIL-0002", start)
        self._backdate([
            (when, self._demo_transfer(
                receipt_type, self._ref("partner_sunny_fields_demo"),
                [(lot.product_id, 120.0, lot) for lot in tomatoes], origin="PO-SF-2611")),
            (when + timedelta(hours=1), self._demo_transfer(
                receipt_type, self._ref("partner_green_valley_herbs_demo"),
                [(cilantro.product_id, 10.0, cilantro), (uncoded.product_id, 4.0, uncoded)],
                origin="PO-GV-0457"))])
        return tomatoes, cilantro

    @api.model
    def _install_fsma_count(self, when, tomato):
        """A cycle count finds a spoiled 2 kg case: an inventory adjustment, not an event."""
        inventory = self.env["stock.inventory"].create({
            "name": "Cold room count, tomatoes", "filter": "product",
            "product_id": tomato.product_id.id,
            "location_id": self.env.ref("stock.stock_location_stock").id})
        inventory.action_start()
        line = inventory.line_ids.filtered(lambda row: row.prod_lot_id == tomato)
        line.product_qty = line.theoretical_qty - 2.0
        inventory.action_done()
        inventory.date = fields.Datetime.to_string(when)
        self._backdate_lines(inventory.move_ids.mapped("move_line_ids"), when)
