# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The lot: its fields first, then their computes, the rules (the split; the expiry dates
are in ``stock_production_lot_dates``), the buttons, the label payload and the lot's page.

Presentation lives elsewhere: the traceability page is the QWeb template
``stock_production_lot_trace_page`` over ``stock.lot.page``'s data, the QR image is drawn by
the label report.
"""
import operator as py_operator

from werkzeug.urls import url_encode

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons import decimal_precision as dp

from ..tools import inputs, labels
from .lot_traceability_input import OfType, check_arguments

#: The search-only field that lists the lots of a trace, per direction.
TRACE_SEARCH_FIELDS = {"downstream": "traced_from_lot_id", "upstream": "traced_into_lot_id"}
OPERATORS = {"<": py_operator.lt, ">": py_operator.gt, "<=": py_operator.le,
             ">=": py_operator.ge, "=": py_operator.eq, "!=": py_operator.ne}
LABEL_DOMAIN_PARAM = "lot_traceability.label_domain"


class StockProductionLot(models.Model):
    _name = "stock.production.lot"
    # The input checks first: before any create/write of the lot reads the values.
    _inherit = ["lot.traceability.input", "stock.production.lot"]

    # --- fields --------------------------------------------------------------------------
    name = fields.Char(lot_code=True)
    supplier_lot_code = fields.Char(
        lot_code=True, index=True,
        help="The lot code printed on the supplier's goods. For goods received and not "
             "transformed it is the FSMA traceability lot code.")
    production_date = fields.Date(help="Date the supplier produced or packed the lot.")
    warranty_date = fields.Date(
        string="Warranty End Date",
        help="Last day this unit is covered by its vendor's warranty.")
    parent_lot_id = fields.Many2one(
        "stock.production.lot", "Parent Batch", index=True, readonly=True, ondelete="restrict",
        copy=False,
        help="The batch this unit was split from (set by Split Into Units; the genealogy links "
             "of its moves are the truth).")
    child_lot_ids = fields.One2many("stock.production.lot", "parent_lot_id", "Units",
                                    readonly=True)
    attribute_value_ids = fields.One2many(
        "stock.lot.attribute.value", "lot_id", string="Attributes")
    inherited_attribute_value_ids = fields.Many2many(
        "stock.lot.attribute.value", compute="_compute_inherited_attribute_value_ids",
        string="SKU Attributes", help="Values inherited from the product.")
    missing_attributes = fields.Boolean(
        compute="_compute_missing_attributes", search="_search_missing_attributes",
        help="A required attribute of the product has no value on this lot.")
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
    # Serialized assets: where each unit is now, and where it has been.
    asset_location_id = fields.Many2one(
        "stock.location", string="Current Location", compute="_compute_asset_location_id",
        search="_search_asset_location_id",
        help="The internal location holding this serial number now.")
    move_history_ids = fields.One2many(
        "stock.move.line", string="Movement History", compute="_compute_move_history_ids",
        help="Every done move of this lot or serial: where, when, which document.")
    can_split = fields.Boolean(
        compute="_compute_can_split",
        help="Split Into Units applies: a lot (not a serial number) with stock on hand.")
    traced_from_lot_id = fields.Many2one(
        "stock.production.lot", "Made from lot (any level)", compute="_compute_traced_from",
        search="_search_traced_from",
        help="Search only: the lots made from this lot, at every level (Used In).")
    traced_into_lot_id = fields.Many2one(
        "stock.production.lot", "Used in lot (any level)", compute="_compute_traced_from",
        search="_search_traced_into",
        help="Search only: the lots this lot was made from, at every level (Made From).")
    # A partner's lot known from an imported EPCIS document: genealogy only, no stock here.
    epcis_external = fields.Boolean(
        "External Lot", readonly=True, index=True, copy=False,
        help="A partner's lot known from an imported EPCIS document (its genealogy only).")
    epcis_partner_id = fields.Many2one("res.partner", "External Company", readonly=True,
                                       copy=False)
    epcis_event_id = fields.Many2one("stock.lot.epcis.event", "Known From Event",
                                     readonly=True, ondelete="set null", copy=False)
    trace_html = fields.Html(
        string="Traceability", compute="_compute_trace_html", sanitize=False,
        groups="lot_traceability.lot_traceability_group_user",
        help="What the lot was made from, what was made from it, where all of it went, "
             "what is still in stock, and the lot's own history.")

    # --- computes ------------------------------------------------------------------------
    @api.depends("product_id", "attribute_value_ids")
    def _compute_inherited_attribute_value_ids(self):
        for lot in self:
            own = lot.attribute_value_ids.mapped("attribute_id")
            lot.inherited_attribute_value_ids = \
                lot.product_id.product_tmpl_id.sku_attribute_value_ids.filtered(
                    lambda value, own=own: value.attribute_id not in own)

    @api.depends("product_id", "attribute_value_ids.has_value")
    def _compute_missing_attributes(self):
        for lot in self:
            lot.missing_attributes = bool(lot._get_missing_attributes())

    @api.model
    def _search_missing_attributes(self, operator, value):
        positive = self._clean_boolean_search("missing_attributes", operator, value)
        templates = self.env["product.template"].search(
            [("lot_attribute_ids.required", "=", True)])
        lots = self.search([("product_id.product_tmpl_id", "in", templates.ids)])
        missing = lots.filtered("missing_attributes")
        return [("id", "in" if positive else "not in", missing.ids)]

    def _compute_qty_on_hand(self):
        quantities = self._on_hand_by_lot(self.ids)
        for lot in self:
            lot.qty_on_hand = quantities.get(lot.id, 0.0)

    @api.model
    def _search_qty_on_hand(self, operator, value):
        value = self._clean_number_search("qty_on_hand", operator, value, OPERATORS)
        quantities = self._on_hand_by_lot()
        matching = [lot_id for lot_id, qty in quantities.items()
                    if OPERATORS[operator](qty, value)]
        if OPERATORS[operator](0.0, value):  # lots without any quant match too
            return [("id", "not in", [lot_id for lot_id in quantities
                                      if lot_id not in set(matching)])]
        return [("id", "in", matching)]

    def _compute_received(self):
        lots = self.filtered(lambda lot: isinstance(lot.id, int))
        # The Received tab shows to every stock user (lots have no company).
        ledger = self.env["stock.lot.ledger"].sudo()
        origins = {row["lot_id"]: row for row in ledger.origins(lots.ids)} if lots else {}
        for lot in self:
            origin = origins.get(lot.id) or {}
            lot.received_partner_id = origin.get("partner_id") or False
            lot.received_date = origin.get("received_date") or False
            lot.received_qty = origin.get("received_qty") or 0.0

    def _compute_asset_location_id(self):
        quants = self.env["stock.quant"].search(
            [("lot_id", "in", self.ids)] + self._asset_quant_domain(), order="in_date desc")
        location_by_lot = {}
        for quant in quants:
            location_by_lot.setdefault(quant.lot_id.id, quant.location_id)
        for lot in self:
            lot.asset_location_id = location_by_lot.get(lot.id, False)

    def _search_asset_location_id(self, operator, value):
        operator, value = self._clean_many2one_search("asset_location_id", operator, value)
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

    def _compute_can_split(self):
        for lot in self:
            lot.can_split = not lot._get_split_problem()

    @api.multi
    def _compute_trace_html(self):
        template = self.env.ref("lot_traceability.stock_production_lot_trace_page")
        page = self.env["stock.lot.page"]
        fmt = page._get_format()
        for lot in self:
            if not isinstance(lot.id, int):
                lot.trace_html = False
                continue
            html = template.render({"details": page.get_details(lot.id), "fmt": fmt})
            lot.trace_html = html.decode() if isinstance(html, bytes) else html

    # --- helpers of the computes ---------------------------------------------------------
    @api.multi
    def _get_missing_attributes(self):
        """The required lot-specific attributes of the product without a value on this lot."""
        self.ensure_one()
        required = self.product_id.product_tmpl_id.lot_attribute_ids.filtered("required")
        valued = self.attribute_value_ids.filtered("has_value").mapped("attribute_id")
        return required - valued

    @api.model
    def _on_hand_by_lot(self, lot_ids=None):
        domain = [("location_id.usage", "=", "internal"), ("lot_id", "!=", False)]
        if lot_ids is not None:
            domain.append(("lot_id", "in", lot_ids))
        # read_group would name every lot of its groups: sum the quants the user may read
        # (their rules applied) in one statement instead.
        Quant = self.env["stock.quant"]
        Quant.check_access_rights("read")
        query = Quant._where_calc(domain)
        Quant._apply_ir_rules(query, "read")
        from_clause, where_clause, params = query.get_sql()
        self.env.cr.execute(
            'SELECT "stock_quant".lot_id, sum("stock_quant".quantity) FROM %s WHERE %s '
            'GROUP BY "stock_quant".lot_id' % (from_clause, where_clause), params)
        return dict(self.env.cr.fetchall())

    def _asset_quant_domain(self):
        return [("quantity", ">", 0), ("location_id.usage", "=", "internal")]

    # --- rules ---------------------------------------------------------------------------
    @api.model
    @check_arguments(access=None, fields_list=OfType(list, tuple))
    def default_get(self, fields_list):
        res = super(StockProductionLot, self).default_get(fields_list)
        product_id = self.env.context.get("default_product_id")
        if product_id and "name" in fields_list:
            template = self.env["product.product"].browse(product_id).product_tmpl_id
            if template.lot_sequence_id:
                res["name"] = template._next_lot_code()
        return res

    @api.multi
    def _get_split_problem(self):
        """Why Split Into Units does not apply to this lot (False when it does)."""
        self.ensure_one()
        if self.product_id.tracking != "lot":
            return _("%(lot)s is a serial number: it is one unit already.") % {
                "lot": self.name}
        if self.qty_on_hand <= 0:
            return _("Lot %(lot)s has no stock on hand to split.") % {"lot": self.name}
        return False

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

    # --- buttons -------------------------------------------------------------------------
    @api.multi
    @check_arguments()
    def action_open_upstream(self):
        """The lots this lot was made from, at every level."""
        self._check_traceability_access()
        return self._get_trace_action("upstream", _("Made from %(lot)s"))

    @api.multi
    @check_arguments()
    def action_open_downstream(self):
        """The lots made from this lot, at every level."""
        self._check_traceability_access()
        return self._get_trace_action("downstream", _("Used in %(lot)s"))

    @api.multi
    def _get_trace_action(self, direction, title):
        """The list of the lots of a trace. Its domain names this lot, not the lots: the
        action stays a few bytes for 200,000 descendants, the engine answers each search."""
        self.ensure_one()
        field = TRACE_SEARCH_FIELDS[direction]
        return self._get_window_action(
            "stock.action_production_lot_form", name=title % {"lot": self.name},
            domain=[(field, "=", self.id)], context={"create": False})

    def _compute_traced_from(self):
        for lot in self:
            lot.traced_from_lot_id = lot.traced_into_lot_id = False

    def _search_traced_from(self, operator, value):
        return self._search_trace("downstream", operator, value)

    def _search_traced_into(self, operator, value):
        return self._search_trace("upstream", operator, value)

    @api.model
    def _search_trace(self, direction, operator, value):
        """``[("id", "in", lots)]``: the lots reached from lot ``value`` going ``direction``,
        the lot itself left out."""
        lot_ids = self._get_searched_trace(TRACE_SEARCH_FIELDS[direction], direction,
                                           operator, value)
        return [("id", "in", [lot_id for lot_id in lot_ids if lot_id != value])]

    @api.model
    def _get_searched_trace(self, field, direction, operator, value, model=None):
        """The ids of lot ``value`` and of the lots reached from it going ``direction``, for
        the search-only ``field`` of ``model`` (default lots), searched with = and a lot id,
        else a UserError naming it."""
        model = self.env[model or self._name]
        lot_id = model._clean_many2one_search(field, operator, value, ("=",))[1]
        if lot_id is False or isinstance(lot_id, str):  # unset, a name: it takes a lot
            raise UserError(_("%(field)s is searched with = and a lot id, not %(operator)s "
                              "%(value)s.") % {"field": model._fields[field].string,
                                               "operator": inputs.show(operator),
                                               "value": inputs.show(value)})
        # the walk's lots alone: a search needs neither their order nor their edges
        return list(self.env["stock.lot.trace"]._get_depths([lot_id], direction))

    @api.multi
    @check_arguments()
    def action_open_deliveries(self):
        """Every delivery of this lot and of the lots made from it, one line each. The
        domain names this lot, not the lots (as :meth:`_get_trace_action`): the engine answers
        each search, and the action stays a few bytes where a lot's 200,000 descendants made
        it 1.6 MB, sent back with every page of the list."""
        self.ensure_one()
        self._check_traceability_access()
        return {
            "type": "ir.actions.act_window",
            "name": _("Deliveries of %(lot)s and what was made from it") % {"lot": self.name},
            "res_model": "stock.move.line",
            "view_mode": "tree,form",
            "views": [(self.env.ref("lot_traceability.stock_move_line_delivery_view_tree").id,
                       "tree"), (False, "form")],
            "domain": [("traced_lot_id", "=", self.id), ("state", "=", "done"),
                       ("location_dest_id.usage", "=", "customer")],
            "context": {"create": False, "search_default_groupby_location_dest_id": 0},
        }

    @api.multi
    @check_arguments()
    def action_split_into_units(self):
        """Open Split Into Units on this batch."""
        self.ensure_one()
        self._check_traceability_access()
        problem = self._get_split_problem()
        if problem:
            raise UserError(problem)
        return {
            "type": "ir.actions.act_window",
            "name": _("Split Into Units"),
            "res_model": "stock.lot.split",
            "view_mode": "form",
            # Full page: a shop-floor screen has room for the preview; the stored lots stay
            # reachable through the breadcrumb.
            "target": "current",
            # A full-page wizard: its Split button, no Save/Discard beside it.
            "flags": {"default_buttons": False},
            "context": {"active_model": self._name, "active_id": self.id},
        }

    @api.multi
    @check_arguments()
    def action_start_recall(self):
        """Create a draft recall on this lot and open it."""
        self.ensure_one()
        self._check_traceability_access()
        recall = self.env["stock.lot.recall"].create({
            "lot_ids": [(6, 0, self.ids)],
            "reason": _("Started from lot %(lot)s (%(product)s).") % {
                "lot": self.name, "product": self.product_id.display_name},
        })
        return {
            "type": "ir.actions.act_window",
            "name": recall.name,
            "res_model": recall._name,
            "res_id": recall.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    # --- label payload -------------------------------------------------------------------
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
    def _label_payload(self, domain):
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
        ``fsma_tlc`` is the FSMA 204 traceability lot code of a food on the Food Traceability
        List where it differs from our lot code (the supplier's), else False.
        """
        domain = self._get_label_domain()
        # Each field a label needs is read once for all the lots, not every field of the lot.
        payloads = [lot._label_payload(domain)
                    for lot in self.with_context(prefetch_fields=False)]
        tlcs = self._get_fsma_tlcs()
        for payload in payloads:
            tlc = tlcs.get(payload["lot_id"])
            payload["fsma_tlc"] = tlc["tlc"] if tlc and tlc["tlc"] != payload["lot_name"] \
                else False
        return payloads

    @api.multi
    def _get_fsma_tlcs(self):
        """Per lot id of a food on the Food Traceability List, its TLC and TLC source
        (``stock.lot.fsma.get_tlcs``, the export's rule): what labels and delivery slips
        print, so that what we send is what we keep (21 CFR 1.1340(b))."""
        foods = self.filtered(lambda lot: lot.product_id.fsma_food_traceability)
        if not foods:
            return {}
        return {row["lot_id"]: row for row in self.env["stock.lot.fsma"].get_tlcs(foods.ids)}

    # --- the lot's page ------------------------------------------------------------------
    @api.multi
    def _get_page_action(self):
        """THE target of a scan or a label: the lot's page (override to point elsewhere)."""
        self.ensure_one()
        return self._get_window_action(
            "stock.action_production_lot_form", res_id=self.id, view_mode="form",
            views=[(self.env.ref("stock.view_production_lot_form").id, "form")], context={})

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
