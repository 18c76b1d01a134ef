# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.tools import html_escape


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

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
                "up_tree": self._render_trace_tree(details["made_from"], upstream=True),
                "down_tree": self._render_trace_tree(details["used_in"], upstream=False),
            })
            lot.trace_html = html.decode() if isinstance(html, bytes) else html

    @api.model
    def _render_trace_tree(self, tree, upstream):
        """Nested ``<details>`` of a trace: each lot unfolds once, where it is nearest."""
        lots = {row["id"]: row for row in tree["lots"]}
        children = {}
        for edge in tree["edges"]:
            children.setdefault(edge["from_lot_id"], []).append(edge)
        roots = [row for row in tree["lots"] if row["depth"] == 0]
        expanded = set()
        return "".join(self._render_trace_node(row, None, lots, children, expanded, upstream)
                       for row in roots)

    @api.model
    def _render_trace_node(self, row, edge, lots, children, expanded, upstream):
        label = "<b>%s</b> %s" % (html_escape(row["name"]), html_escape(row["product"]))
        if edge and edge["date"]:
            label += " <small>%s</small>" % html_escape(edge["date"])
        for receipt in row.get("receipts", []):
            label += " <small class='text-muted'>%s</small>" % html_escape(
                _("received from %(supplier)s on %(date)s (%(document)s)") % receipt)
        depth = edge["depth"] if edge else 0
        if row["id"] in expanded or depth != row["depth"] or not children.get(row["id"]):
            note = " <small>%s</small>" % _("(see above)") if row["id"] in expanded else ""
            return "<div class='o_lot_trace_leaf'>%s%s</div>" % (label, note)
        expanded.add(row["id"])
        inner = "".join(self._render_trace_node(lots[e["to_lot_id"]], e, lots, children,
                                                expanded, upstream)
                        for e in children[row["id"]])
        return ("<details open='open' class='o_lot_trace_node'><summary>%s</summary>"
                "<div style='margin-left:1.5em'>%s</div></details>" % (label, inner))

    # --- buttons -----------------------------------------------------------------------
    @api.multi
    def action_open_upstream(self):
        """The lots this lot was made from, at every level."""
        return self._get_trace_action("upstream", _("Made from %(lot)s"))

    @api.multi
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
            _("Split %(batch)s") % {"batch": self.name}, parent_lot=self,
            in_use_message=_("Batch %(batch)s is in use by someone else: try again in a "
                             "moment.") % {"batch": self.name})
        return result["produced_lots"]

    @api.multi
    def action_split_into_units(self):
        """Open Split Into Units on this batch."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Split Into Units"),
            "res_model": "stock.lot.split",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_id": self.id},
        }
