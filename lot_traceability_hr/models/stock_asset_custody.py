# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Custody of serialized assets: who holds a serial number, since when, until when.

One record per hand-out. :meth:`StockAssetCustody.check_out` moves the serials by ordinary
stock moves into their warehouse's *Issued* location and opens a record per serial;
:meth:`StockAssetCustody.check_in` moves them back and closes the records. Both are
all-or-nothing: every serial is checked first, each refusal named, nothing written on error.
Records are written by these methods only (users read them).
"""
from collections import OrderedDict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from odoo.addons.lot_traceability.models.lot_traceability_input import (
    Date,
    Id,
    Ids,
    check_arguments,
    named_first,
)


class StockAssetCustody(models.Model):
    _name = "stock.asset.custody"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Asset custody"
    _order = "date_out desc, id desc"
    _rec_name = "lot_id"

    lot_id = fields.Many2one("stock.production.lot", "Serial Number", required=True,
                             readonly=True, index=True, ondelete="restrict")
    product_id = fields.Many2one(related="lot_id.product_id", store=True, readonly=True,
                                 string="Asset Type")
    employee_id = fields.Many2one("hr.employee", "Holder", required=True, readonly=True,
                                  index=True, ondelete="restrict")
    manager_id = fields.Many2one(related="employee_id.parent_id", readonly=True,
                                 string="Holder's Manager")
    state = fields.Selection([("issued", "Checked Out"), ("returned", "Returned")],
                             default="issued", required=True, readonly=True, index=True)
    date_out = fields.Datetime("Checked Out On", required=True, readonly=True)
    expected_return_date = fields.Date("Expected Return", readonly=True, index=True)
    date_in = fields.Datetime("Returned On", readonly=True)
    issued_by_id = fields.Many2one("res.users", "Handed Out By", required=True, readonly=True)
    returned_by_id = fields.Many2one("res.users", "Taken Back By", readonly=True)
    location_id = fields.Many2one("stock.location", "Taken From", required=True,
                                  readonly=True)
    return_location_id = fields.Many2one("stock.location", "Returned To", readonly=True)
    out_move_id = fields.Many2one("stock.move", "Check-out Move", readonly=True)
    in_move_id = fields.Many2one("stock.move", "Check-in Move", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    overdue_activity_id = fields.Many2one("mail.activity", readonly=True, copy=False)
    is_overdue = fields.Boolean("Overdue", compute="_compute_is_overdue",
                                search="_search_is_overdue",
                                help="Checked out and past its expected return date.")

    @api.depends("state", "expected_return_date")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for custody in self:
            custody.is_overdue = custody.state == "issued" and bool(
                custody.expected_return_date) and custody.expected_return_date < today

    def _search_is_overdue(self, operator, value):
        overdue = self._clean_boolean_search("is_overdue", operator, value)
        today = fields.Date.context_today(self)
        if overdue:
            return ["&", ("state", "=", "issued"), ("expected_return_date", "<", today)]
        return ["|", ("state", "!=", "issued"), "|", ("expected_return_date", "=", False),
                ("expected_return_date", ">=", today)]

    # --- the two public operations ---------------------------------------------------------
    @api.model
    @check_arguments(lot_ids=Ids("stock.production.lot", optional=False),
                     employee_id=Id("hr.employee", optional=False),
                     expected_return_date=Date(optional=True))
    def check_out(self, lot_ids, employee_id, expected_return_date=None):
        """Hand the serials ``lot_ids`` to the employee: each moves by a stock move from where
        it is to its warehouse's Issued location. All or nothing.

        :returns: the ids of the custody records opened
        """
        lots = self.env["stock.production.lot"].browse(lot_ids)
        employee = self.env["hr.employee"].browse(employee_id)
        self._check_employee(employee)
        self.env["stock.quant"]._lock_lots(lots)
        locations = self._get_check_out_locations(lots)
        moves = self._move_serials(
            [(lot, locations[lot], self._get_issued_location(locations[lot])) for lot in lots],
            _("Check-out to %(employee)s") % {"employee": employee.name})
        custodies = self.sudo().browse()
        for lot in lots:
            custodies |= self.sudo().create(self._prepare_custody_vals(
                lot, employee, locations[lot], moves[lot], expected_return_date))
        lots.sudo()._assign_equipment(employee)
        return custodies.ids

    @api.model
    @check_arguments(lot_ids=Ids("stock.production.lot", optional=False),
                     location_id=Id("stock.location"))
    def check_in(self, lot_ids, location_id=False):
        """Take the serials back: each moves from the Issued location to ``location_id``
        (an internal location), else back where it was taken from. All or nothing.

        :returns: the ids of the custody records closed
        """
        lots = self.env["stock.production.lot"].browse(lot_ids)
        location = self.env["stock.location"].browse(location_id)
        custodies = self._get_open_custodies(lots)
        if location:
            self._check_return_location(location)
        self.env["stock.quant"]._lock_lots(lots)
        self._check_still_issued(custodies)
        rows = [(c.lot_id, c.out_move_id.location_dest_id, location or c.location_id)
                for c in custodies]
        moves = self._move_serials(rows, _("Check-in"))
        for custody in custodies:
            custody.sudo().write({
                "state": "returned", "date_in": fields.Datetime.now(),
                "returned_by_id": self.env.uid, "in_move_id": moves[custody.lot_id].id,
                "return_location_id": (location or custody.location_id).id})
        custodies.mapped("overdue_activity_id").sudo().action_done()
        lots.sudo()._assign_equipment(self.env["hr.employee"])
        return custodies.ids

    # --- checks ------------------------------------------------------------------------------
    @api.model
    def _check_employee(self, employee):
        if not employee.sudo().active:
            raise UserError(_("Employee: %(employee)s is archived; serials are checked out "
                              "to active employees only.") % {"employee": employee.sudo().name})
        self.browse()._check_traceability_access(records=employee.sudo())

    @api.model
    def _get_check_out_locations(self, lots):
        """Where each serial is (checked under the quant lock): refused, every bad serial
        named, unless each is serial-tracked, free, in stock and not checked out."""
        if not lots:
            raise UserError(_("Serial numbers: scan at least one serial number to check out."))
        open_lots = self.sudo().search([("lot_id", "in", lots.ids),
                                        ("state", "=", "issued")]).mapped("lot_id")
        errors, locations = [], {}
        for lot in lots.sudo():
            problem, location = self._get_check_out_problem(lot, open_lots)
            if problem:
                errors.append(problem)
            locations[lot] = location
        if errors:
            raise UserError(_("Nothing was checked out:\n%(errors)s") % {
                "errors": "\n".join(errors)})
        return locations

    @api.model
    def _get_check_out_problem(self, lot, open_lots):
        """(refusal or None, location holding the serial)."""
        names = {"lot": lot.name, "product": lot.product_id.display_name}
        if lot.product_id.tracking != "serial":
            return _("%(lot)s: %(product)s is tracked by lots, not by serial numbers; only "
                     "serialized assets are checked out.") % names, None
        if lot in open_lots:
            holder = self.sudo().search([("lot_id", "=", lot.id), ("state", "=", "issued")],
                                        limit=1).employee_id
            return _("%(lot)s is already checked out to %(employee)s.") % dict(
                names, employee=holder.name), None
        quants = self.env["stock.quant"].sudo().search([
            ("lot_id", "=", lot.id), ("location_id.usage", "=", "internal"),
            ("quantity", ">", 0)])
        free = quants.filtered(lambda q: float_compare(
            q.quantity - q.reserved_quantity, 1.0,
            precision_rounding=lot.product_id.uom_id.rounding) >= 0)
        if len(free) != 1 or free.location_id.is_asset_issued:
            reason = _("reserved for a transfer") if quants and not free else _("not in stock")
            return _("%(lot)s of %(product)s is %(reason)s: it cannot be checked out.") % dict(
                names, reason=reason), None
        return None, free.location_id

    @api.model
    def _get_open_custodies(self, lots):
        if not lots:
            raise UserError(_("Serial numbers: scan at least one serial number to check in."))
        custodies = self.sudo().search([("lot_id", "in", lots.ids), ("state", "=", "issued")])
        missing = lots - custodies.mapped("lot_id")
        if missing:
            raise UserError(_("Nothing was checked in: %(lots)s is not checked out.") % {
                "lots": named_first(missing.sudo().mapped("name"))})
        return custodies

    @api.model
    def _check_still_issued(self, custodies):
        """Under the lock: each serial is still in the Issued location it was moved to."""
        errors = []
        for custody in custodies:
            _rows, missing = self.env["stock.quant"]._allocate(
                custody.product_id, custody.lot_id, custody.out_move_id.location_dest_id, 1.0,
                exact=True)
            if missing:
                errors.append(_("%(lot)s is no longer in %(location)s.") % {
                    "lot": custody.lot_id.name,
                    "location": custody.out_move_id.location_dest_id.display_name})
        if errors:
            raise UserError(_("Nothing was checked in:\n%(errors)s") % {
                "errors": "\n".join(errors)})

    @api.model
    def _check_return_location(self, location):
        if location.sudo().usage != "internal" or location.sudo().is_asset_issued:
            raise UserError(_("Return location: %(location)s is not an internal stock "
                              "location.") % {"location": location.sudo().display_name})
        self.browse()._check_traceability_access(records=location.sudo())

    # --- writing -----------------------------------------------------------------------------
    @api.model
    def _get_issued_location(self, location):
        # Up the parents, not Odoo's get_warehouse(): its parent_left is not computed yet for
        # locations made in the same module install (the demo's).
        views = {warehouse.view_location_id: warehouse
                 for warehouse in self.env["stock.warehouse"].sudo().search([])}
        parent = location.sudo()
        while parent and parent not in views:
            parent = parent.location_id
        warehouse = views.get(parent)
        if not warehouse:
            raise UserError(_("%(location)s belongs to no warehouse: it has no Issued "
                              "location.") % {"location": location.sudo().display_name})
        return warehouse._get_asset_issued_location()

    @api.model
    def _move_serials(self, rows, reference):
        """One done stock move per (product, from, to) for ``rows`` of (lot, from, to), its
        lines written by the addon's one writer; returns {lot: move}."""
        groups = OrderedDict()
        for lot, location, location_dest in rows:
            groups.setdefault((lot.product_id, location, location_dest), []).append(lot)
        Move, result = self.env["stock.move"].sudo(), {}
        for (product, location, location_dest), lots in groups.items():
            move = Move.create({
                "name": reference, "origin": reference, "product_id": product.id,
                "product_uom": product.uom_id.id, "product_uom_qty": len(lots),
                "location_id": location.id, "location_dest_id": location_dest.id,
                "company_id": location.company_id.id or self.env.user.company_id.id})
            move._action_confirm(merge=False)
            move._write_lot_lines([{"move": move, "lot": lot, "qty": 1.0} for lot in lots])
            move._action_done()
            result.update({lot: move for lot in lots})
        return result

    @api.model
    def _prepare_custody_vals(self, lot, employee, location, move, expected_return_date):
        return {
            "lot_id": lot.id, "employee_id": employee.id, "date_out": fields.Datetime.now(),
            "expected_return_date": expected_return_date or False,
            "issued_by_id": self.env.uid, "location_id": location.id, "out_move_id": move.id,
            "company_id": move.company_id.id,
        }

    # --- overdue returns ---------------------------------------------------------------------
    @api.model
    def _cron_notify_overdue(self):
        """An activity for the holder's manager (else who handed it out) on each overdue
        custody that has none yet."""
        overdue = self.sudo().search([("is_overdue", "=", True),
                                      ("overdue_activity_id", "=", False)])
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model = self.env["ir.model"]._get(self._name)
        for custody in overdue:
            user = custody.employee_id.parent_id.user_id or custody.issued_by_id
            custody.overdue_activity_id = self.env["mail.activity"].sudo().create({
                "res_model_id": model.id, "res_id": custody.id, "user_id": user.id,
                "activity_type_id": activity_type.id,
                "date_deadline": fields.Date.context_today(self),
                "summary": _("Overdue return: %(lot)s") % {"lot": custody.lot_id.name},
                "note": _("%(employee)s was to return %(product)s %(lot)s on %(date)s.") % {
                    "employee": custody.employee_id.name, "lot": custody.lot_id.name,
                    "product": custody.product_id.display_name,
                    "date": custody.expected_return_date},
            })
        return overdue.ids
