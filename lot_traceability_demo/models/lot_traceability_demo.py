# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stock operations of the demo supply chain.

The demo's master data (partners, products, locations) is XML; its stock operations are
built here through ordinary transfers, then back-dated so that the chain reads like
history: installing writes everything in one transaction, and Odoo's own traceability
report only links moves whose dates are strictly increasing.
"""
from datetime import timedelta

from odoo import api, fields, models

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
        Tz = self.env["stock.lot.tz"]
        tz = Tz._get_event_tz(self.env.ref("stock.warehouse0"))
        day = fields.Date.from_string(Tz._today(tz)) - timedelta(days=DEMO_DAYS_AGO)
        return fields.Datetime.from_string(Tz._day_start_utc(day, tz)) + timedelta(hours=8)

    @api.model
    def _demo_lot(self, product_xmlid, name, received, **vals):
        product = self._ref(product_xmlid)
        vals.update(name=name, product_id=product.id)
        for date_field, days_field in (("life_date", "life_time"), ("use_date", "use_time"),
                                       ("removal_date", "removal_time"),
                                       ("alert_date", "alert_time")):
            days = product[days_field]
            if days and date_field not in vals:
                vals[date_field] = fields.Datetime.to_string(received + timedelta(days=days))
        return self.env["stock.production.lot"].create(vals)

    @api.model
    def _install_demo_stock(self):
        """Receipts of ingredients, packaging and tools, then a first delivery."""
        Picking = self.env["stock.picking"]
        receipt_type = self.env.ref("stock.picking_type_in")
        delivery_type = self.env.ref("stock.picking_type_out")
        start = self._demo_start()
        steps = []

        def day(n):
            return start + timedelta(days=n)

        apples = self._ref("product_apples_demo")
        lots = [self._demo_lot("product_apples_demo", "APL-0001", day(0)),
                self._demo_lot("product_apples_demo", "APL-0002", day(0))]
        steps.append((day(0), Picking._create_done_transfer(
            receipt_type, self._ref("partner_valley_orchards_demo"),
            [(apples, 400.0, lots[0]), (apples, 350.0, lots[1])], origin="PO-VO-1187")))

        sugar = self._ref("product_sugar_demo")
        sugar_lot = self._demo_lot("product_sugar_demo", "SUG-0001", day(1))
        steps.append((day(1), Picking._create_done_transfer(
            receipt_type, self._ref("partner_sunrise_sugar_demo"),
            [(sugar, 500.0, sugar_lot)], origin="PO-SS-0452")))

        empty = self.env["stock.production.lot"]
        steps.append((day(2), Picking._create_done_transfer(
            receipt_type, self._ref("partner_glassworks_demo"),
            [(self._ref("product_jar_demo"), 2000.0, empty),
             (self._ref("product_lid_demo"), 2000.0, empty)], origin="PO-GW-0077")))

        steps += self._install_demo_assets(receipt_type, day(3))

        steps.append((day(5), Picking._create_done_transfer(
            delivery_type, self._ref("partner_green_grocer_demo"),
            [(apples, 50.0, lots[0])], origin="SO-GG-0311")))
        self._backdate(steps)
        return True

    @api.model
    def _install_demo_assets(self, receipt_type, when):
        """Compressors in the tool crib, drills split between the main stock and the crib."""
        Picking = self.env["stock.picking"]
        vendor = self._ref("partner_toolpro_demo")
        crib = self._ref("location_tool_crib_demo")
        compressor = self._ref("product_compressor_demo")
        drill = self._ref("product_drill_demo")
        compressors = [
            (compressor, 1.0, self._demo_lot("product_compressor_demo", "AC200-%04d" % n, when))
            for n in range(1, 4)]
        drills = [(drill, 1.0, self._demo_lot("product_drill_demo", "D18-%04d" % n, when))
                  for n in range(1001, 1005)]
        first = Picking._create_done_transfer(
            receipt_type, vendor, compressors + drills[:2], location_dest=crib, origin="PO-TP-0915")
        second = Picking._create_done_transfer(
            receipt_type, vendor, drills[2:], origin="PO-TP-0916")
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
        receipt = self.env["stock.picking"]._create_done_transfer(
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
        jars = self._demo_split(jam.lot_id, 40)
        self._backdate_transformation(start + timedelta(days=12), self._split_reference(jars))
        self._demo_ship_jars(jars, start + timedelta(days=14))
        return True

    @api.model
    def _demo_build(self, composition_xmlid, qty, lot_name, scans):
        composition = self._ref(composition_xmlid)
        build = self.env["stock.assembly"].create({
            "composition_id": composition.id, "product_id": composition.product_id.id,
            "product_qty": qty, "lot_name": lot_name})
        for code in scans:
            build.action_scan(code)
        build.action_done()
        return build

    @api.model
    def _demo_split(self, batch, count):
        wizard = self.env["stock.lot.split"].with_context(
            active_model="stock.production.lot", active_id=batch.id).create({
                "split_qty": count * 0.5, "unit_count": count,
                "unit_product_id": self._ref("product_apple_jam_jar_demo").id})
        return self.env["stock.production.lot"].search(wizard.action_apply()["domain"],
                                                       order="name")

    @api.model
    def _demo_ship_jars(self, jars, when):
        Picking = self.env["stock.picking"]
        delivery_type = self.env.ref("stock.picking_type_out")
        first = Picking._create_done_transfer(
            delivery_type, self._ref("partner_green_grocer_demo"),
            [(lot.product_id, 1.0, lot) for lot in jars[:12]], origin="SO-GG-0342")
        second = Picking._create_done_transfer(
            delivery_type, self._ref("partner_corner_deli_demo"),
            [(lot.product_id, 1.0, lot) for lot in jars[12:18]], origin="SO-CD-0107")
        self._backdate([(when, first), (when + timedelta(hours=3), second)])

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

    @api.model
    def _install_receive_demo(self):
        """Two receipts of ingredient lots with attributes, made through Receive Lots."""
        start = self._demo_start()
        Wizard = self.env["stock.lot.receive"]
        brix, certificate = self._ref("lot_attribute_brix_demo"), \
            self._ref("lot_attribute_certificate_demo")
        apples, sugar = self._ref("product_apples_demo"), self._ref("product_sugar_demo")

        def row(product, name, qty, supplier_code, produced, values):
            return (0, 0, {
                "product_id": product.id, "lot_name": name, "quantity": qty,
                "supplier_lot_code": supplier_code,
                "production_date": fields.Date.to_string(start + timedelta(days=produced)),
                "value_ids": [(0, 0, {"attribute_id": attribute.id, "value": value})
                              for attribute, value in values]})

        # From the product: the wizard makes the receipt from the chosen vendor.
        first = Wizard.with_context(active_model="product.product", active_id=apples.id).create({
            "partner_id": self._ref("partner_valley_orchards_demo").id,
            "validate_now": True,
            "line_ids": [row(apples, "APL-0003", 300.0, "VO-26-118", 6,
                             [(brix, "13.4"), (certificate, "GGN-4049929000011")]),
                         row(apples, "APL-0004", 250.0, "VO-26-119", 6,
                             [(brix, "12.1"), (certificate, "GGN-4049929000011")])]})
        first = self.env["stock.picking"].browse(first.action_apply()["res_id"])
        # On an incoming transfer: 700 kg expected, 600 kg arrive, the rest is backordered.
        second = self.env["stock.picking"].create(self.env["stock.picking"]._prepare_transfer_vals(
            self.env.ref("stock.picking_type_in"), self._ref("partner_sunrise_sugar_demo"),
            origin="PO-SS-0467"))
        self.env["stock.move"].create({
            "name": sugar.display_name, "picking_id": second.id, "product_id": sugar.id,
            "product_uom": sugar.uom_id.id, "product_uom_qty": 700.0,
            "picking_type_id": second.picking_type_id.id,
            "location_id": second.location_id.id, "location_dest_id": second.location_dest_id.id})
        second.action_confirm()
        Wizard.with_context(active_model="stock.picking", active_id=second.id).create({
            "validate_now": True,
            "line_ids": [row(sugar, "SUG-0002", 400.0, "SS-B7731", 5,
                             [(certificate, "BONSUCRO-CoC-0193")]),
                         row(sugar, "SUG-0003", 200.0, "SS-B7735", 6,
                             [(certificate, "BONSUCRO-CoC-0193")])]}).action_apply()
        self._backdate([(start + timedelta(days=7), first),
                        (start + timedelta(days=8), second)])
        self.env["stock.warehouse.orderpoint"].search([])._check_low_stock()

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

    # --- genealogy -------------------------------------------------------------
    @api.model
    def _demo_transform(self, consumed, produced, when):
        """Consume and produce lots as Odoo/mrp writes it, back-dated to ``when``.

        ``consumed``/``produced`` are lists of ``(lot, quantity)``; the produced lines'
        ``consume_line_ids`` are the consumed lines.
        """
        stock = self.env.ref("stock.warehouse0").lot_stock_id
        production = self.env.ref("stock.location_production")
        lines = []
        for items, source, dest in ((consumed, stock, production), (produced, production, stock)):
            moves = self.env["stock.move"]
            for lot, quantity in items:
                product = lot.product_id
                move = moves.create({
                    "name": product.display_name, "product_id": product.id,
                    "product_uom": product.uom_id.id, "product_uom_qty": quantity,
                    "location_id": source.id, "location_dest_id": dest.id})
                move._action_confirm()
                move.move_line_ids.unlink()
                self.env["stock.move.line"].create({
                    "move_id": move.id, "product_id": product.id, "lot_id": lot.id,
                    "product_uom_id": product.uom_id.id, "qty_done": quantity,
                    "location_id": source.id, "location_dest_id": dest.id})
                moves |= move
            moves._action_done()
            lines.append(moves.mapped("move_line_ids"))
        for line in lines[1]:
            line.consume_line_ids = [(6, 0, lines[0].ids)]
        for offset, line in enumerate((lines[0] | lines[1]).sorted("id")):
            stamp = fields.Datetime.to_string(when + timedelta(seconds=offset))
            line.write({"date": stamp})
            line.move_id.write({"date": stamp, "date_expected": stamp})
        return lines

    @api.model
    def _install_genealogy_demo(self):
        """Apples and sugar of their own received, made into compote, shipped; a draft recall.

        Its own lots (APL-0005, SUG-0004), so the foundation's demo stock stays as it is.
        """
        start = self._demo_start()
        Picking = self.env["stock.picking"]
        receipt_type = self.env.ref("stock.picking_type_in")
        apples = [self._demo_lot("product_apples_demo", "APL-0005", start + timedelta(days=6))]
        sugar = self._demo_lot("product_sugar_demo", "SUG-0004", start + timedelta(days=6))
        steps = [(start + timedelta(days=6), Picking._create_done_transfer(
            receipt_type, self._ref("partner_valley_orchards_demo"),
            [(apples[0].product_id, 300.0, apples[0])], origin="PO-VO-1201")),
            (start + timedelta(days=6, hours=2), Picking._create_done_transfer(
                receipt_type, self._ref("partner_sunrise_sugar_demo"),
                [(sugar.product_id, 100.0, sugar)], origin="PO-SS-0470"))]
        self._backdate(steps)
        compote = [self._demo_lot("product_compote_demo", name, start + timedelta(days=7))
                   for name in ("CMP-0001", "CMP-0002")]
        self._demo_transform([(apples[0], 120.0), (sugar, 20.0)], [(compote[0], 280.0)],
                             start + timedelta(days=7))
        self._demo_transform([(apples[0], 100.0), (sugar, 20.0)], [(compote[1], 240.0)],
                             start + timedelta(days=9))
        self._install_genealogy_deliveries(start, compote[0])
        self._install_recall_drill(apples[0])
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
    def _install_genealogy_deliveries(self, start, lot):
        Picking = self.env["stock.picking"]
        delivery_type = self.env.ref("stock.picking_type_out")
        steps = [(start + timedelta(days=10 + n), Picking._create_done_transfer(
            delivery_type, self._ref(partner), [(lot.product_id, qty, lot)], origin=origin))
            for n, (partner, qty, origin) in enumerate((
                ("partner_corner_deli_demo", 100.0, "SO-CD-0102"),
                ("partner_green_grocer_demo", 60.0, "SO-GG-0340")))]
        self._backdate(steps)

    # --- FSMA 204 (demo/fsma_demo.xml) ---------------------------------------------------
    @api.model
    def _install_fsma_demo(self):
        """Tomatoes and cilantro received with the growers' lot codes, a salsa batch built
        and split into tubs, tubs and whole tomatoes shipped, a spoiled case counted out."""
        Picking = self.env["stock.picking"]
        receipt_type = self.env.ref("stock.picking_type_in")
        start = self._demo_start()
        tomatoes = [self._demo_lot("product_tomatoes_demo", "TOM-%04d" % n, start,
                                   supplier_lot_code="SFF-2611-%s" % code)
                    for n, code in ((1, "A"), (2, "B"))]
        cilantro = self._demo_lot("product_cilantro_demo", "CIL-0001", start,
                                  supplier_lot_code="GVH-0457")
        self._backdate([
            (start + timedelta(days=20), Picking._create_done_transfer(
                receipt_type, self._ref("partner_sunny_fields_demo"),
                [(lot.product_id, 120.0, lot) for lot in tomatoes], origin="PO-SF-2611")),
            (start + timedelta(days=20, hours=1), Picking._create_done_transfer(
                receipt_type, self._ref("partner_green_valley_herbs_demo"),
                [(cilantro.product_id, 10.0, cilantro)], origin="PO-GV-0457"))])
        salsa = self._demo_build("composition_salsa_demo", 40.0, "SAL-0001",
                                 [tomatoes[0].name, cilantro.name])
        self._backdate_transformation(start + timedelta(days=21), salsa.name)
        wizard = self.env["stock.lot.split"].with_context(
            active_model="stock.production.lot", active_id=salsa.lot_id.id).create({
                "split_qty": 20.0, "unit_count": 50,
                "unit_product_id": self._ref("product_salsa_tub_demo").id})
        tubs = self.env["stock.production.lot"].search(wizard.action_apply()["domain"],
                                                       order="name")
        self._backdate_transformation(start + timedelta(days=21, hours=2),
                                      self._split_reference(tubs))
        self._install_fsma_shipments(start + timedelta(days=22), tubs, tomatoes[1])
        self._install_fsma_count(start + timedelta(days=23), tomatoes[0])
        return True

    @api.model
    def _install_fsma_shipments(self, when, tubs, tomato):
        Picking = self.env["stock.picking"]
        delivery_type = self.env.ref("stock.picking_type_out")
        self._backdate([
            (when, Picking._create_done_transfer(
                delivery_type, self._ref("partner_green_grocer_demo"),
                [(lot.product_id, 1.0, lot) for lot in tubs[:30]], origin="SO-GG-0388")),
            (when + timedelta(hours=2), Picking._create_done_transfer(
                delivery_type, self._ref("partner_corner_deli_demo"),
                [(lot.product_id, 1.0, lot) for lot in tubs[30:42]]
                + [(tomato.product_id, 50.0, tomato)], origin="SO-CD-0131"))])

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
