# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stock is conserved on every path: a hypothesis state machine.

Random sequences of receive, build, split, deliver, return, hold, release and scrap, each
as a Traceability user or manager picked at random. After every step:

- no quant of the test's products is negative in an internal location;
- for every lot, its quants per internal location equal the ledger of its done move lines
  (what came in minus what went out, in the product's unit).

A step the addon refuses (UserError, ValidationError, AccessError) must have changed
nothing: the stock, the done move lines and the lots are compared before and after, then
the step is rolled back as Odoo rolls back a refused request. Each example starts from the
same data (a savepoint). Bounded to run in about a minute; derandomized, so CI is stable.
"""
from collections import Counter
from contextlib import contextmanager

from hypothesis import HealthCheck, event, settings, strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import TraceabilityCase, unique

REFUSALS = (UserError, ValidationError, AccessError)
USERS = st.sampled_from(["trace_user", "trace_manager"])
QTY = st.integers(min_value=1, max_value=12)
# Per lot and internal location: done lines in minus done lines out, in the product's unit.
_LEDGER = """
    SELECT flow.lot_id, flow.location_id, sum(flow.qty)
      FROM (SELECT line.lot_id, line.location_dest_id AS location_id,
                   line.qty_done / line_uom.factor * product_uom.factor AS qty,
                   line.product_id
              FROM stock_move_line line
              JOIN product_uom line_uom ON line_uom.id = line.product_uom_id
              JOIN product_product product ON product.id = line.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
              JOIN product_uom product_uom ON product_uom.id = template.uom_id
             WHERE line.state = 'done'
            UNION ALL
            SELECT line.lot_id, line.location_id,
                   -line.qty_done / line_uom.factor * product_uom.factor, line.product_id
              FROM stock_move_line line
              JOIN product_uom line_uom ON line_uom.id = line.product_uom_id
              JOIN product_product product ON product.id = line.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
              JOIN product_uom product_uom ON product_uom.id = template.uom_id
             WHERE line.state = 'done') flow
      JOIN stock_location location ON location.id = flow.location_id
     WHERE location.usage = 'internal' AND flow.lot_id IS NOT NULL
       AND flow.product_id = ANY(%s)
     GROUP BY flow.lot_id, flow.location_id
"""
_QUANTS = """
    SELECT quant.lot_id, quant.location_id, sum(quant.quantity)
      FROM stock_quant quant
      JOIN stock_location location ON location.id = quant.location_id
     WHERE location.usage = 'internal' AND quant.product_id = ANY(%s)
     GROUP BY quant.lot_id, quant.location_id
"""


class ConservationMachine(RuleBasedStateMachine):
    """Steps of a traceability user's day; ``case`` is the running test case."""

    case = None
    outcomes = Counter()  # ("done" | "refused", step name): how often, over the whole run
    raws = Bundle("raws")
    batches = Bundle("batches")
    units = Bundle("units")
    deliveries = Bundle("deliveries")
    recalls = Bundle("recalls")

    def __init__(self):
        super(ConservationMachine, self).__init__()
        self.cr = self.case.env.cr
        self.cr.execute("SAVEPOINT stateful_example")
        self.returned = {}

    def teardown(self):
        self.cr.execute("ROLLBACK TO SAVEPOINT stateful_example")
        self.case.env.cache.invalidate()

    # --- running a step ------------------------------------------------------------------
    def _snapshot(self):
        self.cr.execute(_QUANTS, [self.case.product_ids])
        quants = sorted((lot, loc, round(qty, 6)) for lot, loc, qty in self.cr.fetchall())
        self.cr.execute("SELECT count(*) FROM stock_move_line WHERE state = 'done'")
        lines = self.cr.fetchone()[0]
        self.cr.execute("SELECT count(*) FROM stock_production_lot")
        return quants, lines, self.cr.fetchone()[0]

    def _step(self, user, function):
        """Run ``function`` as ``user``; a refusal must leave everything as it was."""
        before = self._snapshot()
        self.cr.execute("SAVEPOINT stateful_step")
        try:
            with self.case.as_user(getattr(self.case, user)):
                result = function()
        except REFUSALS as error:
            after = self._snapshot()
            self.cr.execute("ROLLBACK TO SAVEPOINT stateful_step")
            self.case.env.cache.invalidate()
            assert after == before, "refused (%s) but changed the stock: %s -> %s" % (
                error, before, after)
            self._count("refused", function)
            return None
        self.cr.execute("RELEASE SAVEPOINT stateful_step")
        self._count("done", function)
        return result

    def _count(self, outcome, function):
        name = function.__qualname__.split(".")[1]
        self.outcomes[outcome, name] += 1
        event("%s: %s" % (outcome, name))

    def _in_stock(self, lot):
        quants = self.case.env["stock.quant"].search([
            ("lot_id", "=", lot.id), ("location_id", "=", self.case.stock_location.id)])
        return sum(quants.mapped("quantity"))

    # --- the steps -----------------------------------------------------------------------
    @rule(target=raws, user=USERS, qty=QTY)
    def receive(self, user, qty):
        case = self.case
        picking = self._step(user, lambda: case._receive(case.raw, [(unique("RAW"), qty)]))
        return multiple(*picking.move_line_ids.mapped("lot_id")) if picking else multiple()

    @rule(target=batches, user=USERS, lot=raws, qty=QTY)
    def build(self, user, lot, qty):
        case = self.case

        def run():
            assembly = case._create_assembly(case.finished, case.recipe, qty=qty,
                                             lot_name=unique("BATCH"))
            return case._build(assembly, [lot.name]).lot_id

        batch = self._step(user, run)
        return multiple(batch) if batch else multiple()

    @rule(target=units, user=USERS, batch=batches, count=st.integers(1, 6))
    def split(self, user, batch, count):
        case = self.case
        made = self._step(user, lambda: case._split(
            batch, unit_product_id=case.jar.id, unit_count=count, split_qty=count * 0.5))
        return multiple(*made) if made else multiple()

    @rule(target=deliveries, user=USERS, lot=st.one_of(raws, batches, units), qty=QTY)
    def deliver(self, user, lot, qty):
        """Odoo lets a delivery take more than there is: ship only what is in stock."""
        qty = min(qty, self._in_stock(lot))
        if qty <= 0:
            return multiple()
        picking = self._step(user, lambda: self.case._deliver(lot.product_id, [(lot, qty)]))
        return multiple((picking, lot, qty)) if picking else multiple()

    @rule(user=USERS, delivery=deliveries, qty=QTY)
    def return_lot(self, user, delivery, qty):
        picking, lot, shipped = delivery
        qty = min(qty, shipped - self.returned.get(picking.id, 0))
        if qty <= 0:
            return
        if self._step(user, lambda: self.case._return_lot(picking, lot, qty)):
            self.returned[picking.id] = self.returned.get(picking.id, 0) + qty

    @rule(target=recalls, user=USERS, lot=st.one_of(raws, batches, units))
    def hold(self, user, lot):
        """A recall on the lot, opened by a manager, its stock held."""
        case = self.case

        def run():
            recall = case.env["stock.lot.recall"].create({"lot_ids": [(6, 0, lot.ids)]})
            recall.sudo(case.trace_manager).action_open()
            recall.action_hold()
            return recall

        recall = self._step(user, run)
        return multiple(recall) if recall else multiple()

    @rule(recall=recalls)
    def release(self, recall):
        """A Traceability manager's (a user is refused: test_stock_lot_recall)."""
        self._step("trace_manager", lambda: recall.sudo(self.case.env.user).action_release())

    @rule(user=USERS, lot=st.one_of(raws, batches, units), qty=QTY)
    def scrap(self, user, lot, qty):
        """Odoo's scrap; without enough stock it asks for a confirmation (nothing done)."""
        case = self.case

        def run():
            scrap = case.env["stock.scrap"].create({
                "product_id": lot.product_id.id, "lot_id": lot.id, "scrap_qty": qty,
                "product_uom_id": lot.product_id.uom_id.id,
                "location_id": case.stock_location.id})
            return scrap.action_validate()

        self._step(user, run)

    # --- after every step ----------------------------------------------------------------
    @invariant()
    def no_negative_stock(self):
        self.cr.execute(_QUANTS, [self.case.product_ids])
        negative = [row for row in self.cr.fetchall() if row[2] < -1e-6]
        assert not negative, "negative stock (lot, location, qty): %s" % negative

    @invariant()
    def quants_equal_ledger(self):
        self.cr.execute(_LEDGER, [self.case.product_ids])
        ledger = {(lot, loc): qty for lot, loc, qty in self.cr.fetchall()}
        self.cr.execute(_QUANTS, [self.case.product_ids])
        quants = {(lot, loc): qty for lot, loc, qty in self.cr.fetchall() if lot}
        wrong = {key: (quants.get(key, 0.0), ledger.get(key, 0.0))
                 for key in set(ledger) | set(quants)
                 if abs(quants.get(key, 0.0) - ledger.get(key, 0.0)) > 1e-4}
        assert not wrong, "quants differ from the ledger ((lot, location): (quants, " \
                          "ledger)): %s" % wrong


class TestStockConservationStateful(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestStockConservationStateful, cls).setUpClass()
        cls.raw = cls._create_product("Raw Pulp", uom=cls.uom_kg)
        cls.finished = cls._create_product("Puree Batch", uom=cls.uom_kg)
        cls.jar = cls._create_product("Puree Jar", net_content_qty=0.5,
                                      net_content_uom_id=cls.uom_kg.id)
        cls.recipe = cls._create_composition(cls.finished, [(cls.raw, 1.0, "Pulp")])
        cls.product_ids = (cls.raw | cls.finished | cls.jar).ids

    @contextmanager
    def as_user(self, user):
        """The factories of the test base (class methods on ``env``) run as ``user``."""
        cls = type(self)
        saved = cls.env
        cls.env = saved(user=user.id)
        try:
            yield
        finally:
            cls.env = saved

    def test_random_days_conserve_stock(self):
        """Random sequences of the addon's and Odoo's stock operations as random users:
        no negative stock, and quants equal to the ledger of every lot after each step."""
        ConservationMachine.case = self
        ConservationMachine.outcomes.clear()
        run_state_machine_as_test(ConservationMachine, settings=settings(
            max_examples=8, stateful_step_count=8, deadline=None, derandomize=True,
            database=None, suppress_health_check=list(HealthCheck)))
        # A run where every step was refused would prove nothing.
        outcomes = ConservationMachine.outcomes
        for step in ("receive", "build", "split", "deliver", "hold"):
            self.assertTrue(outcomes["done", step], "no %s went through: %s" % (step, outcomes))
