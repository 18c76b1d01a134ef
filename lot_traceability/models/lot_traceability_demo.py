# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Stock operations of the demo supply chain.

The demo's master data (partners, products, locations) is XML; its stock operations are
built here through ordinary transfers, then back-dated so that the chain reads like
history: installing writes everything in one transaction, and Odoo's own traceability
report only links moves whose dates are strictly increasing.
"""
from datetime import datetime, timedelta

from odoo import api, fields, models

DEMO_DAYS_AGO = 40


class LotTraceabilityDemo(models.AbstractModel):
    _name = "lot.traceability.demo"
    _description = "Lot traceability demo data builder"

    def _ref(self, xmlid):
        return self.env.ref("lot_traceability." + xmlid)

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
        start = datetime.now() - timedelta(days=DEMO_DAYS_AGO)
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
            for offset, line in enumerate(picking.move_line_ids.sorted("id")):
                line_date = fields.Datetime.to_string(when + timedelta(seconds=offset))
                line.move_id.write({"date": line_date, "date_expected": line_date})
                line.write({"date": line_date})
                quants = self.env["stock.quant"].sudo().search([
                    ("product_id", "=", line.product_id.id),
                    ("lot_id", "=", line.lot_id.id),
                    ("location_id", "=", line.location_dest_id.id),
                ])
                quants.write({"in_date": line_date})

    @api.model
    def _install_demo_serials(self):
        """More drills into the tool crib and compressors into stock, through Bulk Serial Entry."""
        when = datetime.now() - timedelta(days=DEMO_DAYS_AGO - 6)
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
