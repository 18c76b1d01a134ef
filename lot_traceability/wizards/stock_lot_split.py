# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Split Into Units: a produced batch becomes individually tracked units.

The wizard collects and validates; the batch's ``_split_into_units`` writes one
transformation through the shared method (``stock.move._transform_lots``).
"""
import math

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round, html_escape

from odoo.addons import decimal_precision as dp

from ..models.lot_traceability_input import OfType, check_arguments

PREVIEW_LIMIT = 20
#: The most units one split makes (a larger batch is split in several steps), and the most
#: digits of a unit's number: bounds of the work a preview or Apply may be asked for.
MAX_UNITS = 100000
MAX_DIGITS = 12
INHERITED_FIELDS = ("life_date", "use_date", "removal_date", "alert_date", "production_date",
                    "warranty_date")


class StockLotSplit(models.TransientModel):
    _name = "stock.lot.split"
    _inherit = ["lot.traceability.input"]
    _description = "Split Into Units"

    lot_id = fields.Many2one("stock.production.lot", "Batch", required=True, ondelete="cascade")
    product_id = fields.Many2one(related="lot_id.product_id", readonly=True)
    batch_uom_id = fields.Many2one(related="lot_id.product_id.uom_id", readonly=True)
    location_id = fields.Many2one("stock.location", "Location", required=True,
                                  domain=[("usage", "=", "internal")])
    available_qty = fields.Float("In Stock There", compute="_compute_plan",
                                 digits=dp.get_precision("Product Unit of Measure"))
    split_all = fields.Boolean(
        "Whole Batch", default=True,
        help="Split everything the batch has free in the location; untick to give a quantity.")
    split_qty = fields.Float(
        "Batch Quantity to Split", digits=dp.get_precision("Product Unit of Measure"),
        help="In the batch's unit, when not the whole batch.")
    planned_qty = fields.Float("Quantity to Split", compute="_compute_plan",
                               digits=dp.get_precision("Product Unit of Measure"))
    unit_product_id = fields.Many2one("product.product", "Unit Product", required=True,
                                      domain=[("type", "=", "product"),
                                              ("tracking", "!=", "none")])
    unit_tracking = fields.Selection(related="unit_product_id.tracking", readonly=True,
                                     string="Units Tracked By")
    unit_uom_id = fields.Many2one(related="unit_product_id.uom_id", readonly=True)
    mode = fields.Selection([("count", "Number of units"), ("qty", "Quantity per unit")],
                            default="count", required=True)
    unit_count = fields.Integer("Number of Units", default=1)
    unit_qty = fields.Float("Quantity per Unit", default=1.0,
                            digits=dp.get_precision("Product Unit of Measure"),
                            help="In the unit product's unit.")
    naming = fields.Selection([("pattern", "Batch name + number"),
                               ("sequence", "Unit product's lot numbering")],
                              default="pattern", required=True)
    name_prefix = fields.Char("Prefix", lot_code="affix",
                              help="Units are named prefix + number, e.g. B1-001; "
                                   "the number widens past 999.")
    name_start = fields.Integer("First Number", default=1)
    name_padding = fields.Integer("Digits", default=3)
    inherit_dates = fields.Boolean("Inherit Dates and Attributes", default=True)
    total_units = fields.Integer("Units", compute="_compute_plan")
    consumed_qty = fields.Float("Batch Quantity Used", compute="_compute_plan",
                                digits=dp.get_precision("Product Unit of Measure"))
    remainder_qty = fields.Float("Stays in the Batch", compute="_compute_plan",
                                 digits=dp.get_precision("Product Unit of Measure"))
    preview = fields.Html(compute="_compute_plan", sanitize=False)
    problems = fields.Text(compute="_compute_plan")

    @api.model
    def create(self, vals):
        # A quantity given without the box (scripts, JSON-RPC) means that quantity.
        if vals.get("split_qty") and "split_all" not in vals:
            vals = dict(vals, split_all=False)
        return super(StockLotSplit, self).create(vals)

    @api.onchange("split_all")
    def _onchange_split_all(self):
        if not self.split_all and not self.split_qty:
            self.split_qty = self.available_qty

    @api.model
    @check_arguments(fields_list=OfType(list, tuple))
    def default_get(self, fields_list):
        values = super(StockLotSplit, self).default_get(fields_list)
        lot_id = values.get("lot_id")
        if not lot_id and self.env.context.get("active_model") == "stock.production.lot":
            lot_id = values["lot_id"] = self.env.context.get("active_id")
        if lot_id:
            batch_values = self._prepare_batch_defaults(
                self.env["stock.production.lot"].browse(lot_id))
            for field_name, value in batch_values.items():
                if not values.get(field_name):
                    values[field_name] = value
        return values

    @api.model
    def _prepare_batch_defaults(self, lot):
        """Unit product, naming and location proposed for splitting ``lot``."""
        quants = lot.quant_ids.filtered(lambda q: q.location_id.usage == "internal"
                                        and q.quantity > 0).sorted("quantity", reverse=True)
        return {"unit_product_id": lot.product_id.id, "name_prefix": "%s-" % lot.name,
                "name_start": len(lot.child_lot_ids) + 1,
                "location_id": quants[:1].location_id.id or False}

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        """Opened from the menu: choosing the batch proposes what opening it from the lot
        does."""
        if self.lot_id:
            self.update(self._prepare_batch_defaults(self.lot_id))

    @api.constrains("location_id")
    def _check_location(self):
        self._check_internal_location("location_id")

    # --- the plan: computed for the preview, checked again by Apply -----------------------
    @api.depends("lot_id", "location_id", "split_all", "split_qty", "unit_product_id", "mode",
                 "unit_count",
                 "unit_qty", "naming", "name_prefix", "name_start", "name_padding")
    def _compute_plan(self):
        for wizard in self:
            plan = wizard._get_plan()
            wizard.available_qty = plan["available"]
            wizard.planned_qty = plan["split"]
            wizard.total_units = plan["count"]
            wizard.consumed_qty = plan["consumed"]
            wizard.remainder_qty = plan["available"] - plan["consumed"]
            wizard.problems = "\n".join(plan["errors"]) or False
            wizard.preview = wizard._render_preview(plan)

    @api.multi
    def _batch_per_unit_uom(self):
        """Batch quantity (batch unit) in one unit of the unit product's unit, or an error."""
        batch_uom, unit_uom = self.product_id.uom_id, self.unit_product_id.uom_id
        if batch_uom.category_id == unit_uom.category_id:
            return unit_uom._compute_quantity(1.0, batch_uom, round=False), None
        template = self.unit_product_id.product_tmpl_id
        if template.net_content_qty <= 0 or not template.net_content_uom_id:
            return 0.0, _("%(unit)s has no net content: set how much %(uom)s one unit holds "
                          "(product form, Net Content).") % {
                "unit": self.unit_product_id.display_name, "uom": batch_uom.name}
        if template.net_content_uom_id.category_id != batch_uom.category_id:
            return 0.0, _("The net content of %(unit)s is in %(content_uom)s, which does not "
                          "convert to %(uom)s.") % {
                "unit": self.unit_product_id.display_name,
                "content_uom": template.net_content_uom_id.name, "uom": batch_uom.name}
        return template.net_content_uom_id._compute_quantity(
            template.net_content_qty, batch_uom, round=False), None

    @api.multi
    def _get_plan(self):
        plan = {"available": 0.0, "split": 0.0, "count": 0, "per_unit": 0.0, "consumed": 0.0,
                "names": [], "errors": []}
        if not (self.lot_id and self.location_id and self.unit_product_id):
            return plan
        plan["available"] = self.env["stock.quant"]._get_available_quantity(
            self.product_id, self.location_id, lot_id=self.lot_id)
        per_uom, error = self._batch_per_unit_uom()
        if error:
            plan["errors"].append(error)
            return plan
        split_qty = plan["split"] = plan["available"] if self.split_all else self.split_qty
        if not self.split_all and float_compare(
                split_qty, 0.0, precision_rounding=self.product_id.uom_id.rounding) <= 0:
            plan["errors"].append(_("The batch quantity to split must be positive (or tick "
                                    "Whole Batch)."))
            return plan
        count, per_unit, errors = self._get_count_and_qty(split_qty / per_uom)
        plan["errors"] += errors
        if errors:
            return plan
        if self.naming == "pattern" and not 1 <= self.name_padding <= MAX_DIGITS:
            plan["errors"].append(_("Digits: a unit's number has from 1 to %(max)s digits, "
                                    "not %(digits)s.") % {
                "max": MAX_DIGITS, "digits": self.name_padding})
            return plan
        rounding = self.product_id.uom_id.rounding
        consumed = float_round(count * per_unit * per_uom, precision_rounding=rounding)
        plan.update(count=count, per_unit=per_unit, consumed=consumed)
        if float_compare(consumed, plan["available"], precision_rounding=rounding) > 0:
            plan["errors"].append(_(
                "More than the batch has: %(qty)s %(uom)s needed, %(available)s %(uom)s of "
                "%(batch)s free in %(location)s.") % {
                "qty": consumed, "available": plan["available"], "uom": self.batch_uom_id.name,
                "batch": self.lot_id.name, "location": self.location_id.display_name})
            return plan
        plan["names"] = self._unit_names(count)
        plan["errors"] += self._name_errors(plan["names"])
        return plan

    @api.multi
    def _get_count_and_qty(self, units_available):
        """Number of units and quantity per unit (unit product's unit), or what is wrong."""
        rounding = self.unit_product_id.uom_id.rounding
        serial = self.unit_product_id.tracking == "serial"
        if self.mode == "count":
            if self.unit_count <= 0:
                return 0, 0.0, [_("The number of units must be positive.")]
            count, per_unit = self.unit_count, units_available / self.unit_count
        else:
            if float_compare(self.unit_qty, 0.0, precision_rounding=rounding) <= 0:
                return 0, 0.0, [_("The quantity per unit must be positive.")]
            per_unit = self.unit_qty
            count = int(math.floor(units_available / per_unit + 1e-9))
        if count > MAX_UNITS:
            return 0, 0.0, [_("%(count)s units: one split makes at most %(max)s units; split "
                              "the batch in several steps.") % {
                "count": count, "max": MAX_UNITS}]
        uom = self.unit_product_id.uom_id.name
        if serial and float_compare(per_unit, 1.0, precision_rounding=rounding):
            return 0, 0.0, [_("The quantities do not add up: serial units hold 1 %(uom)s each, "
                              "%(count)s units would hold %(per_unit)s %(uom)s each.") % {
                "uom": uom, "count": count, "per_unit": round(per_unit, 6)}]
        if float_compare(float_round(per_unit, precision_rounding=rounding), per_unit,
                         precision_digits=6) or count <= 0:
            return 0, 0.0, [_("The quantities do not add up: %(available)s %(uom)s do not make "
                              "%(count)s units of %(per_unit)s %(uom)s.") % {
                "available": round(units_available, 6), "uom": uom, "count": count,
                "per_unit": round(per_unit, 6)}]
        return count, per_unit, []

    @api.multi
    def _unit_names(self, count):
        if self.naming != "pattern":
            return []
        prefix = self.name_prefix or ""
        return ["%s%0*d" % (prefix, self.name_padding, number)
                for number in range(self.name_start, self.name_start + count)]

    @api.multi
    def _name_errors(self, names):
        if not names:
            return []
        taken = self.env["stock.production.lot"].search(
            [("name", "in", names), ("product_id", "=", self.unit_product_id.id)])
        if not taken:
            return []
        shown = sorted(taken.mapped("name"))
        return [_("These unit names already exist for %(product)s: %(names)s%(more)s") % {
            "product": self.unit_product_id.display_name, "names": ", ".join(shown[:10]),
            "more": " (+%d)" % (len(shown) - 10) if len(shown) > 10 else ""}]

    @api.multi
    def _render_preview(self, plan):
        if not plan["count"]:
            return False
        names = plan["names"] or [_("(next number of the lot numbering)")] * plan["count"]
        shown = names[:PREVIEW_LIMIT]
        if len(names) > PREVIEW_LIMIT:
            shown = shown[:-1] + ["…"] + names[-1:]
        quantity = "%s %s" % (plan["per_unit"], html_escape(self.unit_uom_id.name))
        rows = "".join("<tr><td>%s</td><td>%s</td></tr>" % (
            html_escape(name), quantity if name != "…" else "") for name in shown)
        return "<table class='table table-condensed'><tr><th>%s</th><th>%s</th></tr>%s" \
               "</table>" % (html_escape(_("Unit")), html_escape(_("Quantity")), rows)

    # --- apply ---------------------------------------------------------------------------
    @api.multi
    def _prepare_unit_lot_vals(self, name):
        vals = {"name": name, "product_id": self.unit_product_id.id}
        if not self.inherit_dates:
            return vals
        batch = self.lot_id
        for field_name in INHERITED_FIELDS:
            if field_name in batch._fields and batch[field_name]:
                vals[field_name] = batch[field_name]
        if "attribute_value_ids" in batch._fields and batch.attribute_value_ids:
            inverse = batch._fields["attribute_value_ids"].inverse_name
            vals["attribute_value_ids"] = [
                (0, 0, {key: value for key, value in data.items() if key != inverse})
                for data in batch.attribute_value_ids.copy_data()]
        return vals

    @api.multi
    @check_arguments()
    def action_apply(self):
        """Validate everything, then split the batch in one transformation (from the
        ``lot_split`` threshold on, in a background job)."""
        self.ensure_one()
        self._check_traceability_access(records=self.location_id)
        plan = self._check_plan()
        return self.env["lot.traceability.job"]._start(
            self, "_apply", "lot_split", plan["count"],
            _("Split %(batch)s into %(count)d units") % {
                "batch": self.lot_id.name, "count": plan["count"]})

    @api.multi
    def _check_plan(self):
        """The plan, or a UserError naming everything that stops it."""
        plan = self._get_plan()
        if plan["errors"]:
            raise UserError("\n".join(plan["errors"]))
        if not plan["count"]:
            raise UserError(_("Nothing to split."))
        return plan

    @api.multi
    def _apply(self):
        self.ensure_one()
        plan = self._check_plan()
        template = self.unit_product_id.product_tmpl_id
        names = plan["names"] or [template._next_lot_code() for _i in range(plan["count"])]
        if not plan["names"]:
            errors = self._name_errors(names)
            if errors:
                raise UserError("\n".join(errors))
        self.env["lot.traceability.job"].report_progress(len(names) // 10)
        units = [(self._prepare_unit_lot_vals(name), plan["per_unit"]) for name in names]
        lots = self.lot_id._split_into_units(self.location_id, self.unit_product_id, units,
                                             plan["consumed"])
        return {
            "type": "ir.actions.act_window",
            "name": _("Units of %(batch)s") % {"batch": self.lot_id.name},
            "res_model": "stock.production.lot",
            "view_mode": "tree,form",
            "domain": [("id", "in", lots.ids)],
            "target": self._get_result_target(),
        }
