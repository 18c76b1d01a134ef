# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import io
import operator as py_operator
from datetime import datetime, time, timedelta

import qrcode
from qrcode.exceptions import DataOverflowError
from werkzeug.urls import url_encode

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from odoo.addons import decimal_precision as dp

from ..tools import inputs, labels
from .lot_traceability_input import OfType, check_arguments

OPERATORS = {"<": py_operator.lt, ">": py_operator.gt, "<=": py_operator.le,
             ">=": py_operator.ge, "=": py_operator.eq, "!=": py_operator.ne}
EXPIRY_FIELDS = (("life_date", "life_time"), ("use_date", "use_time"),
                 ("removal_date", "removal_time"), ("alert_date", "alert_time"))
LABEL_DOMAIN_PARAM = "lot_traceability.label_domain"
TREE_NODE_LIMIT = 500  # beyond this the page points to the Made From / Used In lists


class StockProductionLot(models.Model):
    _name = "stock.production.lot"
    # The input checks first: before any create/write of the lot reads the values.
    _inherit = ["lot.traceability.input", "stock.production.lot"]

    trace_html = fields.Html(
        string="Traceability", compute="_compute_trace_html", sanitize=False,
        help="Made from, used in, shipped to, in stock and history of the lot, from one "
             "answer of the genealogy engine; the trees fold in the browser.")

    @api.multi
    def _compute_trace_html(self):
        Trace = self.env["stock.lot.trace"]
        template = self.env.ref("lot_traceability.stock_production_lot_trace_page")
        for lot in self:
            if not isinstance(lot.id, int):
                lot.trace_html = False
                continue
            details = Trace.lot_details(lot.id)
            html = template.render({
                "details": details,
                "up_tree": self._render_trace_tree(details["made_from"]),
                "down_tree": self._render_trace_tree(details["used_in"]),
            })
            lot.trace_html = html.decode() if isinstance(html, bytes) else html

    @api.model
    def _render_trace_tree(self, tree):
        """Nested ``<details>`` of a trace: each lot unfolds once, where it is nearest."""
        lots = {row["id"]: row for row in tree["lots"]}
        children = {}
        for edge in tree["edges"]:
            children.setdefault(edge["from_lot_id"], []).append(edge)
        roots = [row for row in tree["lots"] if row["depth"] == 0]
        state = {"expanded": set(), "count": 0}
        html = "".join(self._render_trace_node(row, None, lots, children, state)
                       for row in roots)
        if state["count"] >= TREE_NODE_LIMIT:
            html += "<p class='text-warning'>%s</p>" % html_escape(_(
                "%(count)s lots: the tree shows the first ones only; open the Made From / "
                "Used In list for all of them.") % {"count": len(tree["lots"])})
        return html

    @api.model
    def _render_trace_node(self, row, edge, lots, children, state):
        expanded = state["expanded"]
        state["count"] += 1
        label = "<b>%s</b> %s" % (html_escape(row["name"]), html_escape(row["product"]))
        if edge and edge["date"]:
            label += " <small>%s</small>" % html_escape(edge["date"])
        for receipt in row.get("receipts", []):
            label += " <small class='text-muted'>%s</small>" % html_escape(
                _("received from %(supplier)s on %(date)s (%(document)s)") % receipt)
        depth = edge["depth"] if edge else 0
        if row["id"] in expanded or depth != row["depth"] or not children.get(row["id"]) \
                or state["count"] >= TREE_NODE_LIMIT:
            note = " <small>%s</small>" % _("(see above)") if row["id"] in expanded else ""
            return "<div class='o_lot_trace_leaf'>%s%s</div>" % (label, note)
        expanded.add(row["id"])
        inner = "".join(self._render_trace_node(lots[e["to_lot_id"]], e, lots, children, state)
                        for e in children[row["id"]] if state["count"] < TREE_NODE_LIMIT)
        return ("<details open='open' class='o_lot_trace_node'><summary>%s</summary>"
                "<div style='margin-left:1.5em'>%s</div></details>" % (label, inner))

    # --- buttons -----------------------------------------------------------------------
    @api.multi
    @check_arguments()
    def action_open_upstream(self):
        """The lots this lot was made from, at every level."""
        return self._get_trace_action("upstream", _("Made from %(lot)s"))

    @api.multi
    @check_arguments()
    def action_open_downstream(self):
        """The lots made from this lot, at every level."""
        return self._get_trace_action("downstream", _("Used in %(lot)s"))

    @api.multi
    def _get_trace_action(self, direction, title):
        self.ensure_one()
        lots = self.env["stock.lot.trace"]._trace_lots(self, direction) - self
        action = self.env.ref("stock.action_production_lot_form").read()[0]
        action.update(name=title % {"lot": self.name}, domain=[("id", "in", lots.ids)],
                      context={"create": False})
        return action
    parent_lot_id = fields.Many2one(
        "stock.production.lot", "Parent Batch", index=True, readonly=True, ondelete="restrict",
        help="The batch this unit was split from (set by Split Into Units; the genealogy links "
             "of its moves are the truth).")
    child_lot_ids = fields.One2many("stock.production.lot", "parent_lot_id", "Units",
                                    readonly=True)

    @api.multi
    def _split_into_units(self, location, unit_product, units, qty):
        """Split this batch into units: one transformation through the shared method.

        :param location: where the batch is (its children count too)
        :param unit_product: the product of the units (the batch's, or a packed product)
        :param units: list of ``(lot vals, quantity in the unit product's unit)``
        :param qty: batch quantity consumed (the batch product's unit)
        :returns: the unit lots, each with ``parent_lot_id`` = this batch
        """
        self.ensure_one()
        result = self.env["stock.move"]._transform_lots(
            [{"product": self.product_id, "lot": self, "qty": qty, "location": location}],
            [{"product": unit_product, "lot_vals": vals, "qty": unit_qty,
              "location_dest": location} for vals, unit_qty in units],
            self.env["ir.sequence"].next_by_code("stock.lot.split") or _("Split"),
            document=self, origin=self.name, parent_lot=self,
            in_use_message=_("Batch %(batch)s is in use by someone else: try again in a "
                             "moment.") % {"batch": self.name})
        return result["produced_lots"]

    @api.multi
    @check_arguments()
    def action_split_into_units(self):
        """Open Split Into Units on this batch."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Split Into Units"),
            "res_model": "stock.lot.split",
            "view_mode": "form",
            # Full page: a shop-floor screen has room for the preview; the stored lots stay
            # reachable through the breadcrumb.
            "target": "current",
            "context": {"active_model": self._name, "active_id": self.id},
        }

    name = fields.Char(lot_code=True)
    supplier_lot_code = fields.Char(
        lot_code=True, index=True,
        help="The lot code printed on the supplier's goods. For goods received and not "
             "transformed it is the FSMA traceability lot code.")
    production_date = fields.Date(help="Date the supplier produced or packed the lot.")
    attribute_value_ids = fields.One2many(
        "stock.lot.attribute.value", "lot_id", string="Attributes")
    inherited_attribute_value_ids = fields.Many2many(
        "stock.lot.attribute.value", compute="_compute_inherited_attribute_value_ids",
        string="SKU Attributes", help="Values inherited from the product.")
    missing_attributes = fields.Boolean(
        compute="_compute_missing_attributes", search="_search_missing_attributes",
        help="A required attribute of the product has no value on this lot.")

    @api.model
    @check_arguments(fields_list=OfType(list, tuple))
    def default_get(self, fields_list):
        res = super(StockProductionLot, self).default_get(fields_list)
        product_id = self.env.context.get("default_product_id")
        if product_id and "name" in fields_list:
            template = self.env["product.product"].browse(product_id).product_tmpl_id
            if template.lot_sequence_id:
                res["name"] = template._next_lot_code()
        return res

    @api.model
    def _prepare_expiry_dates(self, product, production_date=None):
        """Lot dates from the product's days: counted from the production date when known,
        else from now as product_expiry does."""
        if production_date:
            start = datetime.combine(fields.Date.from_string(production_date), time(12, 0))
        else:
            start = datetime.now()
        dates = {}
        for date_field, days_field in EXPIRY_FIELDS:
            days = product[days_field]
            dates[date_field] = fields.Datetime.to_string(
                start + timedelta(days=days)) if days else False
        return dates

    @api.depends("product_id", "attribute_value_ids")
    def _compute_inherited_attribute_value_ids(self):
        for lot in self:
            own = lot.attribute_value_ids.mapped("attribute_id")
            lot.inherited_attribute_value_ids = \
                lot.product_id.product_tmpl_id.sku_attribute_value_ids.filtered(
                    lambda value, own=own: value.attribute_id not in own)

    @api.multi
    def _get_missing_attributes(self):
        """The required lot-specific attributes of the product without a value on this lot."""
        self.ensure_one()
        required = self.product_id.product_tmpl_id.lot_attribute_ids.filtered("required")
        valued = self.attribute_value_ids.filtered("has_value").mapped("attribute_id")
        return required - valued

    @api.depends("product_id", "attribute_value_ids.has_value")
    def _compute_missing_attributes(self):
        for lot in self:
            lot.missing_attributes = bool(lot._get_missing_attributes())

    @api.model
    def _search_missing_attributes(self, operator, value):
        templates = self.env["product.template"].search(
            [("lot_attribute_ids.required", "=", True)])
        lots = self.search([("product_id.product_tmpl_id", "in", templates.ids)])
        missing = lots.filtered("missing_attributes")
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", missing.ids)]

    qty_on_hand = fields.Float(
        "On Hand", compute="_compute_qty_on_hand", search="_search_qty_on_hand",
        digits=dp.get_precision("Product Unit of Measure"),
        help="Quantity in internal locations, from the quants (searchable).")
    received_partner_id = fields.Many2one(
        "res.partner", string="Received From", compute="_compute_received")
    received_date = fields.Datetime(compute="_compute_received")
    received_qty = fields.Float(compute="_compute_received",
                                digits=dp.get_precision("Product Unit of Measure"))
    internal_quant_ids = fields.One2many(
        "stock.quant", "lot_id", string="Stock per Location",
        domain=[("location_id.usage", "=", "internal")], readonly=True)

    @api.model
    def _on_hand_by_lot(self, lot_ids=None):
        domain = [("location_id.usage", "=", "internal"), ("lot_id", "!=", False)]
        if lot_ids is not None:
            domain.append(("lot_id", "in", lot_ids))
        groups = self.env["stock.quant"].read_group(domain, ["lot_id", "quantity"], ["lot_id"])
        return {group["lot_id"][0]: group["quantity"] for group in groups}

    def _compute_qty_on_hand(self):
        quantities = self._on_hand_by_lot(self.ids)
        for lot in self:
            lot.qty_on_hand = quantities.get(lot.id, 0.0)

    @api.model
    def _search_qty_on_hand(self, operator, value):
        if operator not in OPERATORS:
            raise UserError(_("Unsupported search on the quantity on hand: %(op)s.") % {
                "op": operator})
        quantities = self._on_hand_by_lot()
        matching = [lot_id for lot_id, qty in quantities.items()
                    if OPERATORS[operator](qty, value)]
        if OPERATORS[operator](0.0, value):  # lots without any quant match too
            return [("id", "not in", [lot_id for lot_id in quantities
                                      if lot_id not in set(matching)])]
        return [("id", "in", matching)]

    def _compute_received(self):
        lines = self.env["stock.move.line"].search([
            ("lot_id", "in", self.ids), ("state", "=", "done"),
            ("location_id.usage", "=", "supplier")], order="date, id")
        for lot in self:
            received = lines.filtered(lambda line, lot=lot: line.lot_id == lot)
            lot.received_partner_id = received[:1].picking_id.partner_id
            lot.received_date = received[:1].date
            lot.received_qty = sum(received.mapped("qty_done"))

    # Serialized assets: the date the vendor's warranty of this unit ends.
    warranty_date = fields.Date(
        string="Warranty End Date",
        help="Last day this unit is covered by its vendor's warranty.")

    # Serialized assets: where each unit is now, and where it has been.
    asset_location_id = fields.Many2one(
        "stock.location", string="Current Location", compute="_compute_asset_location_id",
        search="_search_asset_location_id",
        help="The internal location holding this serial number now.")
    move_history_ids = fields.One2many(
        "stock.move.line", string="Movement History", compute="_compute_move_history_ids",
        help="Every done move of this lot or serial: where, when, which document.")

    def _asset_quant_domain(self):
        return [("quantity", ">", 0), ("location_id.usage", "=", "internal")]

    def _compute_asset_location_id(self):
        quants = self.env["stock.quant"].search(
            [("lot_id", "in", self.ids)] + self._asset_quant_domain(), order="in_date desc")
        location_by_lot = {}
        for quant in quants:
            location_by_lot.setdefault(quant.lot_id.id, quant.location_id)
        for lot in self:
            lot.asset_location_id = location_by_lot.get(lot.id, False)

    def _search_asset_location_id(self, operator, value):
        domain = self._asset_quant_domain()
        if not value and operator in ("=", "!="):
            lots = self.env["stock.quant"].search(domain).mapped("lot_id")
            return [("id", "in" if operator == "!=" else "not in", lots.ids)]
        lots = self.env["stock.quant"].search(
            domain + [("location_id", operator, value)]).mapped("lot_id")
        return [("id", "in", lots.ids)]

    def _compute_move_history_ids(self):
        for lot in self:
            lot.move_history_ids = self.env["stock.move.line"].search(
                [("lot_id", "=", lot.id), ("state", "=", "done")], order="date, id")

    # --- label payload ----------------------------------------------------------------
    @api.model
    def _get_label_domain(self):
        """Where label URLs point: the setting, else the server's base URL."""
        params = self.env["ir.config_parameter"].sudo()
        return (params.get_param(LABEL_DOMAIN_PARAM) or params.get_param("web.base.url")
                or "http://localhost:8069").strip()

    @api.multi
    def _get_label_expiry(self):
        """The date printed as expiry (GS1 AI 17): product_expiry's end of life date."""
        self.ensure_one()
        return fields.Datetime.from_string(self.life_date).date() if self.life_date else None

    @api.multi
    def _get_label_product_ref(self):
        self.ensure_one()
        return self.product_id.default_code or str(self.product_id.id)

    @api.multi
    def _prepare_label_payload_vals(self, domain):
        self.ensure_one()
        expiry = self._get_label_expiry()
        payload = labels.build_payload(
            domain, self.name, self._get_label_product_ref(), gtin=self.product_id.barcode,
            serial=self.product_id.tracking == "serial", expiry=expiry)
        payload.update({
            "lot_id": self.id,
            "lot_name": self.name,
            "product_id": self.product_id.id,
            "product_name": self.product_id.display_name,
            "tracking": self.product_id.tracking,
            "expiry_date": fields.Date.to_string(expiry) if expiry else False,
        })
        return payload

    @api.multi
    @check_arguments()
    def get_label_payload(self):
        """Label content of each lot, as plain data (JSON-RPC safe), in the lots' order.

        ``uri`` is what the QR code holds: a GS1 Digital Link
        ``<domain>/01/<gtin>/10|21/<code>?17=<yymmdd>`` when the product barcode is a valid
        GTIN and the code fits GS1 (at most 20 characters of GS1's set 82), else the server URL
        ``<domain>/lot/<product reference or id>/<code>``. ``text`` is the human-readable line.
        """
        domain = self._get_label_domain()
        return [lot._prepare_label_payload_vals(domain) for lot in self]

    @api.multi
    def _get_label_qr_data_uri(self, payload=None):
        """The QR code of the label as a PNG data URI (wkhtmltopdf then fetches nothing)."""
        self.ensure_one()
        payload = payload or self.get_label_payload()[0]
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M,
                             box_size=8, border=4)
        code.add_data(payload["uri"], optimize=0)
        try:
            code.make(fit=True)
        except (DataOverflowError, ValueError):
            # qrcode 7.4 answers ValueError("Invalid version") past version 40.
            raise UserError(_("The label of %(lot)s cannot be printed: its QR code would hold "
                              "%(length)s characters, more than a QR code holds.") % {
                "lot": inputs.show(self.name), "length": len(payload["uri"])})
        stream = io.BytesIO()
        code.make_image().save(stream, format="PNG")
        return "data:image/png;base64," + base64.b64encode(stream.getvalue()).decode("ascii")

    # --- the lot's page -----------------------------------------------------------------
    @api.multi
    def _get_page_action(self):
        """THE target of a scan or a label: the lot's page (override to point elsewhere)."""
        self.ensure_one()
        action = self.env.ref("stock.action_production_lot_form").read()[0]
        action.update({
            "res_id": self.id,
            "view_mode": "form",
            "views": [(self.env.ref("stock.view_production_lot_form").id, "form")],
            "context": {},
        })
        return action

    @api.multi
    def _get_page_url(self):
        """The backend URL of :meth:`_get_page_action` (for redirects from the resolver)."""
        action = self._get_page_action()
        params = {"action": action.get("id") or action.get("tag")}
        if action.get("res_model"):
            params.update(model=action["res_model"], id=action.get("res_id") or self.id,
                          view_type="form")
        else:
            params["active_id"] = self.id
        return "/web#" + url_encode(params)

    @api.multi
    @check_arguments()
    def action_open_page(self):
        self.ensure_one()
        return self._get_page_action()
