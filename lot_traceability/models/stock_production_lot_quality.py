# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A lot's quality state: released, on hold or rejected, with why, who and when.

The state is the lot's, not its stock's: every quant of a lot on hold is held wherever it is
and whenever it arrives (a return, a late receipt). Two rules read it, each in one place:
reservation (``stock.quant``/``stock.move``: a held lot's quants are never reserved) and
``stock.move.line._action_done`` (a held lot leaves internal locations only for scrap or
its vendor). The state changes only through the actions below, which post to the chatter.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html_escape

from ..tools import inputs
from .lot_traceability_input import check_arguments, named_first

#: Quality states whose stock nothing reserves or ships.
BLOCKED_STATES = ("hold", "rejected")


def Reason(env, name, value):
    """A reason: a text of at most 2000 characters (empty or None: none given)."""
    if value is None or value is False:
        return ""
    return inputs.clean_text(value, name, multiline=True, max_length=inputs.MAX_SCAN_LENGTH)


QUALITY_FIELDS = ("quality_state", "quality_reason", "quality_user_id", "quality_date",
                  "quality_recall_id")
#: Where a lot comes from, set by the actions that make it: the batch a unit was split from
#: (Split Into Units), a partner's lot known from an EPCIS document (its import). A user who
#: wrote them would forge the genealogy (a lot its own parent, our lot shown as a partner's).
ORIGIN_FIELDS = ("parent_lot_id", "epcis_external", "epcis_partner_id", "epcis_event_id")


class StockProductionLot(models.Model):
    _name = "stock.production.lot"
    _inherit = ["lot.traceability.system.write", "stock.production.lot"]
    _system_fields = QUALITY_FIELDS + ORIGIN_FIELDS

    quality_state = fields.Selection(
        [("released", "Released"), ("hold", "On hold"), ("rejected", "Rejected")],
        "Quality state", default="released", required=True, readonly=True, copy=False,
        index=True, help="On hold or rejected: no reservation takes the lot's stock and no "
                         "transfer ships it; only scrap, a return to the vendor or a move "
                         "between internal locations (quarantine) may move it.")
    quality_reason = fields.Text("Quality reason", readonly=True, copy=False)
    quality_user_id = fields.Many2one("res.users", "Quality state set by", readonly=True,
                                      copy=False)
    quality_date = fields.Datetime("Quality state since", readonly=True, copy=False)
    quality_recall_id = fields.Many2one(
        "stock.lot.recall", "Held by recall", readonly=True, copy=False,
        help="The recall whose Hold Stock put the lot on hold; its Release clears it.")
    is_blocked = fields.Boolean("Blocked", compute="_compute_is_blocked",
                                search="_search_is_blocked")

    @api.multi
    @api.depends("quality_state")
    def _compute_is_blocked(self):
        for lot in self:
            lot.is_blocked = lot.quality_state in BLOCKED_STATES

    @api.model
    def _search_is_blocked(self, operator, value):
        blocked = self._clean_boolean_search("is_blocked", operator, value)
        return [("quality_state", "in" if blocked else "not in", BLOCKED_STATES)]

    # --- actions -------------------------------------------------------------------------
    @api.multi
    @check_arguments(reason=Reason)
    def action_quality_hold(self, reason):
        """Put the lots on hold: nothing reserves or ships their stock until released."""
        return self._set_quality_state("hold", reason)

    @api.multi
    @check_arguments(access="manager", reason=Reason)
    def action_quality_reject(self, reason):
        """Reject the lots: held for good, until a manager releases them."""
        return self._set_quality_state("rejected", reason)

    @api.multi
    @check_arguments(access="manager", reason=Reason)
    def action_quality_release(self, reason=None):
        """Release the lots: their stock is available again."""
        return self._set_quality_state("released", reason or "")

    @api.multi
    def _set_quality_state(self, state, reason, recall=None, progress=None):
        """THE way a lot's quality state changes: written by the system, posted to each
        lot's chatter. ``recall``: the recall holding (or releasing) the lots;
        ``progress``: called with the share of the lots' notes posted (0 to 1)."""
        if state != "released" and not (reason or "").strip():
            raise UserError(_("reason: say why the lots %(lots)s are put on hold or "
                              "rejected.") % {"lots": named_first(self.mapped("name"))})
        self._write_system({
            "quality_state": state, "quality_reason": reason or False,
            "quality_user_id": self.env.uid, "quality_date": fields.Datetime.now(),
            "quality_recall_id": recall.id if recall and state != "released" else False})
        label = dict(self._fields["quality_state"]._description_selection(self.env))[state]
        self.env["stock.lot.bulk.writer"]._post_notes(self, _(
            "Quality state: %(state)s.%(reason)s") % {
                "state": html_escape(label),
                "reason": "<br/>" + html_escape(reason) if reason else ""}, progress)
        return True

    @api.multi
    def _get_quality_refusal(self):
        """Why this (blocked) lot's stock cannot go: the lot, its state, the reason, who and
        when."""
        self.ensure_one()
        label = dict(self._fields["quality_state"]._description_selection(self.env))
        return _("Lot %(lot)s is %(state)s (%(reason)s; %(user)s, %(date)s)") % {
            "lot": self.name, "state": label[self.quality_state].lower(),
            "reason": self.quality_reason or _("no reason given"),
            "user": self.quality_user_id.name or "", "date": self.quality_date or ""}
