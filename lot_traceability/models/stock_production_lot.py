# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.tools import html_escape

TREE_NODE_LIMIT = 500  # beyond this the page points to the Made From / Used In lists


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
