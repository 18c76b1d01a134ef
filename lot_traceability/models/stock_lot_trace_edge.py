# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The lot graph's edges, one row per genealogy link between two done lines with lots, kept
by PostgreSQL in the same transaction as the lines and links it is made from.

The walk (``stock.lot.trace``) used to find each hop from the lots' done lines through
``stock_move_line_consume_rel`` to the lines on the other side: three index lookups per
line, for every line of every lot of the frontier, though most lines link nothing (a
delivery, a receipt). A wide recall's walk read 415,000 lines and 205,000 links that way:
0.72 s. Here each link is one row that already names both lots, both lines, both moves (for
the record rules) and both dates, indexed by the lot on each side with the rest included,
so a hop reads only the links of its frontier, from the index: 0.25 s for the same walk.

What a row holds is defined once, by :data:`EDGE_SELECT`: a link of
``stock_move_line_consume_rel`` (consume_line_id = the PRODUCED line, produce_line_id = the
CONSUMED one, as mrp writes it) whose two lines are done and have a lot. Triggers keep it so
whoever writes (Odoo's ORM, mrp, this addon's bulk writer, SQL scripts, ``COPY``):

- a link added, changed or removed: its edge too (statement triggers: one call per
  statement, however many links it writes, each link's lines found by their key);
- a line whose state, lot, date or move changes while it is, or becomes, done: its edges are
  read again from its links (a row trigger; lines that are not done cost nothing);
- a line deleted: its links go by their foreign key's cascade, which removes the edges.

``init`` (every install and update of the module) creates what is missing and rebuilds the
table from :data:`EDGE_SELECT`, so an update repairs a database whose triggers were off
(a restore with ``session_replication_role = replica``). The uninstall hook drops it all.
"""
from odoo import api, models

#: The definition of an edge, as ``(produced_line_id, consumed_line_id, produced_lot_id,
#: consumed_lot_id, produced_move_id, consumed_move_id, produced_date, consumed_date)``, from
#: the links ``{links}`` (the link table or a trigger's transition table), filtered by
#: ``{where}``.
EDGE_SELECT = """
    SELECT produced.id, consumed.id, produced.lot_id, consumed.lot_id,
           produced.move_id, consumed.move_id, produced.date, consumed.date
      FROM {links} link
      JOIN stock_move_line produced ON produced.id = link.consume_line_id
      JOIN stock_move_line consumed ON consumed.id = link.produce_line_id
     WHERE produced.state = 'done' AND consumed.state = 'done'
       AND produced.lot_id IS NOT NULL AND consumed.lot_id IS NOT NULL {where}
"""

#: The same rows for the triggers, each link's two lines found by their primary key, one
#: link after the other (a LATERAL subquery that cannot be flattened), whatever the planner
#: believes of the tables' sizes. Right after a bulk write, before autovacuum has counted
#: the rows, PostgreSQL can take stock_move_line for empty and plan a join that scans it once
#: per link: a COPY of 600,000 links into a fresh database of 1,000,000 lines ran for over
#: eight minutes that way; by key it takes seconds.
_EDGE_PROBE = """
    SELECT produced.id, consumed.id, produced.lot_id, consumed.lot_id,
           produced.move_id, consumed.move_id, produced.date, consumed.date
      FROM {links} link
     CROSS JOIN LATERAL (SELECT id, lot_id, move_id, date, state FROM stock_move_line
                          WHERE id = link.consume_line_id OFFSET 0) produced
     CROSS JOIN LATERAL (SELECT id, lot_id, move_id, date, state FROM stock_move_line
                          WHERE id = link.produce_line_id OFFSET 0) consumed
     WHERE produced.state = 'done' AND consumed.state = 'done'
       AND produced.lot_id IS NOT NULL AND consumed.lot_id IS NOT NULL {where}
"""

_INSERT = "INSERT INTO lot_trace_edge " + EDGE_SELECT + " ON CONFLICT DO NOTHING"
_INSERT_PROBED = "INSERT INTO lot_trace_edge " + _EDGE_PROBE + " ON CONFLICT DO NOTHING"
_DEFINED = EDGE_SELECT.format(links="stock_move_line_consume_rel", where="")
_REBUILD = _INSERT.format(links="stock_move_line_consume_rel", where="")
# rows of the table its definition has not, and the other way round
_EXTRA = "SELECT d.* FROM (TABLE lot_trace_edge EXCEPT (%s)) d ORDER BY 1, 2" % _DEFINED
_MISSING = "SELECT d.* FROM ((%s) EXCEPT TABLE lot_trace_edge) d ORDER BY 1, 2" % _DEFINED

# The table is not named after the model (stock_lot_trace_edge): Odoo would take it for the
# model's own and drop the NOT NULL of every column the model does not declare.
_CREATE = """
    CREATE TABLE IF NOT EXISTS lot_trace_edge (
        produced_line_id integer NOT NULL,
        consumed_line_id integer NOT NULL,
        produced_lot_id integer NOT NULL,
        consumed_lot_id integer NOT NULL,
        produced_move_id integer,
        consumed_move_id integer,
        produced_date timestamp,
        consumed_date timestamp,
        PRIMARY KEY (produced_line_id, consumed_line_id)
    );
    COMMENT ON TABLE lot_trace_edge IS
        'lot_traceability: the links of stock_move_line_consume_rel between done lines with '
        'lots, kept by triggers; rebuilt by updating the module';
    -- a hop downstream reads the links out of consumed lots, upstream out of produced ones:
    -- all it needs is in the index (index-only scans)
    CREATE INDEX IF NOT EXISTS lot_trace_edge_downstream_index
        ON lot_trace_edge (consumed_lot_id)
        INCLUDE (produced_lot_id, produced_date, produced_line_id, produced_move_id,
                 consumed_move_id);
    CREATE INDEX IF NOT EXISTS lot_trace_edge_upstream_index
        ON lot_trace_edge (produced_lot_id)
        INCLUDE (consumed_lot_id, consumed_date, consumed_line_id, consumed_move_id,
                 produced_move_id);
    CREATE INDEX IF NOT EXISTS lot_trace_edge_consumed_line_index
        ON lot_trace_edge (consumed_line_id);
"""

# The functions run with sequential scans off (for their own statements only: a function's
# SET ends with it), so that every lookup is by an index whatever the statistics say.
_FUNCTIONS = """
    CREATE OR REPLACE FUNCTION lot_trace_edge_links_added() RETURNS trigger
    LANGUAGE plpgsql SET enable_seqscan = off AS $$
    BEGIN
        {added};
        RETURN NULL;
    END $$;

    CREATE OR REPLACE FUNCTION lot_trace_edge_links_removed() RETURNS trigger
    LANGUAGE plpgsql SET enable_seqscan = off AS $$
    BEGIN
        -- each removed link's edge found by the primary key, then deleted by its place
        DELETE FROM lot_trace_edge WHERE ctid = ANY(ARRAY(
            SELECT found.ctid FROM removed link
             CROSS JOIN LATERAL (
                 SELECT edge.ctid FROM lot_trace_edge edge
                  WHERE edge.produced_line_id = link.consume_line_id
                    AND edge.consumed_line_id = link.produce_line_id OFFSET 0) found));
        RETURN NULL;
    END $$;

    CREATE OR REPLACE FUNCTION lot_trace_edge_line_changed() RETURNS trigger
    LANGUAGE plpgsql SET enable_seqscan = off AS $$
    BEGIN
        DELETE FROM lot_trace_edge WHERE produced_line_id = OLD.id;
        DELETE FROM lot_trace_edge WHERE consumed_line_id = OLD.id;
        {produced};
        {consumed};
        RETURN NULL;
    END $$;
""".format(
    added=_INSERT_PROBED.format(links="added", where=""),
    produced=_INSERT_PROBED.format(links="stock_move_line_consume_rel",
                                   where="AND link.consume_line_id = NEW.id"),
    consumed=_INSERT_PROBED.format(links="stock_move_line_consume_rel",
                                   where="AND link.produce_line_id = NEW.id"))

# The statement triggers on the link table: (name, event, transition table, function).
# Names sort in the order PostgreSQL fires them: on an update of a link, the old edge goes
# before the new one comes.
_LINK_TRIGGERS = (
    ("lot_trace_edge_a_removed", "DELETE", "OLD TABLE AS removed", "links_removed"),
    ("lot_trace_edge_a_updated_old", "UPDATE", "OLD TABLE AS removed", "links_removed"),
    ("lot_trace_edge_b_added", "INSERT", "NEW TABLE AS added", "links_added"),
    ("lot_trace_edge_b_updated_new", "UPDATE", "NEW TABLE AS added", "links_added"),
)
_LINE_TRIGGER = "lot_trace_edge_line"
_FUNCTION_NAMES = ("links_added", "links_removed", "line_changed")

_TRIGGERS = "".join("""
    DROP TRIGGER IF EXISTS {name} ON stock_move_line_consume_rel;
    CREATE TRIGGER {name} AFTER {event} ON stock_move_line_consume_rel
        REFERENCING {transition}
        FOR EACH STATEMENT EXECUTE PROCEDURE lot_trace_edge_{function}();
""".format(name=name, event=event, transition=transition, function=function)
    for name, event, transition, function in _LINK_TRIGGERS) + """
    DROP TRIGGER IF EXISTS {line} ON stock_move_line;
    CREATE TRIGGER {line}
        AFTER UPDATE OF state, lot_id, date, move_id ON stock_move_line
        FOR EACH ROW
        WHEN ((OLD.state = 'done' OR NEW.state = 'done')
              AND (OLD.state IS DISTINCT FROM NEW.state OR OLD.lot_id IS DISTINCT FROM NEW.lot_id
                   OR OLD.date IS DISTINCT FROM NEW.date
                   OR OLD.move_id IS DISTINCT FROM NEW.move_id))
        EXECUTE PROCEDURE lot_trace_edge_line_changed();
""".format(line=_LINE_TRIGGER)

_DROP = "".join(
    "DROP TRIGGER IF EXISTS %s ON stock_move_line_consume_rel;" % name
    for name, _event, _transition, _function in _LINK_TRIGGERS) + (
    "DROP TRIGGER IF EXISTS %s ON stock_move_line;" % _LINE_TRIGGER) + "".join(
    "DROP FUNCTION IF EXISTS lot_trace_edge_%s();" % name for name in _FUNCTION_NAMES) + (
    "DROP TABLE IF EXISTS lot_trace_edge;")


class StockLotTraceEdge(models.AbstractModel):
    _name = "stock.lot.trace.edge"
    _description = "Lot genealogy edges (kept by PostgreSQL)"

    @api.model_cr
    def init(self):
        cr = self.env.cr
        cr.execute(_CREATE)
        cr.execute(_FUNCTIONS)
        cr.execute(_TRIGGERS)
        self._rebuild()

    @api.model
    def _rebuild(self):
        """The table again from its definition (what the triggers keep it equal to), the
        link table and the lines counted first: one join over all of them is planned from
        their statistics."""
        self.env.cr.execute("ANALYZE stock_move_line, stock_move_line_consume_rel")
        self.env.cr.execute("TRUNCATE lot_trace_edge")
        self.env.cr.execute(_REBUILD)
        self.env.cr.execute("ANALYZE lot_trace_edge")

    @api.model
    def _get_differences(self):
        """Edges the table has and its definition has not, and the other way round:
        ``(extra, missing)`` lists of ``(produced_line_id, consumed_line_id)`` (both empty
        when the triggers kept it)."""
        found = []
        for query in (_EXTRA, _MISSING):
            self.env.cr.execute(query)
            found.append([row[:2] for row in self.env.cr.fetchall()])
        return tuple(found)


def drop_edges(cr):
    """What :class:`StockLotTraceEdge` created, gone (the module's uninstall)."""
    cr.execute(_DROP)
