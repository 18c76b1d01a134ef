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
import babel
import babel.dates
import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round, posix_to_ldml

TREE_NODE_LIMIT = 500  # lots drawn per tree; past that the page says how many there are
ROW_LIMIT = 20  # deliveries listed one by one up to this; beyond, per customer and product
UNIT_ROW_LIMIT = 10  # units of one product listed one by one up to this; beyond, counted
UNIT_DETAIL_LIMIT = 200  # per-unit status is read when the lot has at most this many
GROUP_LIMIT = 100  # customer x product groups sent
HISTORY_LIMIT = 100  # the lot's own first moves listed; all of them in Movement History


class PageFormat(object):
    """How the page writes dates and quantities: as QWeb's ``datetime`` widget without
    seconds and its ``float`` widget with the unit's precision write them, in the language
    of the context and the screens' time zone (``stock.lot.tz._get_user_tz``: the
    context's, else the user's, else the company's). The widgets look up the language, its
    pattern and the time zone for each value; a page shows hundreds of values, so they
    are looked up here once (15 ms of a 70 ms page)."""

    def __init__(self, env, qty_digits):
        self.lang = env["ir.qweb.field.datetime"].user_lang()
        self.locale = babel.Locale.parse(self.lang.code)
        pattern = posix_to_ldml("%s %s" % (self.lang.date_format, self.lang.time_format),
                                locale=self.locale)
        self.pattern = pattern.replace(":ss", "").replace(":s", "")
        self.tz = pytz.timezone(env["stock.lot.tz"]._get_user_tz())
        self.qty_digits = qty_digits
        self.qty_pattern = "%.{digits}f".format(digits=qty_digits)

    def datetime(self, value):
        """A UTC datetime (or its string), in the zone and the language's format."""
        if not value:
            return ""
        if isinstance(value, str):
            value = fields.Datetime.from_string(value)
        value = pytz.utc.localize(value, is_dst=False).astimezone(self.tz)
        return babel.dates.format_datetime(value, format=self.pattern, locale=self.locale)

    def qty(self, value):
        """A quantity, rounded to the unit's precision, with the language's separators."""
        value = float_round(value, precision_digits=self.qty_digits)
        return self.lang.format(self.qty_pattern, value, grouping=True).replace(
            "-", "-\N{ZERO WIDTH NO-BREAK SPACE}")


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
        # every lot and product the page names, each read once for the whole page
        names = self._get_names(
            [lot_id] + [row["lot_id"] for row in upstream["lots"] + downstream["lots"]],
            [row["product_id"] for row in by_customer[:GROUP_LIMIT] + by_product])
        return {
            "lot": self._prepare_lot_data(lot, names),
            "made_from": self._get_tree(upstream, names, with_receipts=True),
            "used_in": self._get_tree(downstream, names),
            "downstream": self._get_downstream(downstream, by_customer, names),
            "units": self._get_units(made_ids, by_product, names),
            "shipped_to": ledger.deliveries(lot.ids),
            "in_stock": ledger.stock(lot.ids),
            "history": ledger.history(lot.ids, limit=HISTORY_LIMIT),
            "history_count": self.env["stock.move.line"].search_count(
                [("lot_id", "=", lot.id), ("state", "=", "done")]),
            "tz": self.env["stock.lot.tz"]._get_user_tz(),
        }

    @api.model
    def _get_format(self):
        """The page's :class:`PageFormat`, for this environment's language and zone."""
        return PageFormat(self.env, self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"))

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
    def _prepare_lot_data(self, lot, names):
        return dict(names["lots"][lot.id])

    @api.model
    def _get_external(self, lot):
        """A partner's lot known from EPCIS: its company, document and event; else False."""
        if not lot.epcis_external:
            return False
        event = lot.sudo().epcis_event_id
        return {"partner": lot.sudo().epcis_partner_id.display_name or "",
                "document": event.document_id.name or "", "event": event.event_id or ""}

    @api.model
    def _get_names(self, lot_ids, product_ids=()):
        """What the page shows of lots and products, each read once for the whole page:
        ``{"lots": {lot id: {id, name, product_id, product, uom, tracking, external}},
        "products": {product id: {product_id, product, uom, tracking}}}`` for ``lot_ids``,
        their products and ``product_ids``. Three columns of the lots are read (prefetching
        every column of 500 lots took seconds), then the products' names at once: a name
        is a ``name_get``, a few milliseconds each time it is asked for."""
        rows = self.env["stock.production.lot"].browse(list(set(lot_ids))).with_context(
            prefetch_fields=False).read(["name", "product_id", "epcis_external"],
                                        load="_classic_write")
        products = self.env["product.product"].browse(
            {row["product_id"] for row in rows} | set(product_ids))
        product_names = dict(products.name_get())
        by_product = {product.id: {"product_id": product.id,
                                   "product": product_names[product.id],
                                   "uom": product.uom_id.name, "tracking": product.tracking}
                      for product in products}
        Lot = self.env["stock.production.lot"]
        lots = {row["id"]: dict(by_product[row["product_id"]], id=row["id"], name=row["name"],
                                external=row["epcis_external"]
                                and self._get_external(Lot.browse(row["id"])))
                for row in rows}
        return {"lots": lots, "products": by_product}

    # --- the trees -----------------------------------------------------------------------
    @api.model
    def _get_tree(self, summary, names, with_receipts=False):
        """The tree of a walk's summary (``stock.lot.trace._get_summary``): its first lots
        and the edges between them (``names``: :meth:`_get_names` of them)."""
        shown = summary["lots"]
        shown_ids = [row["lot_id"] for row in shown]
        receipts = {}
        if with_receipts:
            for receipt in self.env["stock.lot.ledger"].receipts(shown_ids):
                receipts.setdefault(receipt["lot_id"], []).append(receipt)
        lots = [dict(names["lots"][row["lot_id"]], depth=row["depth"],
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
    def _get_paths(self, summary, lot_ids, names):
        """Per lot id of ``lot_ids``: the names of the lots from the start lot to it (the
        names of those not in ``names``, past the trees' first lots, are read)."""
        parents = summary["parents"]
        chains = {}
        for lot_id in set(lot_ids):
            chain = [lot_id]
            while chain[-1] in parents and len(chain) <= len(parents):
                chain.append(parents[chain[-1]])
            chains[lot_id] = chain[::-1]
        known = names["lots"]
        missing = {i for chain in chains.values() for i in chain if i not in known}
        lot_names = {row["id"]: row["name"] for row in self.env["stock.production.lot"].browse(
            list(missing)).with_context(prefetch_fields=False).read(["name"])}
        lot_names.update((i, row["name"]) for i, row in known.items())
        return {lot_id: [lot_names[i] for i in chain] for lot_id, chain in chains.items()}

    @api.model
    def _get_downstream(self, summary, totals, names):
        """Deliveries of every lot of the downstream trace (``totals``: theirs per customer
        and product), with the path to each (``names``: :meth:`_get_names`)."""
        ledger = self.env["stock.lot.ledger"]
        lot_ids = summary["lot_ids"]
        line_count = sum(row["line_count"] for row in totals)
        rows = ledger.deliveries(lot_ids, limit=ROW_LIMIT) if line_count <= ROW_LIMIT else []
        groups = totals[:GROUP_LIMIT]
        paths = self._get_paths(summary, [row["lot_id"] for row in rows]
                                + [row["first_lot_id"] for row in groups], names)
        products = names["products"]
        for row in rows:
            row["path"] = paths[row["lot_id"]]
        for row in groups:
            row.update(path=paths[row["first_lot_id"]],
                       product=products[row["product_id"]]["product"])
        # each customer once (a group per customer and product), counted by partner
        customers = sorted({row["partner_id"]: row["customer"] or _("(no customer)")
                            for row in totals}.values())
        return {"count": line_count, "rows": rows, "summarised": line_count > ROW_LIMIT,
                "by_customer": groups, "group_count": len(totals),
                "customer_count": len(customers), "customers": customers[:GROUP_LIMIT]}

    @api.model
    def _get_units(self, lot_ids, groups, names):
        """The lots made from this one (``groups``: their totals per product): counts
        shipped / in stock, and each unit's state when a product has few of them
        (``names``: :meth:`_get_names`)."""
        ledger = self.env["stock.lot.ledger"]
        per_lot = ledger.lot_totals(lot_ids) if 0 < len(lot_ids) <= UNIT_DETAIL_LIMIT else []
        for group in groups:
            group["product"] = names["products"][group["product_id"]]["product"]
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
