# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Assembly builds: a shop-floor document scanned component by component.

One matcher (:meth:`StockAssembly._scan_plan`) serves both entry points: the form's barcode
listener (an onchange that fills the lines or returns a warning) and :meth:`action_scan` on
a saved build (keyboard-wedge or phone scanners, JSON-RPC). ``action_done`` writes the build
through the shared transformation method, ``stock.move._transform_lots``.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero

from odoo.addons import decimal_precision as dp

from .lot_traceability_input import Text, check_arguments

#: The most lines a build holds (a serial component takes one line per unit).
MAX_BUILD_LINES = 2000


class StockAssembly(models.Model):
    _name = "stock.assembly"
    _inherit = ["barcodes.barcode_events_mixin", "lot.traceability.state.mixin",
                "lot.traceability.input"]
    _description = "Assembly Build"
    _order = "id desc"
    _locked_states = ("done",)
    _sequence_code = "stock.assembly"

    def _default_location(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.user.company_id.id)], limit=1)
        return warehouse.lot_stock_id

    name = fields.Char("Reference", default=lambda self: _("New"), copy=False, readonly=True,
                       index=True)
    state = fields.Selection([("draft", "Draft"), ("done", "Done"), ("cancel", "Cancelled")],
                             default="draft", copy=False, readonly=True, index=True)
    composition_id = fields.Many2one(
        "stock.composition", "Composition List", readonly=True,
        states={"draft": [("readonly", False)]},
        help="Lines are copied from the list and scaled to the quantity to build. Empty: "
             "built on the fly, each scan adds a line.")
    product_id = fields.Many2one(
        "product.product", "Assembly Product", required=True, readonly=True,
        states={"draft": [("readonly", False)]}, domain=[("type", "=", "product")])
    tracking = fields.Selection(related="product_id.tracking", readonly=True)
    product_qty = fields.Float(
        "Quantity", default=1.0, required=True, readonly=True,
        states={"draft": [("readonly", False)]},
        digits=dp.get_precision("Product Unit of Measure"))
    product_uom_id = fields.Many2one(related="product_id.uom_id", readonly=True)
    lot_name = fields.Char(
        "Result Lot/Serial", lot_code=True, readonly=True, states={"draft": [("readonly", False)]},
        help="Typed, scanned, or from the product's lot numbering (Generate); generated at "
             "Done when empty.")
    lot_id = fields.Many2one("stock.production.lot", "Built Lot/Serial", readonly=True,
                             copy=False)
    location_id = fields.Many2one(
        "stock.location", "Components From", required=True, readonly=True,
        states={"draft": [("readonly", False)]}, default=_default_location,
        domain=[("usage", "=", "internal")],
        help="Components are taken from this location and its children.")
    location_dest_id = fields.Many2one(
        "stock.location", "Put Result In", required=True, readonly=True,
        states={"draft": [("readonly", False)]}, default=_default_location,
        domain=[("usage", "=", "internal")])
    line_ids = fields.One2many("stock.assembly.line", "assembly_id", "Components",
                               readonly=True, states={"draft": [("readonly", False)]},
                               copy=False)
    company_id = fields.Many2one("res.company", "Company", required=True, index=True,
                                 default=lambda self: self.env.user.company_id, readonly=True,
                                 states={"draft": [("readonly", False)]})
    user_id = fields.Many2one("res.users", "Operator", default=lambda self: self.env.user,
                              readonly=True, states={"draft": [("readonly", False)]})
    date_done = fields.Datetime("Done On", readonly=True, copy=False)
    last_scan_message = fields.Char("Last Scan", readonly=True, copy=False)
    last_scan_refused = fields.Boolean(readonly=True, copy=False)

    @api.model
    def create(self, vals):
        if vals.get("name", "/") in ("/", False, _("New")):  # New: the title before saving
            # numbered by the state mixin
            vals = {key: value for key, value in vals.items() if key != "name"}
        assembly = super(StockAssembly, self).create(vals)
        if assembly.composition_id and not assembly.line_ids:
            assembly.write({"line_ids": [(0, 0, line_vals) for line_vals
                                         in assembly._prepare_line_vals_from_composition()]})
        return assembly

    @api.constrains("location_id", "location_dest_id")
    def _check_locations(self):
        """Components come from, and the result goes to, internal locations."""
        self._check_internal_location("location_id")
        self._check_internal_location("location_dest_id")

    @api.constrains("product_id", "product_qty")
    def _check_product_qty(self):
        for assembly in self:
            rounding = assembly.product_id.uom_id.rounding
            if float_compare(assembly.product_qty, 0.0, precision_rounding=rounding) <= 0:
                raise ValidationError(_("%(build)s: the quantity to build must be positive.")
                                      % {"build": assembly.name})
            if assembly.product_id.tracking == "serial" and float_compare(
                    assembly.product_qty, 1.0, precision_rounding=rounding) != 0:
                raise ValidationError(_(
                    "%(product)s is tracked by serial number: a build makes one unit (use Next "
                    "Unit for the following one).") % {"product": assembly.product_id.display_name})

    # --- lines from the list -------------------------------------------------------------
    @api.onchange("composition_id", "product_qty")
    def _onchange_composition_id(self):
        if self.composition_id:
            if self.composition_id.product_id:
                self.product_id = self.composition_id.product_id
            self.line_ids = [(5, 0, 0)] + [
                (0, 0, vals) for vals in self._prepare_line_vals_from_composition()]

    @api.multi
    def _prepare_line_vals_from_composition(self):
        """The list's lines scaled to the quantity to build; serial components one per line."""
        self.ensure_one()
        composition = self.composition_id
        factor = self.product_qty / composition.product_qty
        vals_list = []
        for line in composition.line_ids:
            qty = line.product_qty * factor
            count, qty_each = 1, qty
            if line.product_id.tracking == "serial":
                units = line.product_uom_id._compute_quantity(qty, line.product_id.uom_id)
                if float_compare(units, round(units), precision_digits=6):
                    raise UserError(_("%(product)s is tracked by serial number: %(qty)s units "
                                      "cannot be built one by one.") % {
                        "product": line.product_id.display_name, "qty": units})
                count, qty_each = int(round(units)), 1.0
            if len(vals_list) + count > MAX_BUILD_LINES:
                raise UserError(_("A build of %(qty)s %(product)s takes more than %(max)s lines "
                                  "(%(count)s serial numbers of %(component)s): build fewer at "
                                  "a time.") % {
                    "qty": self.product_qty, "product": self.product_id.display_name,
                    "max": MAX_BUILD_LINES, "count": count,
                    "component": line.product_id.display_name})
            vals_list += [self._prepare_line_vals(line, qty_each) for _i in range(count)]
        return vals_list

    @api.model
    def _prepare_line_vals(self, composition_line, qty):
        uom = composition_line.product_uom_id
        if composition_line.product_id.tracking == "serial":
            uom = composition_line.product_id.uom_id
        return {
            "composition_line_id": composition_line.id,
            "sequence": composition_line.sequence,
            "role": composition_line.role,
            "product_id": composition_line.product_id.id,
            "product_qty": qty,
            "product_uom_id": uom.id,
        }

    # --- scanning: one matcher, two entry points -----------------------------------------
    @api.multi
    @check_arguments(code=Text())
    def action_scan(self, code):
        """Scan a component's lot, serial, GS1 or product code on a saved build.

        Returns ``{"status": "ok", "message": ..., "line_id": ...}``; a refusal raises a
        UserError with its reason (nothing is changed).
        """
        self.ensure_one()
        plan = self._scan_plan(code)
        line = self._apply_scan(plan)
        self._show_scan(plan["message"])
        return {"status": "ok", "message": plan["message"], "line_id": line.id}

    @check_arguments(barcode=Text())
    def on_barcode_scanned(self, barcode):
        """The form's barcode listener (an onchange): fill the lines, or say on the form why
        the scan is refused (an ordinary miss: no dialog, the operator scans on)."""
        try:
            plan = self._scan_plan(barcode)
        except UserError as error:
            self._show_scan(_("Refused: %(reason)s") % {"reason": error.name}, refused=True)
            return None
        self._apply_scan(plan)
        self._show_scan(plan["message"])
        return None

    @api.multi
    def _show_scan(self, message, refused=False):
        """The form's last-scan line: in the form while scanning, stored on a saved build."""
        vals = {"last_scan_message": message, "last_scan_refused": refused}
        if self.env.in_onchange:
            self.update(vals)
        else:  # called over JSON-RPC on a saved build
            self._write_system(vals)

    @api.multi
    def _scan_plan(self, code):
        """Match ``code`` to the open line of its product; returns what to fill, or raises."""
        self._check_traceability_access()
        if self.state != "draft":
            raise UserError(_("%(build)s is not a draft: it cannot take scans.")
                            % {"build": self.name})
        listed = bool(self.composition_id)
        products = self.line_ids.mapped("product_id") if listed else None
        result = self.env["stock.lot.scan"]._match(code, products)
        if listed and not result.found:
            anywhere = self.env["stock.lot.scan"]._match(code)
            if anywhere.found:
                raise UserError(_("%(code)s (%(product)s) is not on the list %(list)s.") % {
                    "code": code, "list": self.composition_id.name,
                    "product": (anywhere["product"] or anywhere["lots"][:1].product_id)
                    .display_name})
        if not result.found:
            raise UserError(result["message"] or _("Unknown code %(code)s.") % {"code": code})
        product, lot = result["product"], result["lots"][:1]
        if not product and lot:
            product = lot.product_id
        # Its own prefetch: its name is read without reading the names of every component.
        product = product.with_prefetch()
        if not lot and product.tracking != "none":
            raise UserError(_("%(product)s is tracked: scan its lot or serial number, not the "
                              "product.") % {"product": product.display_name})
        lines = self._get_product_lines(product)
        if listed and not lines:
            raise UserError(_("%(product)s is not on the list %(list)s.") % {
                "product": product.display_name, "list": self.composition_id.name})
        if product.tracking == "serial":
            self._check_serial_free(lot)
        line = self._scan_open_line(lines, product, lot, listed)
        return self._scan_quantity(line, product, lot, result["gs1"], listed)

    @api.multi
    def _is_saved(self):
        """A saved build (a scan over JSON-RPC), not the form inside the barcode onchange."""
        return not self.env.in_onchange and isinstance(self.id, int)

    @api.multi
    def _get_product_lines(self, product, lot=None):
        """The build's lines of ``product`` (and ``lot``), in their order: one query on a
        saved build, not a pass over its hundreds of lines at every scan."""
        if not self._is_saved():
            return self.line_ids.filtered(lambda line: line.product_id == product and (
                lot is None or line.lot_id == lot))
        domain = [("assembly_id", "=", self.id), ("product_id", "=", product.id)]
        if lot is not None:
            domain.append(("lot_id", "=", lot.id))
        return self.env["stock.assembly.line"].search(domain)

    @api.multi
    def _check_serial_free(self, lot):
        if self._get_product_lines(lot.product_id, lot):
            raise UserError(_("Serial number %(serial)s is already on this build.")
                            % {"serial": lot.name})
        origin = getattr(self, "_origin", self)  # the saved build inside an onchange
        origin_id = origin.id if isinstance(origin.id, int) else False
        other = self.env["stock.assembly.line"].search([
            ("lot_id", "=", lot.id), ("assembly_id.state", "=", "draft"),
            ("assembly_id", "!=", origin_id)], limit=1)
        if other:
            raise UserError(_("Serial number %(serial)s is already on the open build "
                              "%(build)s.") % {"serial": lot.name,
                                               "build": other.assembly_id.name})

    @api.model
    def _scan_open_line(self, lines, product, lot, listed):
        open_lines = lines.filtered(lambda l: not l.lot_id and (
            not listed or float_compare(l.qty_done, l.product_qty,
                                        precision_rounding=l.product_uom_id.rounding) < 0))
        if listed and not open_lines:
            raise UserError(_("The lines of %(product)s are already full.")
                            % {"product": product.display_name})
        if not listed and lot and product.tracking != "serial" and lot in lines.mapped("lot_id"):
            raise UserError(_("%(lot)s is already on this build: enter its quantity on its "
                              "line.") % {"lot": lot.name})
        return open_lines[:1]

    @api.multi
    def _scan_quantity(self, line, product, lot, parsed, listed):
        """Lock the lot, check what is free in the source location, decide the quantity."""
        available = self._available_for_build(product, lot)
        uom = line.product_uom_id if line else product.uom_id
        available = product.uom_id._compute_quantity(available, uom, round=False)
        where = self.location_id.display_name
        if float_compare(available, 0.0, precision_rounding=uom.rounding) <= 0:
            raise UserError(_("%(product)s %(lot)s: nothing left in %(location)s for this "
                              "build.") % {"product": product.display_name,
                                           "lot": lot.name or "", "location": where})
        wanted = parsed.quantity if parsed and parsed.quantity else None
        if product.tracking == "serial":
            qty = 1.0
        elif listed:
            qty = min(line.product_qty - line.qty_done, available, wanted or available)
        else:
            qty = min(wanted, available) if wanted else 0.0
        message = _("%(product)s %(lot)s: %(qty)s %(uom)s%(role)s") % {
            "product": product.display_name, "lot": lot.name or "", "qty": qty,
            "uom": uom.name, "role": " (%s)" % line.role if line and line.role else ""}
        return {"line": line, "product": product, "lot": lot, "qty": qty, "uom": uom,
                "message": message}

    @api.multi
    def _available_for_build(self, product, lot):
        """Free quantity of the lot in the source location (and children), less what this
        build already holds, read under the quants' lock (product unit)."""
        self.env["stock.quant"]._lock_lots(lot, None if lot else product)
        available = self.env["stock.quant"]._get_available_quantity(
            product, self.location_id, lot_id=lot or None)
        taken = sum(line.product_uom_id._compute_quantity(line.qty_done, product.uom_id)
                    for line in self._get_product_lines(product, lot))
        return available - taken

    @api.multi
    def _apply_scan(self, plan):
        """Fill the open line (splitting off the rest when a lot covers only part of it) or
        add a line. Works on a saved build and inside the barcode onchange alike."""
        line, qty = plan["line"], plan["qty"]
        vals = {"lot_id": plan["lot"].id or False, "qty_done": qty}
        if not line:
            return self._add_line(dict(vals, product_id=plan["product"].id, product_qty=0.0,
                                       product_uom_id=plan["uom"].id))
        rest = line.product_qty - qty
        if line.product_qty and not float_is_zero(
                rest, precision_rounding=line.product_uom_id.rounding):
            self._add_line({"composition_line_id": line.composition_line_id.id,
                            "sequence": line.sequence, "role": line.role,
                            "product_id": line.product_id.id, "product_qty": rest,
                            "product_uom_id": line.product_uom_id.id})
            vals["product_qty"] = qty
        line.update(vals)
        return line

    @api.multi
    def _add_line(self, vals):
        Line = self.env["stock.assembly.line"]
        if self.env.in_onchange:
            line = Line.new(vals)
            self.line_ids |= line
            return line
        return Line.create(dict(vals, assembly_id=self.id))

    # --- result lot, done, cancel, next unit ---------------------------------------------
    @api.multi
    @check_arguments()
    def action_generate_lot_name(self):
        """Give the result the next number of the product's lot numbering."""
        self._check_traceability_access()
        for assembly in self.filtered(lambda a: a.state == "draft"):
            assembly.lot_name = assembly.product_id.product_tmpl_id._next_lot_code()
        return True

    @api.multi
    def _check_ready(self):
        errors = []
        for line in self.line_ids:
            rounding = line.product_uom_id.rounding
            if line.product_qty and float_compare(line.qty_done, line.product_qty,
                                                  precision_rounding=rounding) < 0:
                errors.append(_("%(product)s%(role)s: %(done)s of %(qty)s %(uom)s scanned.") % {
                    "product": line.product_id.display_name,
                    "role": " (%s)" % line.role if line.role else "", "done": line.qty_done,
                    "qty": line.product_qty, "uom": line.product_uom_id.name})
            elif float_compare(line.qty_done, 0.0, precision_rounding=rounding) <= 0:
                errors.append(_("%(product)s %(lot)s: enter a quantity.") % {
                    "product": line.product_id.display_name, "lot": line.lot_id.name or ""})
            elif line.product_id.tracking != "none" and not line.lot_id:
                errors.append(_("%(product)s: scan its lot or serial number.")
                              % {"product": line.product_id.display_name})
        if not self.line_ids:
            errors.append(_("Scan the components first."))
        if errors:
            raise UserError(_("%(build)s cannot be done yet:\n%(errors)s") % {
                "build": self.name, "errors": "\n".join(errors)})

    @api.multi
    def _prepare_produced_row(self):
        row = {"product": self.product_id, "qty": self.product_qty,
               "location_dest": self.location_dest_id}
        if self.product_id.tracking == "none":
            return row
        name = self.lot_name or self.product_id.product_tmpl_id._next_lot_code()
        lot = self.env["stock.production.lot"].search(
            [("name", "=", name), ("product_id", "=", self.product_id.id)])
        if lot and self.product_id.tracking == "serial":
            raise UserError(_("Serial number %(serial)s of %(product)s already exists.") % {
                "serial": name, "product": self.product_id.display_name})
        if lot:
            return dict(row, lot=lot)
        return dict(row, lot_vals={"name": name, "product_id": self.product_id.id})

    @api.multi
    @check_arguments()
    def action_done(self):
        """Lock and re-check the components, then write the build through the shared method."""
        self.ensure_one()
        self._check_traceability_access()
        if self.state != "draft":
            raise UserError(_("%(build)s is not a draft.") % {"build": self.name})
        self._check_ready()
        consumed = [{"product": line.product_id, "lot": line.lot_id,
                     "qty": line.product_uom_id._compute_quantity(
                         line.qty_done, line.product_id.uom_id, round=False),
                     "location": self.location_id} for line in self.line_ids]
        result = self.env["stock.move"]._transform_lots(
            consumed, [self._prepare_produced_row()], self.name, document=self)
        lot = result["produced_lots"]
        self._set_state("done", {"date_done": fields.Datetime.now(), "lot_id": lot.id,
                                 "lot_name": lot.name or self.lot_name})
        return True

    @api.multi
    @check_arguments()
    def action_cancel(self):
        self._check_traceability_access()
        if any(assembly.state == "done" for assembly in self):
            raise UserError(_("A done build cannot be cancelled."))
        self._set_state("cancel")
        return True

    @api.multi
    @check_arguments()
    def action_next_unit(self):
        """Start the next build from the same list and locations (serialized assemblies)."""
        self.ensure_one()
        self._check_traceability_access()
        following = self.create({
            "composition_id": self.composition_id.id,
            "product_id": self.product_id.id,
            "product_qty": self.product_qty if self.product_id.tracking != "serial" else 1.0,
            "location_id": self.location_id.id,
            "location_dest_id": self.location_dest_id.id,
            "company_id": self.company_id.id,
        })
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": following.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.multi
    @check_arguments()
    def action_view_moves(self):
        """The stock moves this build wrote."""
        self.ensure_one()
        self._check_traceability_access()
        return self._get_window_action(
            "stock.stock_move_action", context={},
            domain=[("transform_res_model", "=", self._name), ("transform_res_id", "=", self.id)])
