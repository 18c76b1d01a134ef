# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ledger: facts about a SET of lots, one SQL query per fact, whatever the set's size.

Receipts, deliveries (returns netted), stock, history and origins of lots, for any number of
lots at once, so that no consumer (lot page, recall, trace XLSX, FSMA 204) costs one query
per lot. The walk (which lots) is ``stock.lot.trace``; the ledger says what happened to
them. Every method takes lot ids (an int or a list), checks the user's read rights, applies
the record rules of moves and quants inside its query, and returns JSON-serialisable rows:
dates as Odoo UTC strings, quantities in the product's unit (``uom``, ``uom_id``).
"""
import functools

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from ..tools import inputs
from .stock_lot_sql_mixin import EVENT_LOCATION, LINE_JOINS, IdArray

#: The columns of a lot's mass balance, what came in first, what is on hand last.
BALANCE_COLUMNS = ("qty_in", "qty_consumed", "qty_shipped", "qty_scrapped", "qty_adjusted",
                   "qty_on_hand")

# Done lines of the lots with their quantity in the product's unit, made by _lines: the
# columns every reader needs, then a reader's own ``columns`` and ``joins``. {rule} restricts
# them to moves the user may read, {only} to some lines (a condition on the line's own
# columns, checked as each line is read, before any join). Constant SQL: the only variables
# are bound parameters.
_LINE_COLUMNS = """line.id AS line_id, line.lot_id, line.product_id, line.move_id,
           move.origin_returned_move_id AS returned_move_id,
           src.usage AS src_usage, dst.usage AS dst_usage, dst.scrap_location AS dst_scrap,
           line.qty_done / line_uom.factor * uom.factor AS qty,
           uom.id AS uom_id, uom.rounding"""
# who a line went to or came from: the transfer's partner, else the move's
_PARTY_JOINS = """      LEFT JOIN stock_picking picking ON picking.id = line.picking_id
      LEFT JOIN res_partner contact ON contact.id = coalesce(picking.partner_id, move.partner_id)
"""


def _lines(columns="", joins=""):
    return ("\n    SELECT " + _LINE_COLUMNS + columns + "\n" + LINE_JOINS
            + "      JOIN product_uom uom ON uom.id = template.uom_id\n"
            + "      JOIN product_uom line_uom ON line_uom.id = line.product_uom_id\n"
            + joins
            + "     WHERE line.lot_id = ANY(%s) AND line.state = 'done' {only} {rule}\n")


# Every column a list of lines shows (history, receipts, deliveries), names included.
_LINES = _lines(""",
           lot.name AS lot_name, line.date,
           coalesce(picking.name, line.reference) AS document, line.picking_id,
           line.location_id, line.location_dest_id,
           contact.id AS contact_id, contact.display_name AS contact,
           partner.id AS partner_id, partner.display_name AS partner_name, uom.name AS uom""",
                "      JOIN stock_production_lot lot ON lot.id = line.lot_id\n" + _PARTY_JOINS
                + "      LEFT JOIN res_partner partner"
                  " ON partner.id = contact.commercial_partner_id\n")
# What a sum needs only (no names: no lot, picking or partner joins), for the totals and the
# mass balance, which read every line of a set.
_LINE_QTYS = _lines()
# Who and when but no name, for what groups deliveries per customer (the lot page's totals,
# the recall's call list): the names of the few groups are joined after grouping, not to
# each of 200,000 lines.
_LINE_PARTIES = _lines(""",
           line.picking_id, line.date, contact.id AS contact_id,
           contact.commercial_partner_id AS partner_id""", _PARTY_JOINS)

#: What a delivery row holds besides its line, lot, quantities and unit, by shape: the
#: lines it is read from and its other columns.
_DELIVERY_SHAPES = {
    "named": (_LINES, """line.lot_name, line.product_id, line.picking_id, line.document,
              line.date, line.contact_id, line.contact, line.partner_id,
              line.partner_name AS customer, line.uom,"""),
    "parties": (_LINE_PARTIES, """line.product_id, line.picking_id, line.date,
                line.contact_id, line.partner_id,"""),
    "qtys": (_LINE_QTYS, ""),
}

# Deliveries to customers of the lots, each with what came back from it (in the product's
# unit): a return is a done line of the same lot whose move returns the delivery's move, so
# it is among the lots' lines already ({lines}, the lines of the set into or out of a
# customer location, read once), summed per delivery move and lot with one hash join (a
# lookup per delivery line cost 0.8 s for 200,000 of them).
_DELIVERIES = """
    WITH lot_line AS MATERIALIZED ({lines})
    SELECT {columns} line.line_id, line.lot_id, line.qty,
           coalesce(returned.qty, 0) AS returned_qty, line.uom_id, line.rounding
      FROM lot_line line
      LEFT JOIN (
          SELECT back.returned_move_id, back.lot_id, sum(back.qty) AS qty
            FROM lot_line back
           WHERE back.returned_move_id IS NOT NULL
           GROUP BY back.returned_move_id, back.lot_id
      ) returned ON returned.returned_move_id = line.move_id AND returned.lot_id = line.lot_id
     WHERE line.dst_usage = 'customer'
