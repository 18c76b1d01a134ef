# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What every SQL reader of the lot graph shares: read rights, record rules, paging.

The walk (``stock.lot.trace``), the ledger (``stock.lot.ledger``) and the FSMA 204 rows
(``stock.lot.fsma``) read with SQL. They inherit this mixin, so the rights are checked one way
and record rules are applied inside their queries one way.
"""
import uuid

from psycopg2.extensions import AsIs, register_adapter

from odoo import api, models

# The FROM of every reader of done move lines: the line, its move, both locations (``src``,
# ``dst``), its product and template. Readers add their own joins and conditions after it.
LINE_JOINS = """
      FROM stock_move_line line
      JOIN stock_move move ON move.id = line.move_id
      JOIN stock_location src ON src.id = line.location_id
      JOIN stock_location dst ON dst.id = line.location_dest_id
      JOIN product_product product ON product.id = line.product_id
      JOIN product_template template ON template.id = product.product_tmpl_id
"""

#: Where the event of done line ``line`` happened (``dst`` its destination location): its
#: internal end, where the stock arrived, else where it left from. The one rule for an
#: event's place (its time zone, where a lot was made).
EVENT_LOCATION = """CASE WHEN dst.usage = 'internal' THEN line.location_dest_id
                        ELSE line.location_id END"""


#: Rows read from the cursor at a time when a reader turns them into dicts.
FETCH_PAGE = 10000
#: Statements over fewer lots than this are planned as narrow: no parallel workers
#: (starting them cost more than the statement: a 100-lot recall's deliveries at 1,000,000
#: lines, 25 ms with two workers, 4 ms without), and index lookups costed as the reads of
#: hot pages they are (``random_page_cost`` 1.1, the value PostgreSQL's documentation
#: gives for data in cache): with the default 4, a lot page's 31 upstream lots had their
#: receipts joined by hashing every lot and every picking, 9 ms against 1.7 ms. A wide
#: recall's statements keep the defaults: their seq scans and workers pay off.
PARALLEL_MIN_LOTS = 1000
#: The settings of a statement planned as written (:meth:`_plan_as_written`).
_PLAN_WIDE = ("SET LOCAL join_collapse_limit = 1; SET LOCAL from_collapse_limit = 1; "
              "SET LOCAL jit = off")
_PLAN_NARROW = (_PLAN_WIDE + "; SET LOCAL max_parallel_workers_per_gather = 0; "
                "SET LOCAL random_page_cost = 1.1")
_PLAN_DEFAULT = ("SET LOCAL join_collapse_limit TO DEFAULT; "
                 "SET LOCAL from_collapse_limit TO DEFAULT; SET LOCAL jit TO DEFAULT; "
                 "SET LOCAL max_parallel_workers_per_gather TO DEFAULT; "
                 "SET LOCAL random_page_cost TO DEFAULT")


class IdArray(list):
    """Ids bound as one array literal, ``'{1,2,3}'::int[]``.

    psycopg2 binds a list as ``ARRAY[1,2,3]``, an expression of one node per id that
    PostgreSQL parses and plans node by node: 0.5 s per statement for the 205,000 lots of a
    wide recall, more than some statements take to run. A literal is read in one go.
    """


def _adapt_id_array(ids):
    # only ints reach the statement's text (type() is int: no bool, no str)
    if not set(map(type, ids)) <= {int}:
        raise TypeError("IdArray holds ints only, not %r" % next(
            value for value in ids if type(value) is not int))
    return AsIs("'{%s}'::int[]" % ",".join(map(str, ids)))


register_adapter(IdArray, _adapt_id_array)


class StockLotSqlMixin(models.AbstractModel):
    _name = "stock.lot.sql.mixin"
    _description = "Rights and paging of the lot SQL readers"

    @api.model
    def _check_read_rights(self, models_to_read=("stock.production.lot", "stock.move")):
        """The user must be a Traceability user allowed to read lots and moves (record
        rules are applied inside the queries)."""
        self._check_traceability_access()
        for model in models_to_read:
            self.env[model].check_access_rights("read")

    @api.model
    def _get_rule_sql(self, model, id_expr):
        """SQL condition (and params) true when the record ``id_expr`` of ``model`` is
        readable under the user's record rules ("" when no rule applies)."""
        query = self.env[model]._where_calc([])
        self.env[model]._apply_ir_rules(query, "read")
        from_clause, where_clause, params = query.get_sql()
        if not where_clause:
            return "", []
        table = self.env[model]._table
        return ("AND EXISTS (SELECT 1 FROM %s WHERE \"%s\".id = %s AND %s)"
                % (from_clause, table, id_expr, where_clause), list(params))

    @api.model
    def _get_move_rule_sql(self, alias):
        """SQL condition (and params) true when the move of line ``alias`` is readable."""
        return self._get_rule_sql("stock.move", "%s.move_id" % alias)

    @api.model
    def _execute_as_written(self, query, params):
        """Run ``query`` with its joins in the order they are written: from the lots' done
        lines (by the lot index) out to the records they name, which is the order every
        reader is written in. PostgreSQL's search of every order of 11 joins cost 25 ms per
        statement, more than running it, on every lot page (2 ms planned as written).
        The settings are restored for the rest of the transaction, as a savepoint's
        rollback would restore them after an error."""
        cr = self.env.cr
        sizes = [len(param) for param in params if isinstance(param, IdArray)]
        self._plan_as_written(True, parallel=max(sizes or [0]) >= PARALLEL_MIN_LOTS)
        cr.execute(query, params)
        names = [column[0] for column in cr.description]
        rows = []
        # a page of tuples at a time: never all the rows as tuples and as dicts at once
        for page in iter(lambda: cr.fetchmany(FETCH_PAGE), []):
            rows.extend(dict(zip(names, row)) for row in page)
        self._plan_as_written(False)
        return rows

    @api.model
    def _plan_as_written(self, on, parallel=True):
        """Plan the next statements with their joins as written and no JIT (``on``), or as
        configured again. No JIT: a statement over the lines of 200,000 lots spent 0.5 s
        compiling its expressions (PostgreSQL's default jit_above_cost). ``parallel=False``:
        planned as narrow (see :data:`PARALLEL_MIN_LOTS`). One round trip each way."""
        self.env.cr.execute((_PLAN_WIDE if parallel else _PLAN_NARROW) if on else _PLAN_DEFAULT)

    @api.model
    def _fetch_dict_pages(self, query, params, page_size=2000):
        """:meth:`_fetch_pages` planned as written, each row a dict of its columns."""
        self._plan_as_written(True)
        pages = self._fetch_pages(query, params, page_size)
        try:
            rows = next(pages, None)  # DECLARE plans the statement: then the settings go
            names = [column[0] for column in self.env.cr.description or ()]  # the FETCH's
        finally:
            self._plan_as_written(False)
        while rows:
            yield [dict(zip(names, row)) for row in rows]
            rows = next(pages, None)

    @api.model
    def _fetch_pages(self, query, params, page_size=2000):
        """The rows of ``query`` in lists of at most ``page_size``, from a server-side cursor
        (one execution, however many pages). The cursor lives in the current transaction;
        an abandoned one ends with it. ``query`` must be constant SQL with bound params.
        """
        # The cursor's name is generated (letters, digits, underscore; two exports may page
        # at once in one transaction), values are bound parameters.
        name = "lot_trace_%s" % uuid.uuid4().hex
        self.env.cr.execute("DECLARE {name} NO SCROLL CURSOR FOR {query}".format(
            name=name, query=query), params)
        fetch, close = ("{verb} {name}".format(verb=verb, name=name)
                        for verb in ("FETCH FORWARD %s FROM", "CLOSE"))
        page_size = int(page_size)
        while True:
            self.env.cr.execute(fetch, [page_size])
            rows = self.env.cr.fetchall()
            if rows:
                yield rows
            if len(rows) < page_size:  # a short page is the last: no empty FETCH after it
                break
        self.env.cr.execute(close)
