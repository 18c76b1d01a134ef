# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A recall: the evidence of one incident, computed from the genealogy engine when opened."""
from collections import OrderedDict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, html_escape

from .base import MANAGER_GROUP
from .lot_traceability_input import check_arguments

DRILL_TARGET_MINUTES = 240  # the 4-hour traceability test of food-safety audits (BRCGS)


class StockLotRecall(models.Model):
    _name = "stock.lot.recall"
    _description = "Lot recall"
    _inherit = ["mail.thread", "lot.traceability.state.mixin", "lot.traceability.input"]
    _order = "id desc"
    _locked_states = ("closed",)
    _sequence_code = "stock.lot.recall"
    _deletable_states = ("draft",)

    name = fields.Char(default="/", copy=False, readonly=True, required=True)
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.user.company_id, readonly=True,
                                 states={"draft": [("readonly", False)]})
    state = fields.Selection([("draft", "Draft"), ("in_progress", "In progress"),
                              ("closed", "Closed")], default="draft", required=True,
                             readonly=True, copy=False, track_visibility="onchange")
    is_mock = fields.Boolean("Mock recall (drill)", readonly=True,
                             states={"draft": [("readonly", False)]})
    reason = fields.Text(readonly=True, states={"draft": [("readonly", False)]})
    public_notice = fields.Text(
        "Public notice", readonly=True, default=lambda self: self._default_public_notice(),
        states={"draft": [("readonly", False)], "in_progress": [("readonly", False)]},
        help="What anyone who scans the label of an affected lot reads while the recall is "
             "in progress (not for mock recalls), followed by the company's name, phone and "
             "e-mail.")
    lot_ids = fields.Many2many(
        "stock.production.lot", "stock_lot_recall_origin_rel", "recall_id", "lot_id",
        string="Origin lots", required=True, readonly=True,
        states={"draft": [("readonly", False)]},
        help="The lots the incident is about, e.g. a contaminated ingredient lot.")
    include_siblings = fields.Boolean(
        "Include siblings", readonly=True, states={"draft": [("readonly", False)]},
        help="Also trace upstream to the ingredient lots of the origin lots, then downstream "
             "from them: everything made with the same ingredients.")
    quarantine_location_id = fields.Many2one(
        "stock.location", required=True, domain=[("usage", "=", "internal")],
        states={"closed": [("readonly", True)]},
        default=lambda self: self.env.ref("lot_traceability.stock_location_quarantine",
                                          raise_if_not_found=False))
    scope_line_ids = fields.One2many("stock.lot.recall.lot", "recall_id", "Affected lots",
                                     readonly=True)
    balance_line_ids = fields.One2many(
        "stock.lot.recall.lot", "recall_id", "Mass balance", readonly=True,
        help="The affected lots again, with their ledger and quants.")
    hold_line_ids = fields.One2many("stock.lot.recall.hold", "recall_id", "Stock on hold",
                                    readonly=True)
    customer_line_ids = fields.One2many("stock.lot.recall.customer", "recall_id",
                                        "Customers", readonly=True)
    call_line_ids = fields.One2many(
        "stock.lot.recall.call", "recall_id", "Call list", readonly=True,
        help="One row per customer who received affected lots, with what they received.")
    held_line_ids = fields.One2many(
        "stock.lot.recall.hold", "recall_id", "Stock held", readonly=True,
        domain=[("state", "in", ("held", "released"))],
        help="Stock moved to quarantine by Hold Stock, and its release.")
    held_count = fields.Integer(compute="_compute_hold_status")
    can_hold = fields.Boolean(compute="_compute_hold_status",
                              help="Stock of affected lots is on hand outside quarantine.")
    is_manager = fields.Boolean(compute="_compute_is_manager")
    has_fsma_lots = fields.Boolean(compute="_compute_has_fsma_lots")
    customer_qty_display = fields.Char("Net shipped to customers",
                                       compute="_compute_customer_qty_display")
    affected_lot_count = fields.Integer(compute="_compute_counts")
    customer_count = fields.Integer(compute="_compute_counts")
    balance_difference_count = fields.Integer(compute="_compute_counts")
    date_start = fields.Datetime("Started", default=fields.Datetime.now, required=True,
                                 readonly=True, states={"draft": [("readonly", False)]},
                                 help="When the incident was raised: the drill clock starts.")
    date_scope = fields.Datetime("Scope complete", readonly=True, copy=False)
    date_customers = fields.Datetime("Customer list complete", readonly=True, copy=False)
    date_balance = fields.Datetime("Mass balance complete", readonly=True, copy=False)
    date_closed = fields.Datetime("Closed", readonly=True, copy=False)
    drill_minutes = fields.Float("Elapsed (minutes)", compute="_compute_drill",
                                 digits=(16, 2))
    drill_target_minutes = fields.Integer("Target (minutes)", compute="_compute_drill")
    drill_within_target = fields.Boolean("Within target", compute="_compute_drill")

    @api.model
    def _default_public_notice(self):
        return _("This lot is recalled: do not eat or use it. Return it to the place of "
                 "purchase or contact us.")

    @api.model
    def get_public_status(self, lot_ids):
        """Public recall status of lots, as plain data: ``{lot_id: {"recalled": bool,
        "notice": text, "contact": text}}``. A lot is recalled while a recall that is not a
        drill is in progress with it among its origin or affected lots (the latest one speaks).
        """
        if not isinstance(lot_ids, (list, tuple)) or not all(
                isinstance(lot_id, int) and not isinstance(lot_id, bool) for lot_id in lot_ids):
            raise UserError(_("lot_ids must be a list of lot ids, got %r.") % (lot_ids,))
        recalls = self.search([("state", "=", "in_progress"), ("is_mock", "=", False),
                               "|", ("lot_ids", "in", lot_ids),
                               ("scope_line_ids.lot_id", "in", lot_ids)], order="id")
        status = {lot_id: {"recalled": False, "notice": "", "contact": ""} for lot_id in lot_ids}
        for recall in recalls:
            company = recall.company_id
            contact = ", ".join(part for part in (company.name, company.phone, company.email)
                                if part)
            for lot_id in set(lot_ids) & set(recall.lot_ids.ids
                                             + recall.scope_line_ids.mapped("lot_id").ids):
                status[lot_id] = {"recalled": True, "notice": recall.public_notice or "",
                                  "contact": contact}
        return status

    @api.multi
    @api.depends("scope_line_ids", "call_line_ids", "scope_line_ids.qty_difference")
    def _compute_counts(self):
        for recall in self:
            recall.affected_lot_count = len(recall.scope_line_ids)
            recall.customer_count = len(recall.call_line_ids)
            recall.balance_difference_count = len(recall.scope_line_ids.filtered(
                lambda line: line.has_difference))

    @api.multi
    @api.depends("hold_line_ids.state", "state")
    def _compute_hold_status(self):
        for recall in self:
            recall.held_count = len(recall.hold_line_ids.filtered(
                lambda line: line.state == "held"))
            recall.can_hold = recall.state == "in_progress" and bool(
                recall._get_on_hand())

    @api.multi
    def _compute_is_manager(self):
        is_manager = self.env.user.has_group(MANAGER_GROUP)
        for recall in self:
            recall.is_manager = is_manager

    @api.multi
    @api.depends("lot_ids")
    def _compute_has_fsma_lots(self):
        for recall in self:
            recall.has_fsma_lots = any(recall.lot_ids.mapped(
                "product_id.fsma_food_traceability"))

    @api.multi
    @api.depends("customer_line_ids.net_qty")
    def _compute_customer_qty_display(self):
        for recall in self:
            recall.customer_qty_display = recall.customer_line_ids.get_net_by_uom_display()

    @api.multi
    @api.depends("date_start", "date_scope", "date_customers", "date_balance")
    def _compute_drill(self):
        for recall in self:
            recall.drill_target_minutes = DRILL_TARGET_MINUTES
            ends = [d for d in (recall.date_scope, recall.date_customers, recall.date_balance)
                    if d]
            if len(ends) < 3 or not recall.date_start:
                recall.drill_minutes = 0.0
                recall.drill_within_target = False
                continue
            elapsed = fields.Datetime.from_string(max(ends)) - fields.Datetime.from_string(
                recall.date_start)
            recall.drill_minutes = elapsed.total_seconds() / 60.0
            recall.drill_within_target = recall.drill_minutes <= DRILL_TARGET_MINUTES

    # --- states ------------------------------------------------------------------------
    @api.constrains("quarantine_location_id")
    def _check_quarantine_location(self):
        """Held stock stays in the warehouse: the quarantine is an internal location."""
        for recall in self:
            recall._check_internal_location("quarantine_location_id")

    @api.multi
    def _check_in_progress(self):
        if self.state != "in_progress":
            raise UserError(_("Recall %(name)s is not in progress (it is %(state)s).") % {
                "name": self.name, "state": self._get_state_label()})

    @api.multi
    @check_arguments()
    def action_open(self):
        """Compute and store the scope, the customers, the stock and the mass balance (from
        the ``recall_open`` threshold of affected lots on, in a background job)."""
        self.ensure_one()
        self._check_traceability_access(manager=True)
        self._check_openable()
        trace = self.env["stock.lot.trace"]
        size = len(set(trace.trace_lot_ids(self.lot_ids.ids, "downstream")) | set(self.lot_ids.ids))
        return self.env["lot.traceability.job"].run(
            self, "_open", "recall_open", size,
            _("Open recall %(name)s (%(count)d lots)") % {"name": self.name, "count": size})

    @api.multi
    def _check_openable(self):
        if self.state != "draft":
            raise UserError(_("Recall %(name)s is not a draft.") % {"name": self.name})
        if not self.lot_ids:
            raise UserError(_("Recall %(name)s has no origin lot.") % {"name": self.name})

    @api.multi
    def _open(self):
        self.ensure_one()
        self._check_openable()
        progress = self.env["lot.traceability.job"].report_progress
        self._store_scope()
        self._write_system({"date_scope": fields.Datetime.now()})
        progress(self.affected_lot_count // 4)
        self._store_customers()
        self._write_system({"date_customers": fields.Datetime.now()})
        progress(self.affected_lot_count // 2)
        self._store_balance()
        progress(self.affected_lot_count * 3 // 4)
        self._store_hold()
        self._set_state("in_progress", {"date_balance": fields.Datetime.now()})
        self.message_post(body=_("Recall opened: %(lots)s affected lots, %(customers)s "
                                 "customers.") % {"lots": self.affected_lot_count,
                                                  "customers": self.customer_count})
        return True

    @api.multi
    @check_arguments()
    def action_fsma_export(self):
        """FSMA 204 Export of the origin lots and their whole chain, from their first
        movement until today: what FDA asks for during an outbreak investigation."""
        self.ensure_one()
        self._check_traceability_access()
        lots = self.lot_ids.filtered(lambda lot: lot.product_id.fsma_food_traceability)
        if not lots:
            raise UserError(_("No origin lot of %(name)s is a food on the Food Traceability "
                              "List.") % {"name": self.name})
        first = self.env["stock.move.line"].search(
            [("lot_id", "in", lots.ids), ("state", "=", "done")], order="date", limit=1)
        # The first movement's day in the time zone the export reads its days in.
        tz = self.env["stock.lot.fsma"]._get_period_tz()
        action = self.env.ref("lot_traceability.stock_lot_fsma_export_action").read()[0]
        action["context"] = {
            "default_lot_codes": "\n".join(lots.mapped("name")),
            "default_include_linked": True,
            "default_date_from": self.env["stock.lot.tz"]._date_of(
                first.date or fields.Datetime.now(), tz),
        }
        return action

    @api.multi
    @check_arguments()
    def action_close(self):
        self.ensure_one()
        self._check_traceability_access(manager=True)
        self._check_in_progress()
        self._set_state("closed", {"date_closed": fields.Datetime.now()})
        return True

    # --- scope -------------------------------------------------------------------------
    @api.multi
    def _get_scope(self):
        """``{lot_id: (depth, reason)}``: downstream, plus siblings when asked."""
        Trace = self.env["stock.lot.trace"]
        scope = {}
        for row in Trace.trace(self.lot_ids.ids, "downstream")["lots"]:
            scope[row["lot_id"]] = (row["depth"], "origin" if row["depth"] == 0 else "downstream")
        if self.include_siblings:
            upstream = Trace.trace(self.lot_ids.ids, "upstream")["lots"]
            ingredients = [row["lot_id"] for row in upstream if row["depth"] > 0]
            for row in upstream:
                if row["depth"] > 0:
                    scope.setdefault(row["lot_id"], (row["depth"], "ingredient"))
            for row in Trace.trace(ingredients, "downstream")["lots"]:
                scope.setdefault(row["lot_id"], (row["depth"], "sibling"))
        return scope

    @api.multi
    def _store_scope(self):
        scope = self._get_scope()
        lots = self.env["stock.production.lot"].browse(list(scope))
        self.scope_line_ids.sudo().unlink()
        for lot in lots:
            depth, reason = scope[lot.id]
            self.env["stock.lot.recall.lot"].sudo().create({
                "recall_id": self.id, "lot_id": lot.id, "depth": depth, "reason": reason})

    # --- customers ---------------------------------------------------------------------
    @api.multi
    def _store_customers(self):
        """Store the deliveries of affected lots (one ledger query for the whole set), then
        the call list: one entry per customer (commercial partner) holding its deliveries."""
        lots = self.scope_line_ids.mapped("lot_id")
        self.call_line_ids.sudo().unlink()
        self.customer_line_ids.sudo().unlink()
        for ship in self.env["stock.lot.ledger"].deliveries(lots.ids):
            self.env["stock.lot.recall.customer"].sudo().create(
                self._prepare_customer_vals(ship))
        Call = self.env["stock.lot.recall.call"].sudo()
        by_partner = {}
        for line in self.customer_line_ids:
            by_partner.setdefault(line.partner_id, line.browse())
            by_partner[line.partner_id] |= line
        for partner, lines in by_partner.items():
            call = Call.create(Call._prepare_call_vals(self, partner, lines))
            lines.sudo().write({"call_id": call.id})

    @api.multi
    def _prepare_customer_vals(self, ship):
        """A customer line from a row of ``stock.lot.ledger.deliveries``."""
        contact = self.env["res.partner"].browse(ship["contact_id"])
        return {
            "recall_id": self.id, "lot_id": ship["lot_id"], "picking_id": ship["picking_id"],
            "partner_id": ship["partner_id"], "contact_id": contact.id,
            "address": contact._display_address(without_company=True) if contact else "",
            "email": contact.email, "phone": contact.phone,
            "date": ship["date"], "qty": ship["qty"], "returned_qty": ship["returned_qty"],
        }

    # --- mass balance ------------------------------------------------------------------
    @api.multi
    def _store_balance(self):
        ledger = self.env["stock.lot.ledger"]
        lot_ids = self.scope_line_ids.mapped("lot_id").ids
        history = {}
        for row in ledger.history(lot_ids):
            history.setdefault(row["lot_id"], []).append(row)
        on_hand = {row["lot_id"]: row["on_hand"] for row in ledger.lot_totals(lot_ids)}
        for line in self.scope_line_ids:
            line.sudo().write(line._get_balance_vals(history.get(line.lot_id.id, []),
                                                     on_hand.get(line.lot_id.id, 0.0)))

    # --- hold and release -----------------------------------------------------------------
    # System lines (hold, affected lots, customers) are read-only to every user: the recall
    # writes them with sudo() once its action has checked the user's rights.
    @api.multi
    def _get_on_hand(self):
        """{(lot, location): quantity} of the affected stock on hand outside quarantine."""
        quants = self.env["stock.quant"].search([
            ("lot_id", "in", self.scope_line_ids.mapped("lot_id").ids),
            ("location_id.usage", "=", "internal"), ("quantity", ">", 0),
            ("location_id", "not in", self.quarantine_location_id.ids)], order="id")
        on_hand = OrderedDict()
        for quant in quants:
            key = (quant.lot_id, quant.location_id)
            on_hand[key] = on_hand.get(key, 0.0) + quant.quantity
        return on_hand

    @api.multi
    def _store_hold(self):
        """Stock of affected lots on hand, per lot and location (what a hold would move)."""
        self.hold_line_ids.filtered(lambda line: line.state == "on_hand").sudo().unlink()
        for (lot, location), qty in self._get_on_hand().items():
            self.env["stock.lot.recall.hold"].sudo().create({
                "recall_id": self.id, "lot_id": lot.id, "location_id": location.id,
                "qty": qty})

    @api.multi
    @check_arguments()
    def action_hold(self):
        """Lock the affected lots, unreserve them, and move what is on hand to quarantine."""
        self.ensure_one()
        self._check_traceability_access()
        self._check_in_progress()
        lots = self.scope_line_ids.mapped("lot_id")
        self.env["stock.quant"]._lock_lots(lots)
        self._unreserve(lots)
        self._store_hold()
        lines = self.hold_line_ids.filtered(lambda line: line.state == "on_hand")
        for line in lines:
            move = self._move_lot(line.lot_id, line.qty, line.location_id,
                                  self.quarantine_location_id)
            line.sudo().write({"state": "held", "hold_move_id": move.id})
        self.message_post(body=_("%(count)s stock lines moved to %(location)s.") % {
            "count": len(lines), "location": self.quarantine_location_id.display_name})
        return True

    @api.multi
    @check_arguments()
    def action_release(self):
        """Move back, lot by lot, what is still held in quarantine; say what moved elsewhere."""
        self.ensure_one()
        self._check_traceability_access()
        self._check_in_progress()
        lines = self.hold_line_ids.filtered(lambda line: line.state == "held")
        if not lines:
            raise UserError(_("Recall %(name)s holds no stock.") % {"name": self.name})
        self.env["stock.quant"]._lock_lots(lines.mapped("lot_id"))
        notes = [note for note in (self._release_line(line) for line in lines) if note]
        self.message_post(body=_("%(count)s stock lines released.%(notes)s") % {
            "count": len(lines), "notes": "".join("<br/>" + html_escape(note)
                                                  for note in notes)})
        return True

    @api.multi
    def _release_line(self, line):
        """Release what is left of ``line`` in quarantine; a note when some of it is gone."""
        quarantine = line.hold_move_id.location_dest_id or self.quarantine_location_id
        lot, uom = line.lot_id, line.lot_id.product_id.uom_id
        _rows, missing = self.env["stock.quant"]._allocate(
            lot.product_id, lot, quarantine, line.qty, exact=True)
        qty = line.qty - missing
        vals = {"state": "released", "qty_released": qty}
        if float_compare(qty, 0.0, precision_rounding=uom.rounding) > 0:
            vals["release_move_id"] = self._move_lot(lot, qty, quarantine, line.location_id).id
        line.sudo().write(vals)
        if not missing:
            return None
        return _("%(lot)s: %(missing)s %(uom)s of %(held)s %(uom)s are no longer in "
                 "%(quarantine)s (moved elsewhere); %(qty)s %(uom)s released to "
                 "%(location)s.") % {
            "lot": lot.name, "missing": missing, "held": line.qty, "qty": qty, "uom": uom.name,
            "quarantine": quarantine.display_name, "location": line.location_id.display_name}

    @api.multi
    def _unreserve(self, lots):
        reserved = self.env["stock.move.line"].search([
            ("lot_id", "in", lots.ids), ("location_id.usage", "=", "internal"),
            ("location_id", "not in", self.quarantine_location_id.ids),
            ("state", "not in", ("done", "cancel")), ("product_qty", ">", 0)])
        reserved.mapped("move_id")._do_unreserve()

    @api.multi
    def _move_lot(self, lot, qty, location, location_dest):
        """Move ``qty`` of ``lot`` found in ``location`` itself (checked under the lots' lock:
        the caller holds it)."""
        product = lot.product_id
        rows, missing = self.env["stock.quant"]._allocate(product, lot, location, qty,
                                                          exact=True)
        if missing:
            raise UserError(_("%(lot)s: %(missing)s %(uom)s missing in %(location)s.") % {
                "lot": lot.name, "missing": missing, "uom": product.uom_id.name,
                "location": location.display_name})
        move = self.env["stock.move"].create({
            "name": _("%(recall)s: %(lot)s") % {"recall": self.name, "lot": lot.name},
            "product_id": product.id, "product_uom": product.uom_id.id,
            "product_uom_qty": qty, "location_id": location.id,
            "location_dest_id": location_dest.id, "origin": self.name,
            "company_id": self.company_id.id,
        })
        move._action_confirm()
        move._write_lot_lines([dict(row, move=move, lot=lot) for row in rows])
        move._action_done()
        return move