"""

# The lines a delivery or its return can be: into or out of a customer location (Odoo's return
# of a delivery leaves from where the delivery arrived). Tested on each line as it is read:
# the delivery lines of a wide recall are 200,000 of its lots' 415,000, and every other line
# was joined to its move, locations, product and units before being dropped (the statement
# took 1.25 s, 0.97 s now).
_CUSTOMER_LINES = """
       AND (line.location_dest_id = ANY(ARRAY(SELECT id FROM stock_location
                                               WHERE usage = 'customer'))
            OR line.location_id = ANY(ARRAY(SELECT id FROM stock_location
                                             WHERE usage = 'customer')))"""


# Per customer of the deliveries, in the order of its first delivery: what a recall's call
# list entry needs (its pickings, first and last dates, who received the last delivery: the
# latest, then the highest line; and every contact delivered to).
_CUSTOMER_SUMMARIES = """
    WITH delivery AS MATERIALIZED (
        SELECT delivery.*, row_number() OVER (ORDER BY date, line_id) AS seq
          FROM ({deliveries}) delivery)
    SELECT partner_id, count(DISTINCT picking_id) AS delivery_count, count(*) AS line_count,
           min(date) AS date_first, max(date) AS date_last,
           (array_agg(contact_id ORDER BY date DESC NULLS LAST, line_id DESC))[1]
               AS last_contact_id,
           array_remove(array_agg(DISTINCT contact_id), NULL) AS contact_ids
      FROM delivery
     GROUP BY partner_id
     ORDER BY min(seq)"""

# Deliveries summed per customer, product and unit (the rows of delivery_totals), from the
# delivery rows ``{deliveries}`` (shape "parties"), and lots summed per product (the rows of
# product_totals), from the per-lot totals ``{units}``. Each is grouped by ids, then its few
# groups are named: not each of the 200,000 lines or 205,000 lots of a wide recall. The lot
# page's one statement (_get_fan_totals) reads both from one read of the deliveries.
_CUSTOMER_TOTALS = """
    SELECT c.partner_id, partner.display_name AS customer, c.product_id, c.uom_id,
           uom.name AS uom, c.rounding, c.lot_count, c.line_count, c.picking_count, c.qty,
           c.returned_qty, c.first_date, c.last_date, c.first_lot_id
      FROM (SELECT partner_id, product_id, uom_id, min(rounding) AS rounding,
                   count(DISTINCT lot_id) AS lot_count, count(*) AS line_count,
                   count(DISTINCT picking_id) AS picking_count, sum(qty) AS qty,
                   sum(returned_qty) AS returned_qty, min(date) AS first_date,
                   max(date) AS last_date, min(lot_id) AS first_lot_id
              FROM {deliveries} GROUP BY partner_id, product_id, uom_id) c
      JOIN product_uom uom ON uom.id = c.uom_id
      LEFT JOIN res_partner partner ON partner.id = c.partner_id"""
_PRODUCT_TOTALS = """
    SELECT p.product_id, uom.id AS uom_id, uom.name AS uom, uom.rounding, p.lot_count,
           p.in_stock_count, p.shipped_count, p.on_hand, p.shipped
      FROM (SELECT product_id, count(*) AS lot_count,
                   count(*) FILTER (WHERE on_hand > 0) AS in_stock_count,
                   count(*) FILTER (WHERE shipped > 0) AS shipped_count,
                   sum(on_hand) AS on_hand, sum(shipped) AS shipped
              FROM {units} GROUP BY product_id) p
      JOIN product_product product ON product.id = p.product_id
      JOIN product_template template ON template.id = product.product_tmpl_id
      JOIN product_uom uom ON uom.id = template.uom_id"""


class StockLotLedger(models.AbstractModel):
    _name = "stock.lot.ledger"
    _inherit = "stock.lot.sql.mixin"
    _description = "Per-lot facts over sets of lots"

    # --- the questions -----------------------------------------------------------------
    @api.model
    def receipts(self, lot_ids):
        """Receipts from suppliers: rows ``{line_id, lot_id, lot_name, product_id, date,
        document, picking_id, partner_id, supplier, qty, uom_id, uom}`` by (date, id)."""
        return [dict(self._prepare_line_row(row), partner_id=row["partner_id"],
                     supplier=row["partner_name"])
                for row in self._select_lines(lot_ids, "line.src_usage = 'supplier'")]

    @api.model
    def history(self, lot_ids, limit=None):
        """Every done move line of the lots: rows ``{line_id, lot_id, lot_name, product_id,
        date, document, picking_id, location_id, from, from_usage, location_dest_id, to,
        to_usage, to_scrap, qty, uom_id, uom}`` by (date, id); the first ``limit`` rows
        when given."""
        rows = self._select_lines(lot_ids, "TRUE", limit)
        names = self._get_location_names(
            [row["location_id"] for row in rows] + [row["location_dest_id"] for row in rows])
        return [dict(self._prepare_line_row(row), location_id=row["location_id"],
                     location_dest_id=row["location_dest_id"], from_usage=row["src_usage"],
                     to_usage=row["dst_usage"], to_scrap=bool(row["dst_scrap"]),
                     **{"from": names[row["location_id"]],
                        "to": names[row["location_dest_id"]]})
                for row in rows]

    @api.model
    def deliveries(self, lot_ids, limit=None):
        """Done deliveries to customers, returns netted: rows ``{line_id, lot_id, lot_name,
        product_id, picking_id, document, date, contact_id, contact, partner_id (the
        customer, a company), customer, qty, returned_qty, net_qty, uom_id, uom}`` by
        (date, id); the first ``limit`` rows when given."""
        sql, params = self._get_deliveries_sql(lot_ids)
        rows = self._execute_as_written(
            "SELECT * FROM (%s) delivery ORDER BY date, line_id LIMIT %%s" % sql,
            params + [self._clean_limit(limit)])
        return [self._prepare_delivery_row(row) for row in rows]

    @api.model
    def _deliveries_pages(self, lot_ids, page_size=2000):
        """The rows of :meth:`deliveries`, in its order, in lists of at most ``page_size``
        from a server-side cursor: the deliveries of a set too big to hold at once (the
        200,000 of a wide recall) in constant memory. A generator for server-side callers
        (exports)."""
        sql, params = self._get_deliveries_sql(lot_ids)
        for rows in self._fetch_dict_pages(
                "SELECT * FROM (%s) delivery ORDER BY date, line_id" % sql, params, page_size):
            yield [self._prepare_delivery_row(row) for row in rows]

    @api.model
    def _get_customer_summaries(self, lot_ids):
        """Per customer (commercial partner) of the lots' deliveries, in the order of its
        first delivery: ``{partner_id, delivery_count (pickings), line_count, date_first,
        date_last, last_contact_id (who received the last delivery), contact_ids (everyone
        delivered to)}``; one statement (a recall's call list: 200,000 deliveries read into
        Python to count them took 3.1 s, this 1.2 s). For server-side callers."""
        sql, params = self._get_deliveries_sql(lot_ids, shape="parties")
        rows = self._execute_as_written(_CUSTOMER_SUMMARIES.format(deliveries=sql), params)
        for row in rows:
            row.update(date_first=_date_str(row["date_first"]),
                       date_last=_date_str(row["date_last"]))
        return rows

    @api.model
    def _prepare_delivery_row(self, row):
        row["date"] = _date_str(row["date"])
        self._round(row, ("qty", "returned_qty"))
        row["net_qty"] = _rounded(row["qty"] - row["returned_qty"], row.pop("rounding"))
        return row

    @api.model
    def delivery_totals(self, lot_ids):
        """Deliveries summed per customer, product and unit: rows ``{partner_id, customer,
        product_id, uom_id, uom, lot_count, line_count, picking_count, qty, returned_qty,
        net_qty, first_date, last_date, first_lot_id}`` by first date."""
        sql, params = self._get_deliveries_sql(lot_ids, shape="parties")
        rows = self._execute_as_written(
            _CUSTOMER_TOTALS.format(deliveries="(%s) delivery" % sql)
            + " ORDER BY first_date, partner_id, product_id", params)
        return [self._prepare_delivery_total(row) for row in rows]

    @api.model
    def _prepare_delivery_total(self, row):
        row.update(first_date=_date_str(row["first_date"]),
                   last_date=_date_str(row["last_date"]))
        self._round(row, ("qty", "returned_qty"))
        row["net_qty"] = _rounded(row["qty"] - row["returned_qty"], row.pop("rounding"))
        return row

    @api.model
    def stock(self, lot_ids):
        """On hand in internal locations: rows ``{lot_id, lot_name, product_id, location_id,
        location, qty, reserved, uom_id, uom}`` by (location, lot)."""
        rows = self._execute_as_written(*self._get_stock_sql(lot_ids))
        names = self._get_location_names(row["location_id"] for row in rows)
        for row in rows:
            self._round(row, ("qty", "reserved"))
            row.pop("rounding")
            row["location"] = names[row["location_id"]]
        return rows

    @api.model
    def lot_totals(self, lot_ids):
        """Per lot: ``{lot_id, lot_name, product_id, on_hand, shipped (net of returns),
        uom_id, uom}`` by lot id."""
        sql, params = self._get_totals_sql(lot_ids)
        return self._fetch_totals(self._execute_as_written(sql + " ORDER BY lot_id", params))

    @api.model
    def product_totals(self, lot_ids):
        """The lots summed per product: ``{product_id, uom_id, uom, lot_count,
        in_stock_count (lots with stock on hand), shipped_count (lots shipped, net of
        returns), on_hand, shipped}`` by product id."""
        sql, params = self._get_totals_sql(lot_ids)
        rows = self._execute_as_written(
            _PRODUCT_TOTALS.format(units="(%s) unit" % sql) + " ORDER BY product_id", params)
        return self._fetch_totals(rows)

    @api.model
    def _get_fan_totals(self, lot_ids, unit_ids):
        """``(delivery_totals(lot_ids), product_totals(unit_ids))`` in one statement that
        reads the deliveries of ``lot_ids`` once (``unit_ids`` among ``lot_ids``): the lot
        page of a 200,000-unit fan read them twice, about 1 s each. For server-side callers
        (the lot page)."""
        lot_ids = self._clean_lot_ids(lot_ids)
        unit_ids = self._clean_lot_ids(unit_ids)
        if not set(unit_ids) <= set(lot_ids):
            raise UserError(_("unit_ids must be among lot_ids."))
        deliveries, params = self._get_deliveries_sql(lot_ids, shape="parties")
        # the units' totals over the deliveries read above, not read again
        units, unit_params = self._get_totals_sql(
            unit_ids, ("SELECT lot_id, qty, returned_qty FROM delivery", []))
        # one result of both groupings: each row its kind, the other kind's columns NULL
        rows = self._execute_as_written("""
            WITH delivery AS MATERIALIZED ({deliveries})
            SELECT 'customer' AS kind, c.*,
                   NULL::bigint AS in_stock_count, NULL::bigint AS shipped_count,
                   NULL::numeric AS on_hand, NULL::numeric AS shipped,
                   c.first_date AS first, c.partner_id AS then_partner,
                   c.product_id AS then_product
              FROM ({customers}) c
            UNION ALL
            SELECT 'product', NULL, NULL, p.product_id, p.uom_id, p.uom, p.rounding,
                   p.lot_count, NULL, NULL, NULL, NULL, NULL, NULL, NULL, p.in_stock_count,
                   p.shipped_count, p.on_hand, p.shipped, NULL, NULL, p.product_id
              FROM ({products}) p
             ORDER BY kind, first, then_partner, then_product
        """.format(deliveries=deliveries,
                   customers=_CUSTOMER_TOTALS.format(deliveries="delivery"),
                   products=_PRODUCT_TOTALS.format(units="(%s) unit" % units)),
            params + unit_params)
        by_customer, by_product = [], []
        for row in rows:
            for key in ("first", "then_partner", "then_product"):
                row.pop(key)
            if row.pop("kind") == "customer":
                for key in ("in_stock_count", "shipped_count", "on_hand", "shipped"):
                    row.pop(key)
                by_customer.append(self._prepare_delivery_total(row))
            else:
                for key in ("partner_id", "customer", "line_count", "picking_count", "qty",
                            "returned_qty", "first_date", "last_date", "first_lot_id"):
                    row.pop(key)
                by_product.append(row)
        return by_customer, self._fetch_totals(by_product)

    @api.model
    def balances(self, lot_ids):
        """The mass balance of each lot from its done lines, with its quants: ``{lot_id,
        product_id, uom_id, qty_in (received or produced), qty_consumed, qty_shipped (net of
        returns), qty_scrapped, qty_adjusted (inventory losses minus gains, returns to
        suppliers), qty_ledger (what the lines leave on hand), qty_on_hand (quants),
        qty_difference (quants minus ledger)}`` by lot id, every lot of the set included."""
        rows = self._execute_as_written(*self._get_balances_sql(lot_ids))
        for row in rows:
            self._prepare_balance_row(row)
        return rows

    @api.model
    def _balances_pages(self, lot_ids, page_size=10000):
        """The rows of :meth:`balances`, in its order, in lists of at most ``page_size``
        from a server-side cursor: the mass balance of a set too big to hold at once (the
        205,000 lots of a wide recall) in constant memory. A generator for server-side
        callers (Open Recall)."""
        for rows in self._fetch_dict_pages(*self._get_balances_sql(lot_ids),
                                           page_size=page_size):
            for row in rows:
                self._prepare_balance_row(row)
            yield rows

    @api.model
    def _prepare_balance_row(self, row):
        self._round(row, BALANCE_COLUMNS)
        row["qty_ledger"] = _rounded(row["qty_in"] - sum(
            row[key] for key in BALANCE_COLUMNS[1:-1]), row["rounding"])
        row["qty_difference"] = _rounded(row["qty_on_hand"] - row["qty_ledger"],
                                         row.pop("rounding"))
        return row

    @api.model
    def _fetch_totals(self, rows):
        """``rows`` of a totals query, quantities rounded to their unit's rounding."""
        for row in rows:
            self._round(row, ("on_hand", "shipped"))
            row.pop("rounding")
        return rows

    @api.model
    def made_at(self, lot_ids):
        """Where each lot was made: per lot id, the internal end of its first done line out
        of a production location (where the made stock arrived, else where it left from),
        for the lots that have one. One statement over those lines only."""
        rule, rule_params = self._get_move_rule_sql("line")
        sql = """
            SELECT DISTINCT ON (line.lot_id) line.lot_id, {place} AS location_id
              FROM stock_move_line line
              JOIN stock_location src ON src.id = line.location_id
              JOIN stock_location dst ON dst.id = line.location_dest_id
             WHERE line.lot_id = ANY(%s) AND line.state = 'done'
                   AND src.usage = 'production' {rule}
             ORDER BY line.lot_id, line.date, line.id""".format(rule=rule, place=EVENT_LOCATION)
        rows = self._execute_as_written(sql, [self._clean_lot_ids(lot_ids)] + rule_params)
        return {row["lot_id"]: row["location_id"] for row in rows}

    @api.model
    def origins(self, lot_ids):
        """Where each lot came from: ``{lot_id, lot_name, supplier_lot_code,
        made_location_id (where it was first produced), received (bool), partner_id (the
        first receipt's partner), received_date, received_location_id and
        received_document (the first receipt's destination and transfer, or its move's
        reference), received_line_id (that receipt's line), received_qty (all receipts from
        suppliers)}`` by lot id."""
        rows = self._execute_as_written(*self._get_origins_sql(lot_ids))
        for row in rows:
            row["received_date"] = _date_str(row["received_date"])
            self._round(row, ("received_qty",))
            row.pop("rounding")
        return rows

    # --- the SQL -----------------------------------------------------------------------
    @api.model
    def _clean_lot_ids(self, lot_ids):
        """The lot ids of a question, sorted and unique, once the rights are checked."""
        self._check_read_rights(("stock.production.lot", "stock.move", "stock.quant"))
        if isinstance(lot_ids, int) and not isinstance(lot_ids, bool):
            lot_ids = [lot_ids]
        # type() is int: no bool, no float; one pass in C for 200,000 ids
        if not isinstance(lot_ids, (list, tuple)) or not set(map(type, lot_ids)) <= {int}:
            raise UserError(_("lot_ids must be a list of lot ids, not %(value)s.") % {
                "value": inputs.show(lot_ids)})
        if lot_ids and (min(lot_ids) < 1 or max(lot_ids) > inputs.INT4_MAX):
            wrong = min(lot_ids) if min(lot_ids) < 1 else max(lot_ids)
            raise UserError(_("lot_ids: %(value)s is not a lot id (a whole number from 1 to "
                              "%(max)s).") % {"value": wrong, "max": inputs.INT4_MAX})
        return IdArray(sorted(set(lot_ids)))

    @api.model
    def _clean_limit(self, limit):
        if limit is None:
            return None
        if isinstance(limit, bool) or not isinstance(limit, int) or not \
                0 <= limit <= inputs.INT4_MAX:
            raise UserError(_("limit must be a number of rows from 0 to %(max)s, not "
                              "%(value)s.") % {"value": inputs.show(limit),
                                               "max": inputs.INT4_MAX})
        return limit

    @api.model
    def _get_lines_sql(self, lot_ids, where, lines=_LINES):
        # MATERIALIZED: the lines of the set are read once, by the lot index, whatever the
        # planner guesses of the rest of the statement.
        rule, rule_params = self._get_move_rule_sql("line")
        sql = lines.format(rule=rule, only="")
        return "WITH lot_line AS MATERIALIZED (%s) SELECT * FROM lot_line line WHERE %s" % (
            sql, where), [self._clean_lot_ids(lot_ids)] + rule_params

    @api.model
    def _select_lines(self, lot_ids, where, limit=None):
        sql, params = self._get_lines_sql(lot_ids, where)
        rows = self._execute_as_written(sql + " ORDER BY date, line_id LIMIT %s",
                                        params + [self._clean_limit(limit)])
        for row in rows:
            row["date"] = _date_str(row["date"])
            self._round(row, ("qty",))
        return rows

    @api.model
    def _prepare_line_row(self, row):
        keys = ("line_id", "lot_id", "lot_name", "product_id", "date", "document",
                "picking_id", "qty", "uom_id", "uom")
        return {key: row[key] for key in keys}

    @api.model
    def _get_deliveries_sql(self, lot_ids, shape="named"):
        """Deliveries of the lots with their returns, as rows of ``shape``
        (:data:`_DELIVERY_SHAPES`): ``named`` with every name :meth:`deliveries` gives,
        ``parties`` with the product, picking, date, contact and customer ids, ``qtys``
        with the line, lot, quantities and unit only (what totals sum)."""
        rule, rule_params = self._get_move_rule_sql("line")
        lines, columns = _DELIVERY_SHAPES[shape]
        return _DELIVERIES.format(lines=lines.format(rule=rule, only=_CUSTOMER_LINES),
                                  columns=columns), [self._clean_lot_ids(lot_ids)] + rule_params

    @api.model
    def _get_stock_sql(self, lot_ids):
        rule, rule_params = self._get_rule_sql("stock.quant", "quant.id")
        return """
            SELECT quant.lot_id, lot.name AS lot_name, lot.product_id, quant.location_id,
                   sum(quant.quantity) AS qty,
                   sum(quant.reserved_quantity) AS reserved,
                   uom.id AS uom_id, uom.name AS uom, uom.rounding
              FROM stock_quant quant
              JOIN stock_production_lot lot ON lot.id = quant.lot_id
              JOIN stock_location loc ON loc.id = quant.location_id
              JOIN product_product product ON product.id = lot.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
              JOIN product_uom uom ON uom.id = template.uom_id
             WHERE quant.lot_id = ANY(%s) AND loc.usage = 'internal' {rule}
             GROUP BY quant.lot_id, lot.name, lot.product_id, quant.location_id,
                      loc.complete_name, uom.id
             ORDER BY loc.complete_name, lot.name, quant.lot_id
        """.format(rule=rule), [self._clean_lot_ids(lot_ids)] + rule_params

    @api.model
    def _get_totals_sql(self, lot_ids, deliveries=None):
        """Per lot its stock on hand and its deliveries net of returns (one statement).
        ``deliveries``: ``(sql, params)`` of rows ``(lot_id, qty, returned_qty)`` already
        read (the lot page's), else the lots' deliveries are read here."""
        lot_ids = self._clean_lot_ids(lot_ids)
        deliveries, delivery_params = deliveries or self._get_deliveries_sql(
            lot_ids, shape="qtys")
        rule, rule_params = self._get_rule_sql("stock.quant", "quant.id")
        return """
            WITH stock AS MATERIALIZED (
                  SELECT quant.lot_id, sum(quant.quantity) AS qty
                    FROM stock_quant quant
                    JOIN stock_location loc ON loc.id = quant.location_id
                   WHERE quant.lot_id = ANY(%s) AND loc.usage = 'internal' {rule}
                   GROUP BY quant.lot_id),
            shipped AS MATERIALIZED (
                  SELECT lot_id, sum(qty - returned_qty) AS qty FROM ({deliveries}) delivery
                   GROUP BY lot_id)
            SELECT lot.id AS lot_id, lot.name AS lot_name, lot.product_id,
                   coalesce(stock.qty, 0) AS on_hand, coalesce(shipped.qty, 0) AS shipped,
                   uom.id AS uom_id, uom.name AS uom, uom.rounding
              FROM stock_production_lot lot
              JOIN product_product product ON product.id = lot.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
              JOIN product_uom uom ON uom.id = template.uom_id
              LEFT JOIN stock ON stock.lot_id = lot.id
              LEFT JOIN shipped ON shipped.lot_id = lot.id
             WHERE lot.id = ANY(%s)
        """.format(rule=rule, deliveries=deliveries), \
            [lot_ids] + rule_params + delivery_params + [lot_ids]

    @api.model
    def _get_balances_sql(self, lot_ids):
        """Per lot the done lines summed into the columns of the balance (one statement):
        in = into internal stock from outside (customer returns count against shipped,
        inventory gains against adjusted), out = from internal stock to outside."""
        lot_ids = self._clean_lot_ids(lot_ids)
        lines, line_params = self._get_lines_sql(lot_ids, "TRUE", _LINE_QTYS)
        rule, rule_params = self._get_rule_sql("stock.quant", "quant.id")
        return """
            WITH line AS MATERIALIZED (
                  SELECT lot_id, qty,
                         CASE WHEN src_usage <> 'internal' AND dst_usage = 'internal' THEN
                                   CASE WHEN src_usage IN ('supplier', 'production')
                                        THEN 'qty_in' WHEN src_usage = 'customer'
                                        THEN 'qty_shipped' ELSE 'qty_adjusted' END
                              WHEN src_usage = 'internal' AND dst_usage <> 'internal' THEN
                                   CASE WHEN dst_scrap THEN 'qty_scrapped'
                                        WHEN dst_usage = 'production' THEN 'qty_consumed'
                                        WHEN dst_usage = 'customer' THEN 'qty_shipped'
                                        ELSE 'qty_adjusted' END END AS col,
                         CASE WHEN dst_usage = 'internal' AND src_usage NOT IN
                                   ('supplier', 'production') THEN -1 ELSE 1 END AS sign
                    FROM ({lines}) l),
            total AS MATERIALIZED (
                  SELECT lot_id,
                         sum(qty) FILTER (WHERE col = 'qty_in') AS qty_in,
                         sum(sign * qty) FILTER (WHERE col = 'qty_consumed') AS qty_consumed,
                         sum(sign * qty) FILTER (WHERE col = 'qty_shipped') AS qty_shipped,
                         sum(sign * qty) FILTER (WHERE col = 'qty_scrapped') AS qty_scrapped,
                         sum(sign * qty) FILTER (WHERE col = 'qty_adjusted') AS qty_adjusted
                    FROM line GROUP BY lot_id),
            stock AS MATERIALIZED (
                  SELECT quant.lot_id, sum(quant.quantity) AS qty
                    FROM stock_quant quant
                    JOIN stock_location loc ON loc.id = quant.location_id
                   WHERE quant.lot_id = ANY(%s) AND loc.usage = 'internal' {rule}
                   GROUP BY quant.lot_id)
            SELECT lot.id AS lot_id, lot.product_id, uom.id AS uom_id, uom.rounding,
                   total.qty_in, total.qty_consumed, total.qty_shipped, total.qty_scrapped,
                   total.qty_adjusted, stock.qty AS qty_on_hand
              FROM stock_production_lot lot
              JOIN product_product product ON product.id = lot.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
              JOIN product_uom uom ON uom.id = template.uom_id
              LEFT JOIN total ON total.lot_id = lot.id
              LEFT JOIN stock ON stock.lot_id = lot.id
             WHERE lot.id = ANY(%s)
             ORDER BY lot.id
        """.format(lines=lines, rule=rule), line_params + [lot_ids] + rule_params + [lot_ids]

    @api.model
    def _get_origins_sql(self, lot_ids):
        lot_ids = self._clean_lot_ids(lot_ids)
        rule_made, made_params = self._get_move_rule_sql("l")
        rule_in, in_params = self._get_move_rule_sql("l")
        return """
            SELECT lot.id AS lot_id, lot.name AS lot_name, lot.supplier_lot_code,
                   made.location_dest_id AS made_location_id, received.found IS TRUE AS received,
                   received.partner_id, received.date AS received_date,
                   received.location_id AS received_location_id,
                   received.document AS received_document, received.line_id AS received_line_id,
                   coalesce(received.qty, 0) AS received_qty, uom.rounding
              FROM stock_production_lot lot
              JOIN product_product product ON product.id = lot.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
              JOIN product_uom uom ON uom.id = template.uom_id
              LEFT JOIN LATERAL (
                  SELECT l.location_dest_id FROM stock_move_line l
                    JOIN stock_location s ON s.id = l.location_id
                   WHERE l.lot_id = lot.id AND l.state = 'done' AND s.usage = 'production'
                         {rule_made}
                   ORDER BY l.date, l.id LIMIT 1) made ON TRUE
              LEFT JOIN LATERAL (
                  SELECT TRUE AS found,
                         (array_agg(coalesce(p.partner_id, m.partner_id)
                                    ORDER BY l.date, l.id))[1] AS partner_id,
                         (array_agg(l.location_dest_id ORDER BY l.date, l.id))[1]
                             AS location_id,
                         (array_agg(coalesce(p.name, m.reference) ORDER BY l.date, l.id))[1]
                             AS document,
                         (array_agg(l.id ORDER BY l.date, l.id))[1] AS line_id,
                         min(l.date) AS date,
                         sum(l.qty_done / line_uom.factor * uom.factor) AS qty
                    FROM stock_move_line l
                    JOIN stock_move m ON m.id = l.move_id
                    JOIN stock_location s ON s.id = l.location_id
                    JOIN product_uom line_uom ON line_uom.id = l.product_uom_id
                    LEFT JOIN stock_picking p ON p.id = l.picking_id
                   WHERE l.lot_id = lot.id AND l.state = 'done' AND s.usage = 'supplier'
                         {rule_in}
                  HAVING count(*) > 0) received ON TRUE
             WHERE lot.id = ANY(%s)
             ORDER BY lot.id
        """.format(rule_made=rule_made, rule_in=rule_in), made_params + in_params + [lot_ids]

    # --- rows --------------------------------------------------------------------------
    @api.model
    def _get_location_names(self, location_ids):
        """Per location id, the name Odoo shows (``WH/Stock``), one read for them all."""
        locations = self.env["stock.location"].sudo().browse(set(location_ids))
        return dict(locations.name_get())

    @api.model
    def _round(self, row, keys):
        for key in keys:
            row[key] = _rounded(row[key] or 0.0, row["rounding"])


@functools.lru_cache(maxsize=4096)
def _rounded(value, rounding):
    """``float_round(value, precision_rounding=rounding)``, remembered: a pure function, and
    a wide recall rounds 2 million quantities that are mostly the same few values."""
    return float_round(value, precision_rounding=rounding)


def _date_str(value):
    """A timestamp from the cursor as Odoo's UTC string (False when empty)."""
    if not value:
        return False
    return value if isinstance(value, str) else fields.Datetime.to_string(value)
