# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A recall: the evidence of one incident, computed from the genealogy engine when opened."""
from collections import OrderedDict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_is_zero, html_escape

from ..tools.internal_context import get_internal
from .base import MANAGER_GROUP
from .lot_traceability_fields import LinesOne2many
from .lot_traceability_input import check_arguments
from .stock_lot_bulk_writer import BulkUnsupported
from .stock_move import BULK_MIN_CONSUMED_LINES

#: Rows of evidence (affected lots, deliveries) read and written at a time by Open Recall.
PAGE = 10000
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
    scope_line_ids = LinesOne2many("stock.lot.recall.lot", "recall_id", "Affected lots",
                                   readonly=True)
    balance_line_ids = LinesOne2many(
        "stock.lot.recall.lot", "recall_id", "Mass balance", readonly=True,
        help="The affected lots again, with their ledger and quants.")
    hold_line_ids = LinesOne2many("stock.lot.recall.hold", "recall_id", "Stock on hold",
                                  readonly=True)
    customer_line_ids = LinesOne2many("stock.lot.recall.customer", "recall_id",
                                      "Customers", readonly=True)
    call_line_ids = LinesOne2many(
        "stock.lot.recall.call", "recall_id", "Call list", readonly=True,
        help="One row per customer who received affected lots, with what they received.")
    held_line_ids = LinesOne2many(
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
            affected = self.env["stock.lot.recall.lot"].search(
                [("recall_id", "=", recall.id), ("lot_id", "in", lot_ids)])
            for lot_id in set(lot_ids) & set(recall.lot_ids.ids
                                             + affected.mapped("lot_id").ids):
                status[lot_id] = {"recalled": True, "notice": recall.public_notice or "",
                                  "contact": contact}
        return status

    @api.multi
    @api.depends("scope_line_ids", "call_line_ids", "scope_line_ids.qty_difference")
    def _compute_counts(self):
        """Counted in the database: a wide recall has hundreds of thousands of lines."""
        Line, Call = self.env["stock.lot.recall.lot"], self.env["stock.lot.recall.call"]
        for recall in self:
            domain = [("recall_id", "=", recall.id)]
            recall.affected_lot_count = Line.search_count(domain)
            recall.customer_count = Call.search_count(domain)
            recall.balance_difference_count = Line._count_differences(domain)

    @api.multi
    @api.depends("hold_line_ids.state", "state")
    def _compute_hold_status(self):
        for recall in self:
            recall.held_count = self.env["stock.lot.recall.hold"].search_count(
                [("recall_id", "=", recall.id), ("state", "=", "held")])
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
        Customer = self.env["stock.lot.recall.customer"]
        for recall in self:
            recall.customer_qty_display = Customer._get_recall_net_display(recall.id)

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
        """Compute and store the scope with its mass balance, the customers and the stock: a
        constant number of queries whatever the number of lots (ledger over the set, lines
        written in bulk); from the ``recall_open`` threshold of affected lots on, in a
        background job."""
        self.ensure_one()
        self._check_traceability_access(manager=True)
        self._check_openable()
        # The affected lots (the origin lots and what was made from them), counted by the
        # walk alone before anything is read.
        size = self.env["stock.lot.trace"].count_lots(self.lot_ids.ids, "downstream")
        return self.env["lot.traceability.job"]._start(
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
        # In a job, its progress in affected lots: the scope's pages the first half, the
        # customers' pages most of the second (each page of PAGE rows reports).
        report = self.env["lot.traceability.job"].report_progress
        size = self._store_scope(progress=lambda stored: report(stored // 2))
        self._write_system({"date_scope": fields.Datetime.now()})
        self._store_customers(
            progress=lambda share: report(size // 2 + int(size * 0.45 * share)))
        self._write_system({"date_customers": fields.Datetime.now()})
        report(size * 19 // 20)
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
        return self._get_window_action("lot_traceability.stock_lot_fsma_export_action", context={
            "default_lot_codes": "\n".join(lots.mapped("name")),
            "default_include_linked": True,
            "default_date_from": self.env["stock.lot.tz"]._date_of(
                first.date or fields.Datetime.now(), tz),
        })

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
        # the walks' lots and depths only: the scope needs neither edges nor order
        for lot_id, depth in Trace._get_depths(self.lot_ids.ids, "downstream").items():
            scope[lot_id] = (depth, "origin" if depth == 0 else "downstream")
        if self.include_siblings:
            upstream = Trace._get_depths(self.lot_ids.ids, "upstream")
            ingredients = [lot_id for lot_id, depth in upstream.items() if depth > 0]
            for lot_id in ingredients:
                scope.setdefault(lot_id, (upstream[lot_id], "ingredient"))
            for lot_id, depth in Trace._get_depths(ingredients, "downstream").items():
                scope.setdefault(lot_id, (depth, "sibling"))
        return scope

    @api.multi
    def _store_scope(self, progress=None):
        """Store the affected lots with their mass balance (one ledger query for the set);
        ``progress(stored lots)`` after each page. Returns how many lots are affected."""
        scope = self._get_scope()
        self._delete_system_lines("stock.lot.recall.lot")
        recall = self._get_line_vals()
        stored = 0
        # a page at a time: the balances of 205,000 lots are never all in memory
        for balances in self.env["stock.lot.ledger"]._balances_pages(list(scope), PAGE):
            self._insert_system_lines("stock.lot.recall.lot", [
                dict(self._prepare_balance_vals(balance, recall),
                     depth=scope[balance["lot_id"]][0], reason=scope[balance["lot_id"]][1])
                for balance in balances])
            stored += len(balances)
            if progress:
                progress(stored)
        return len(scope)

    @api.multi
    def _get_affected_lot_ids(self):
        """The ids of the recall's affected lots, read as ids: the ORM would read (and
        prefetch) every column of every line to map them, a minute for 200,000 lines."""
        self.ensure_one()
        self.check_access_rule("read")
        self.env["stock.lot.recall.lot"].check_access_rights("read")
        self.env.cr.execute("SELECT lot_id FROM stock_lot_recall_lot WHERE recall_id = %s "
                            "ORDER BY id", (self.id,))
        return [row[0] for row in self.env.cr.fetchall()]

    @api.multi
    def _get_line_vals(self):
        """The values every line of the recall shares (read once: a wide recall writes
        hundreds of thousands of lines)."""
        self.ensure_one()
        return {"recall_id": self.id, "company_id": self.company_id.id}

    @api.multi
    def _prepare_balance_vals(self, balance, recall):
        """An affected lot's line from a row of ``stock.lot.ledger.balances``; ``recall``:
        :meth:`_get_line_vals`."""
        keys = ("lot_id", "product_id", "uom_id", "qty_in", "qty_consumed", "qty_shipped",
                "qty_scrapped", "qty_adjusted", "qty_ledger", "qty_on_hand", "qty_difference")
        return dict({key: balance[key] for key in keys}, **recall)

    @api.multi
    def _insert_system_lines(self, model_name, rows):
        """Write the lines the system computes (affected lots, customers, call list, stock
        on hand) in bulk through the sanctioned writer: the ORM would take one INSERT and
        several updates per line, and a wide recall has hundreds of thousands of them.
        ``rows`` give every stored field, related ones included. Returns the ids."""
        if not rows:
            return []
        self.env[model_name].check_access_rights("read")
        writer = self.env["stock.lot.bulk.writer"].sudo()
        ids = writer._insert(model_name, rows, writer._stored_computed(self.env[model_name]))
        self.invalidate_cache()
        return ids

    @api.multi
    def _delete_system_lines(self, model_name, domain=()):
        """Delete the recall's lines of ``model_name`` (those matching ``domain``) that the
        system computed, with the bulk writer's one statement (its ``_delete``: the ORM's
        unlink would recompute the deleted lines' own related fields, reading every lot it
        has prefetched: 1.4 s and 110 MB before Hold Stock of a wide recall)."""
        self.ensure_one()
        self.env[model_name].check_access_rights("read")
        self.env["stock.lot.bulk.writer"].sudo()._delete(self.env[model_name].sudo().search(
            [("recall_id", "=", self.id)] + list(domain)))
        self.invalidate_cache()

    # --- customers ---------------------------------------------------------------------
    @api.multi
    def _store_customers(self, progress=None):
        """Store the deliveries of affected lots, then the call list: one entry per customer
        (commercial partner) holding its deliveries. The call list is made from one
        statement summing the deliveries per customer; then the deliveries are read a page
        at a time (one ledger query for the whole set) to write the lines under it: the
        200,000 of a wide recall are never all in memory. ``progress(share)`` after each
        page, the share of the deliveries written (0 to 1)."""
        self._delete_system_lines("stock.lot.recall.customer")
        self._delete_system_lines("stock.lot.recall.call")
        lot_ids = self._get_affected_lot_ids()
        if not lot_ids:
            return
        Call, ledger = self.env["stock.lot.recall.call"], self.env["stock.lot.ledger"]
        # per customer, first delivered first
        summaries = OrderedDict((row["partner_id"], row)
                                for row in ledger._get_customer_summaries(lot_ids))
        contact_ids = {contact_id for row in summaries.values()
                       for contact_id in row["contact_ids"]}
        # One recordset for every partner: each field is read once for all of them, and
        # only the fields the call list shows (every column of 5,000 customers: 4 s).
        partners = {partner.id: partner for partner in self.env["res.partner"].with_context(
            prefetch_fields=False).browse([partner_id for partner_id in set(summaries)
                                           | contact_ids if partner_id])}
        partners[None] = self.env["res.partner"]
        contacts = self._get_contacts(contact_ids, partners)
        call_ids = self._insert_system_lines("stock.lot.recall.call", [
            Call._prepare_call_vals(self, partners[partner_id], summary, partners, contacts)
            for partner_id, summary in summaries.items()])
        call_of = dict(zip(summaries, call_ids))
        recall = self._get_line_vals()
        total = sum(row["line_count"] for row in summaries.values()) or 1
        written = 0
        for ships in ledger._deliveries_pages(lot_ids, PAGE):
            self._insert_system_lines("stock.lot.recall.customer", [
                dict(self._prepare_customer_vals(ship, contacts, recall),
                     call_id=call_of[ship["partner_id"]]) for ship in ships])
            written += len(ships)
            if progress:
                progress(min(written / total, 1.0))

    @api.multi
    def _get_contacts(self, contact_ids, partners):
        """Per contact id of the deliveries: ``{address, email, phone}``; per customer id,
        its ``address`` (the call list's), each field read once for them all."""
        contacts = self.env["res.partner"].browse(
            {contact_id for contact_id in contact_ids if contact_id}).with_context(
            prefetch_fields=False)
        people = contacts | self.env["res.partner"].browse(
            [partner_id for partner_id in partners if partner_id])
        addresses = people._get_display_addresses()
        found = {partner_id: {"address": address} for partner_id, address in addresses.items()}
        found.update((contact.id, {"address": addresses[contact.id],
                                   "email": contact.email or False,
                                   "phone": contact.phone or False}) for contact in contacts)
        return found

    @api.multi
    def _prepare_customer_vals(self, ship, contacts, recall):
        """A customer line from a row of ``stock.lot.ledger.deliveries``; ``recall``:
        :meth:`_get_line_vals`."""
        contact = contacts.get(ship["contact_id"], {"address": "", "email": False,
                                                    "phone": False})
        vals = dict(contact, **recall)
        vals.update((key, ship[key]) for key in (
            "lot_id", "product_id", "uom_id", "picking_id", "partner_id", "contact_id", "date",
            "qty", "returned_qty", "net_qty"))
        return vals

    # --- hold and release -----------------------------------------------------------------
    # System lines (hold, affected lots, customers) are read-only to every user: the recall
    # writes them with sudo() once its action has checked the user's rights.
    @api.multi
    def _get_on_hand(self):
        """Rows ``{lot_id, product_id, location_id, qty}`` of the affected stock on hand
        outside quarantine, per lot and location (one ledger query for the set)."""
        lot_ids = self._get_affected_lot_ids()
        quarantine = self.quarantine_location_id.id
        rows = self.env["stock.lot.ledger"].stock(lot_ids) if lot_ids else []
        return [row for row in rows if row["location_id"] != quarantine and float_compare(
            row["qty"], 0.0, precision_digits=self._get_qty_digits()) > 0]

    @api.model
    def _get_qty_digits(self):
        return self.env["decimal.precision"].precision_get("Product Unit of Measure")

    @api.multi
    def _store_hold(self):
        """Stock of affected lots on hand, per lot and location (what a hold would move)."""
        self._delete_system_lines("stock.lot.recall.hold", [("state", "=", "on_hand")])
        self._insert_system_lines("stock.lot.recall.hold", [{
            "recall_id": self.id, "company_id": self.company_id.id, "lot_id": row["lot_id"],
            "product_id": row["product_id"], "uom_id": row["uom_id"],
            "location_id": row["location_id"], "qty": row["qty"], "state": "on_hand",
        } for row in self._get_on_hand()])

    @api.multi
    @check_arguments()
    def action_hold(self):
        """Lock the affected lots, unreserve them, and move what is on hand to quarantine:
        one move per product and location, all or nothing (:meth:`_hold`); from the
        ``recall_hold`` threshold of affected lots on, in a background job."""
        self.ensure_one()
        self._check_traceability_access()
        self._check_in_progress()
        return self._start_stock_job("_hold", _("Hold stock of recall %(name)s (%(count)d lots)"))

    @api.multi
    def _start_stock_job(self, method, title):
        """Hold or Release Stock (``method``) now, or as a job from the ``recall_hold``
        threshold of affected lots; ``title``: the job's name, of the recall and its count."""
        return self.env["lot.traceability.job"]._start(
            self, method, "recall_hold", self.affected_lot_count,
            title % {"name": self.name, "count": self.affected_lot_count})

    @api.multi
    def _hold(self):
        """The work of :meth:`action_hold`, checked again (a job runs it later)."""
        self.ensure_one()
        self._check_traceability_access()
        self._check_in_progress()
        lots = self.env["stock.production.lot"].browse(self._get_affected_lot_ids())
        self.env["stock.quant"]._lock_lots(lots)
        self._unreserve(lots)
        self._store_hold()
        lines = self.env["stock.lot.recall.hold"].search(
            [("recall_id", "=", self.id), ("state", "=", "on_hand")], order="id")
        quarantine = self.quarantine_location_id
        ids, groups = OrderedDict(), OrderedDict()  # ids: a union per line copies the group
        for line in lines:
            key = (line.product_id, line.location_id, quarantine)
            ids.setdefault(key, []).append(line.id)
            groups.setdefault(key, []).append((line.lot_id, line.qty))
        for key, move in self._recall_moves(groups, self._report_moves_progress).items():
            lines.browse(ids[key]).sudo().write({"state": "held", "hold_move_id": move.id})
        self.message_post(body=_("%(count)s stock lines moved to %(location)s.") % {
            "count": len(lines), "location": quarantine.display_name})
        return True

    @api.multi
    def _report_moves_progress(self, share):
        """In a job, the stock's part of Hold or Release Stock: the first half of its
        progress (the lots' states are the second)."""
        self.env["lot.traceability.job"].report_progress(
            int(self.affected_lot_count // 2 * share))

    @api.multi
    def _recall_moves(self, groups, progress=None):
        """``{(product, source, destination): its done move}`` taking each group's
        ``[(lot, quantity)]`` from the source location itself (under the lots' lock: the
        caller holds it): through the sanctioned bulk writer from ``BULK_MIN_CONSUMED_LINES``
        lots where it equals the ORM (a few statements per group, where the ORM takes some 25
        queries per lot), else one ORM move per group. The writer refuses (and the ORM path
        then says what is missing) wherever the stock is not exactly one free quant per lot
        and location. Context ``lot_transform_bulk`` forces (True) or forbids (False) the
        bulk path, ``lot_transform_bulk_strict`` raises BulkUnsupported instead of the ORM's.
        ``progress``: called with the share of the lots moved (0 to 1) after each group."""
        forced = get_internal(self.env.context, "lot_transform_bulk")
        count = sum(len(items) for items in groups.values())
        moved = 0

        def report(items):
            nonlocal moved
            moved += len(items)
            if progress:
                progress(moved / count)
        if forced or (forced is None and count >= BULK_MIN_CONSUMED_LINES):
            try:
                with self.env.cr.savepoint():
                    return self._recall_moves_bulk(groups, report)
            except BulkUnsupported:  # the savepoint undid the attempt: forget its records
                self.env.cache.invalidate()
                moved = 0
                if get_internal(self.env.context, "lot_transform_bulk_strict"):
                    raise
        moves = OrderedDict()
        for key, items in groups.items():
            moves[key] = self._move_lots(key, items)
            report(items)
        return moves

    @api.multi
    def _recall_moves_bulk(self, groups, report):
        """The bulk path of :meth:`_recall_moves`: each lot taken from the one quant that
        holds it in the group's source (``report``: called with each group's items once
        moved)."""
        Quant, writer = self.env["stock.quant"], self.env["stock.lot.bulk.writer"]
        moves = OrderedDict()
        for (product, source, dest), items in groups.items():
            rows = [{"product": product, "lot": lot, "qty": qty, "location": source,
                     "line_location": source, "location_dest": dest,
                     "package": Quant.package_id, "owner": Quant.owner_id}
                    for lot, qty in items]
            lines = writer._write_done_moves(self._prepare_recall_move_vals(product),
                                             [((product, source, dest), rows)])
            moves[product, source, dest] = lines.mapped("move_id")
            report(items)
        return moves

    @api.multi
    def _prepare_recall_move_vals(self, product):
        name = _("%(recall)s: %(product)s") % {"recall": self.name,
                                               "product": product.display_name}
        return {"name": name, "origin": self.name, "company_id": self.company_id.id}

    @api.multi
    def _move_lots(self, key, items):
        """The ORM path of :meth:`_recall_moves`: one move of the group ``key``."""
        (product, source, dest), rows, missing = key, [], []
        for lot, qty in items:
            found, lacking = self.env["stock.quant"]._allocate(product, lot, source, qty,
                                                               exact=True)
            rows += [dict(row, lot=lot) for row in found]
            if lacking:
                missing.append(_("%(lot)s: %(missing)s %(uom)s") % {
                    "lot": lot.name, "missing": lacking, "uom": product.uom_id.name})
        if missing:
            raise UserError(_("Missing in %(location)s: %(lots)s.") % {
                "location": source.display_name, "lots": "; ".join(missing)})
        move = self.env["stock.move"].create(dict(
            self._prepare_recall_move_vals(product), product_id=product.id,
            product_uom=product.uom_id.id, product_uom_qty=sum(qty for _lot, qty in items),
            location_id=source.id, location_dest_id=dest.id))
        move._action_confirm()
        move._write_lot_lines([dict(row, move=move) for row in rows])
        move._action_done()
        return move

    @api.multi
    @check_arguments(access="manager")
    def action_release(self):
        """Move back what is still held in quarantine (one move per product and place, as the
        hold made them); say what moved elsewhere (:meth:`_release`). A Traceability
        manager's decision, as releasing a lot on hold is. From the ``recall_hold``
        threshold of affected lots on, in a background job."""
        self.ensure_one()
        self._check_traceability_access(manager=True)
        self._check_in_progress()
        self._check_holds_stock()
        return self._start_stock_job("_release",
                                     _("Release stock of recall %(name)s (%(count)d lots)"))

    @api.multi
    def _check_holds_stock(self):
        if not self.env["stock.lot.recall.hold"].search_count(
                [("recall_id", "=", self.id), ("state", "=", "held")]):
            raise UserError(_("Recall %(name)s holds no stock.") % {"name": self.name})

    @api.multi
    def _release(self):
        """The work of :meth:`action_release`, checked again (a job runs it later)."""
        self.ensure_one()
        self._check_traceability_access(manager=True)
        self._check_in_progress()
        self._check_holds_stock()
        lines = self.hold_line_ids.filtered(lambda line: line.state == "held")
        self.env["stock.quant"]._lock_lots(lines.mapped("lot_id"))
        groups, written, notes = OrderedDict(), OrderedDict(), []
        free = self._get_free_in_quarantine(lines)
        for line in lines:
            quarantine, qty, note = self._get_release(line, free)
            notes += [note] if note else []
            key = (line.product_id, quarantine, line.location_id)
            moved = float_compare(qty, 0.0, precision_rounding=line.uom_id.rounding) > 0
            if moved:
                groups.setdefault(key, []).append((line.lot_id, qty))
            written.setdefault((key, qty, moved), []).append(line.id)
        moves = self._recall_moves(groups, self._report_moves_progress)
        for (key, qty, moved), line_ids in written.items():  # one write per move and quantity
            lines.browse(line_ids).sudo().write({
                "state": "released", "qty_released": qty,
                "release_move_id": moves[key].id if moved else False})
        self.message_post(body=_("%(count)s stock lines released.%(notes)s") % {
            "count": len(lines), "notes": "".join("<br/>" + html_escape(note)
                                                  for note in notes)})
        return True

    @api.multi
    def _get_free_in_quarantine(self, lines):
        """``{(lot id, location id): free quantity}`` of the hold lines' lots in internal
        locations (quarantine among them): one ledger query for the set, where
        ``stock.quant._allocate`` took three queries per line."""
        return {(row["lot_id"], row["location_id"]): max(row["qty"] - row["reserved"], 0.0)
                for row in self.env["stock.lot.ledger"].stock(lines.mapped("lot_id").ids)}

    @api.multi
    def _get_release(self, line, free):
        """``(quarantine, quantity, note)``: where ``line`` is held, what is left of it there,
        and a note when some of it is gone. ``free``: :meth:`_get_free_in_quarantine`, less
        what the lines before took (two lines of one lot share its quarantine stock)."""
        quarantine = line.hold_move_id.location_dest_id or self.quarantine_location_id
        lot, uom = line.lot_id, line.lot_id.product_id.uom_id
        found = min(line.qty, free.get((lot.id, quarantine.id), 0.0))
        free[lot.id, quarantine.id] = free.get((lot.id, quarantine.id), 0.0) - found
        missing = line.qty - found
        if float_is_zero(missing, precision_rounding=uom.rounding):
            missing = 0.0
        qty = line.qty - missing
        if not missing:
            return quarantine, qty, None
        return quarantine, qty, _(
            "%(lot)s: %(missing)s %(uom)s of %(held)s %(uom)s are no longer in "
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
