# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A recall: the evidence of one incident, computed from the genealogy engine when opened."""
import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

DRILL_TARGET_MINUTES = 240  # the 4-hour traceability test of food-safety audits (BRCGS)
MANAGER_GROUP = "lot_traceability.lot_traceability_group_manager"


class StockLotRecall(models.Model):
    _name = "stock.lot.recall"
    _description = "Lot recall"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(default="/", copy=False, readonly=True, required=True)
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.user.company_id)
    state = fields.Selection([("draft", "Draft"), ("in_progress", "In progress"),
                              ("closed", "Closed")], default="draft", required=True,
                             readonly=True, copy=False, track_visibility="onchange")
    is_mock = fields.Boolean("Mock recall (drill)", readonly=True,
                             states={"draft": [("readonly", False)]})
    reason = fields.Text(readonly=True, states={"draft": [("readonly", False)]})
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
    def create(self, vals):
        if vals.get("name", "/") == "/":
            vals["name"] = self.env["ir.sequence"].next_by_code("stock.lot.recall") or "/"
        return super(StockLotRecall, self).create(vals)

    @api.multi
    def write(self, vals):
        if "state" in vals:
            self._check_manager()
        return super(StockLotRecall, self).write(vals)

    @api.multi
    @api.depends("scope_line_ids", "customer_line_ids", "scope_line_ids.qty_difference")
    def _compute_counts(self):
        for recall in self:
            recall.affected_lot_count = len(recall.scope_line_ids)
            recall.customer_count = len(recall.customer_line_ids.mapped("partner_id"))
            recall.balance_difference_count = len(recall.scope_line_ids.filtered(
                lambda line: line.has_difference))

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
    @api.multi
    def _check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(_("Only Traceability managers can open or close a recall."))

    @api.multi
    def action_open(self):
        """Compute and store the scope, the customers, the stock and the mass balance."""
        self.ensure_one()
        self._check_manager()
        if self.state != "draft":
            raise UserError(_("Recall %(name)s is not a draft.") % {"name": self.name})
        if not self.lot_ids:
            raise UserError(_("Recall %(name)s has no origin lot.") % {"name": self.name})
        self._compute_scope()
        self.date_scope = fields.Datetime.now()
        self._compute_customers()
        self.date_customers = fields.Datetime.now()
        self._compute_balance()
        self._compute_hold()
        self.date_balance = fields.Datetime.now()
        self.state = "in_progress"
        self.message_post(body=_("Recall opened: %(lots)s affected lots, %(customers)s "
                                 "customers.") % {"lots": self.affected_lot_count,
                                                  "customers": self.customer_count})
        return True

    @api.multi
    def action_fsma_export(self):
        """FSMA 204 Export of the origin lots and their whole chain, from their first
        movement until today: what FDA asks for during an outbreak investigation."""
        self.ensure_one()
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
    def action_close(self):
        self.ensure_one()
        self._check_manager()
        if self.state != "in_progress":
            raise UserError(_("Recall %(name)s is not in progress.") % {"name": self.name})
        self.write({"state": "closed", "date_closed": fields.Datetime.now()})
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
    def _compute_scope(self):
        scope = self._get_scope()
        lots = self.env["stock.production.lot"].browse(list(scope))
        self.scope_line_ids.unlink()
        for lot in lots:
            depth, reason = scope[lot.id]
            self.env["stock.lot.recall.lot"].create({
                "recall_id": self.id, "lot_id": lot.id, "depth": depth, "reason": reason})

    # --- customers ---------------------------------------------------------------------
    @api.multi
    def _compute_customers(self):
        Trace = self.env["stock.lot.trace"]
        self.customer_line_ids.unlink()
        for lot in self.scope_line_ids.mapped("lot_id"):
            for ship in Trace._get_shipped_to(lot):
                self.env["stock.lot.recall.customer"].create(
                    self._prepare_customer_vals(ship))

    @api.multi
    def _prepare_customer_vals(self, ship):
        contact = self.env["res.partner"].browse(ship["partner_id"])
        return {
            "recall_id": self.id, "lot_id": ship["lot_id"], "picking_id": ship["picking_id"],
            "partner_id": contact.commercial_partner_id.id, "contact_id": contact.id,
            "address": ship["address"], "email": contact.email, "phone": contact.phone,
            "date": ship["utc_date"], "qty": ship["qty"], "returned_qty": ship["returned_qty"],
        }

    # --- mass balance ------------------------------------------------------------------
    @api.multi
    def _compute_balance(self):
        for line in self.scope_line_ids:
            line.write(line._get_balance_vals())

    # --- hold --------------------------------------------------------------------------
    @api.multi
    def _get_on_hand_quants(self):
        return self.env["stock.quant"].search([
            ("lot_id", "in", self.scope_line_ids.mapped("lot_id").ids),
            ("location_id.usage", "=", "internal"), ("quantity", ">", 0),
            ("location_id", "not in", self.quarantine_location_id.ids)])

    @api.multi
    def _compute_hold(self):
        """Stock of affected lots on hand, per lot and location (what a hold would move)."""
        self.hold_line_ids.filtered(lambda line: line.state == "on_hand").unlink()
        for quant in self._get_on_hand_quants():
            self.env["stock.lot.recall.hold"].create({
                "recall_id": self.id, "lot_id": quant.lot_id.id,
                "location_id": quant.location_id.id, "qty": quant.quantity})

    @api.multi
    def action_hold(self):
        """Unreserve the affected stock on hand and move it to the quarantine location."""
        self.ensure_one()
        if self.state != "in_progress":
            raise UserError(_("Recall %(name)s is not in progress.") % {"name": self.name})
        self._compute_hold()
        lines = self.hold_line_ids.filtered(lambda line: line.state == "on_hand")
        self._lock_quants(lines.mapped("lot_id"))
        self._unreserve(lines)
        for line in lines:
            move = self._move_lot(line.lot_id, line.qty, line.location_id,
                                  self.quarantine_location_id)
            line.write({"state": "held", "hold_move_id": move.id})
        self.message_post(body=_("%(count)s stock lines moved to %(location)s.") % {
            "count": len(lines), "location": self.quarantine_location_id.display_name})
        return True

    @api.multi
    def action_release(self):
        """Move the held stock back to where each quant came from."""
        self.ensure_one()
        lines = self.hold_line_ids.filtered(lambda line: line.state == "held")
        if not lines:
            raise UserError(_("Recall %(name)s holds no stock.") % {"name": self.name})
        self._lock_quants(lines.mapped("lot_id"))
        for line in lines:
            move = self._move_lot(line.lot_id, line.qty, self.quarantine_location_id,
                                  line.location_id)
            line.write({"state": "released", "release_move_id": move.id})
        self.message_post(body=_("%(count)s stock lines released.") % {"count": len(lines)})
        return True

    @api.model
    def _lock_quants(self, lots):
        try:
            self.env.cr.execute("SELECT id FROM stock_quant WHERE lot_id IN %s "
                                "FOR UPDATE NOWAIT", (tuple(lots.ids) or (0,),))
        except psycopg2.OperationalError:
            raise UserError(_("Someone else is using these lots, try again."))

    @api.model
    def _unreserve(self, hold_lines):
        reserved = self.env["stock.move.line"].search([
            ("lot_id", "in", hold_lines.mapped("lot_id").ids),
            ("location_id", "in", hold_lines.mapped("location_id").ids),
            ("state", "not in", ("done", "cancel")), ("product_qty", ">", 0)])
        reserved.mapped("move_id")._do_unreserve()

    @api.multi
    def _move_lot(self, lot, qty, location, location_dest):
        product = lot.product_id
        move = self.env["stock.move"].create({
            "name": _("%(recall)s: %(lot)s") % {"recall": self.name, "lot": lot.name},
            "product_id": product.id, "product_uom": product.uom_id.id,
            "product_uom_qty": qty, "location_id": location.id,
            "location_dest_id": location_dest.id, "origin": self.name,
            "company_id": self.company_id.id,
        })
        move._action_confirm()
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create({
            "move_id": move.id, "product_id": product.id, "product_uom_id": product.uom_id.id,
            "lot_id": lot.id, "qty_done": qty, "location_id": location.id,
            "location_dest_id": location_dest.id})
        move._action_done()
        return move
