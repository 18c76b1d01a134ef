# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The lot's traceability page as data: what it was made from, what was made from it, where
every lot made from it went, what is still on hand, and the lot's own history.

Read only from the two services: the walk (``stock.lot.trace``, summed up for a page by
``_get_summary``: the first lots, every id, each lot's parent, without a dict per lot) and
the ledger (``stock.lot.ledger``), a fixed number of queries whatever the number of lots.
Big fans are summarised here, on the server, so the answer stays small (a batch split into
200,000 units answers with a few kilobytes); the lists one click away hold every row.
Dates are UTC strings; the QWeb template shows them in the user's format and time zone.
"""
from odoo import _, api, models
from odoo.exceptions import UserError

TREE_NODE_LIMIT = 500  # lots drawn per tree; past that the page says how many there are
ROW_LIMIT = 20  # deliveries listed one by one up to this; beyond, per customer and product
UNIT_ROW_LIMIT = 10  # units of one product listed one by one up to this; beyond, counted
UNIT_DETAIL_LIMIT = 200  # per-unit status is read when the lot has at most this many
GROUP_LIMIT = 100  # customer x product groups sent
HISTORY_LIMIT = 100  # the lot's own first moves listed; all of them in Movement History


class StockLotPage(models.AbstractModel):
    _name = "stock.lot.page"
    _description = "Lot traceability page"

    @api.model
    def get_details(self, lot_id):
        """Everything the lot's page shows, as JSON-serialisable data (dates in UTC).

        ``lot``; ``made_from`` / ``used_in``: the upstream / downstream trace as ``count``,
        ``lots`` (at most 500, each with its depth; upstream lots with their ``receipts``),
        ``edges`` between them and the nested ``tree`` the page draws; ``downstream``: the
        deliveries of the lot and of every lot made from it (``rows`` one by one when few,
        always ``by_customer`` per customer, product and unit, each with the ``path`` from
        this lot to a lot shipped); ``units``: the lots made from it per product, with how
        many are shipped and in stock (and each unit when few); ``shipped_to``,
        ``in_stock``, ``history``: the lot's own deliveries, stock and first moves (all of
        them counted in ``history_count``; a batch used in 5,000 builds has 5,001).
        """
        lot = self._get_lot(lot_id)  # lot_id: an int, checked
        trace, ledger = self.env["stock.lot.trace"], self.env["stock.lot.ledger"]
        # the walks summed up on the server: the first lots, every id, the parents
        upstream = trace._get_summary(lot.ids, "upstream", TREE_NODE_LIMIT)
        downstream = trace._get_summary(lot.ids, "downstream", TREE_NODE_LIMIT)
        # compared with the plain int, not lot.id: a field read per id costs 0.45 s for 205,000
        made_ids = [made for made in downstream["lot_ids"] if made != lot_id]
        # deliveries per customer of the whole fan and its units per product: one read of
        # the deliveries for both
        by_customer, by_product = ledger._get_fan_totals(downstream["lot_ids"], made_ids)
        return {
            "lot": self._prepare_lot_data(lot),
            "made_from": self._get_tree(upstream, with_receipts=True),
            "used_in": self._get_tree(downstream),
            "downstream": self._get_downstream(downstream, by_customer),
            "units": self._get_units(made_ids, by_product),
            "shipped_to": ledger.deliveries(lot.ids),
            "in_stock": ledger.stock(lot.ids),
            "history": ledger.history(lot.ids, limit=HISTORY_LIMIT),
            "history_count": self.env["stock.move.line"].search_count(
                [("lot_id", "=", lot.id), ("state", "=", "done")]),
            "tz": self.env["stock.lot.tz"]._get_user_tz(),
        }

    @api.model
    def _get_lot(self, lot_id):
        if isinstance(lot_id, bool) or not isinstance(lot_id, int):
            raise UserError(_("lot_id must be the id of a lot, not %(value)r.") % {
                "value": lot_id})
        lot = self.env["stock.production.lot"].browse(lot_id).exists()
        if not lot:
            raise UserError(_("Lot %(lot_id)s does not exist.") % {"lot_id": lot_id})
        lot.check_access_rights("read")
        lot.check_access_rule("read")
        return lot

    @api.model
    def _prepare_lot_data(self, lot):
        return {"id": lot.id, "name": lot.name, "product_id": lot.product_id.id,
                "product": lot.product_id.display_name, "uom": lot.product_id.uom_id.name,
                "tracking": lot.product_id.tracking, "external": self._get_external(lot)}

    @api.model
    def _get_external(self, lot):
        """A partner's lot known from EPCIS: its company, document and event; else False."""
        if not lot.epcis_external:
            return False
        event = lot.sudo().epcis_event_id
        return {"partner": lot.sudo().epcis_partner_id.display_name or "",
                "document": event.document_id.name or "", "event": event.event_id or ""}

    @api.model
    def _get_names(self, lot_ids):
        """Per lot id: its data for the page. Two columns of the lots are read, then each
        product once: prefetching every column of 500 lots took seconds."""
        rows = self.env["stock.production.lot"].browse(lot_ids).with_context(
            prefetch_fields=False).read(["name", "product_id", "epcis_external"],
                                        load="_classic_write")
        products = self.env["product.product"].browse({row["product_id"] for row in rows})
        by_product = {product.id: {"product_id": product.id,
                                   "product": product.display_name,
                                   "uom": product.uom_id.name, "tracking": product.tracking}
                      for product in products}
        Lot = self.env["stock.production.lot"]
        return {row["id"]: dict(by_product[row["product_id"]], id=row["id"], name=row["name"],
                                external=row["epcis_external"]
                                and self._get_external(Lot.browse(row["id"])))
                for row in rows}

    # --- the trees -----------------------------------------------------------------------
    @api.model
    def _get_tree(self, summary, with_receipts=False):
        """The tree of a walk's summary (``stock.lot.trace._get_summary``): its first lots
        and the edges between them."""
        shown = summary["lots"]
        shown_ids = [row["lot_id"] for row in shown]
        names = self._get_names(shown_ids)
        receipts = {}
        if with_receipts:
            for receipt in self.env["stock.lot.ledger"].receipts(shown_ids):
                receipts.setdefault(receipt["lot_id"], []).append(receipt)
        lots = [dict(names[row["lot_id"]], depth=row["depth"],
                     receipts=receipts.get(row["lot_id"], [])) for row in shown]
        edges = summary["edges"]
        return {"count": summary["count"], "lots": lots, "edges": edges,
                "truncated": summary["count"] > len(shown),
                "tree": self._build_tree(lots, edges)}

    @api.model
    def _build_tree(self, lots, edges):
        """Nested nodes of a trace: each lot unfolds once, where it is nearest (at its own
        depth); elsewhere it is a leaf marked ``seen``."""
        by_id = {row["id"]: row for row in lots}
        children = {}
        for edge in edges:
            children.setdefault(edge["from_lot_id"], []).append(edge)
        expanded = set()

        def node(row, edge):
            depth = edge["depth"] if edge else 0
            data = {"lot_id": row["id"], "name": row["name"], "product": row["product"],
                    "date": edge["date"] if edge else False, "receipts": row["receipts"],
                    "external": row.get("external") or False,
                    "seen": row["id"] in expanded, "children": []}
            if data["seen"] or depth != row["depth"]:
                return data
            expanded.add(row["id"])
            data["children"] = [node(by_id[e["to_lot_id"]], e)
                                for e in children.get(row["id"], [])]
            return data
        return [node(row, None) for row in lots if row["depth"] == 0]

    # --- where it went -------------------------------------------------------------------
    @api.model
    def _get_paths(self, summary, lot_ids):
        """Per lot id of ``lot_ids``: the names of the lots from the start lot to it."""
        parents = summary["parents"]
        chains = {}
        for lot_id in set(lot_ids):
            chain = [lot_id]
            while chain[-1] in parents and len(chain) <= len(parents):
                chain.append(parents[chain[-1]])
            chains[lot_id] = chain[::-1]
        names = self._get_names(list({i for chain in chains.values() for i in chain}))
        return {lot_id: [names[i]["name"] for i in chain] for lot_id, chain in chains.items()}

    @api.model
    def _get_downstream(self, summary, totals):
        """Deliveries of every lot of the downstream trace (``totals``: theirs per customer
        and product), with the path to each."""
        ledger = self.env["stock.lot.ledger"]
        lot_ids = summary["lot_ids"]
        line_count = sum(row["line_count"] for row in totals)
        rows = ledger.deliveries(lot_ids, limit=ROW_LIMIT) if line_count <= ROW_LIMIT else []
        groups = totals[:GROUP_LIMIT]
        paths = self._get_paths(summary, [row["lot_id"] for row in rows]
                                + [row["first_lot_id"] for row in groups])
        products = {product.id: product.display_name for product in
                    self.env["product.product"].browse({row["product_id"] for row in groups})}
        for row in rows:
            row["path"] = paths[row["lot_id"]]
        for row in groups:
            row.update(path=paths[row["first_lot_id"]], product=products[row["product_id"]])
        return {"count": line_count, "rows": rows, "summarised": line_count > ROW_LIMIT,
                "by_customer": groups, "group_count": len(totals),
                "customers": sorted({row["customer"] or _("(no customer)")
                                     for row in totals})[:GROUP_LIMIT]}

    @api.model
    def _get_units(self, lot_ids, groups):
        """The lots made from this one (``groups``: their totals per product): counts
        shipped / in stock, and each unit's state when a product has few of them."""
        ledger = self.env["stock.lot.ledger"]
        per_lot = ledger.lot_totals(lot_ids) if 0 < len(lot_ids) <= UNIT_DETAIL_LIMIT else []
        products = {product.id: product.display_name for product in
                    self.env["product.product"].browse([row["product_id"] for row in groups])}
        for group in groups:
            group["product"] = products[group["product_id"]]
            units = [dict(row, state=self._get_unit_state(row)) for row in per_lot
                     if row["product_id"] == group["product_id"]]
            group["units"] = units if len(units) <= UNIT_ROW_LIMIT else []
        return groups

    @api.model
    def _get_unit_state(self, row):
        states = []
        if row["shipped"] > 0:
            states.append(_("shipped"))
        if row["on_hand"] > 0:
            states.append(_("in stock"))
        return ", ".join(states) or _("used or gone")
