# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import TraceabilityCase, unique


class TestAssembly(TraceabilityCase):
    """Composition lists and assembly builds scanned on the shop floor."""

    @classmethod
    def setUpClass(cls):
        super(TestAssembly, cls).setUpClass()
        cls.apples = cls._create_product("Apples", uom=cls.uom_kg)
        cls.sugar = cls._create_product("Sugar", uom=cls.uom_kg)
        cls.jar = cls._create_product("Jar", tracking="none", barcode="4006381333931")
        cls.jam = cls._create_product("Jam", uom=cls.uom_kg)
        cls.engine = cls._create_product("Engine", tracking="serial")
        cls.machine = cls._create_product("Machine", tracking="serial")
        cls.apple_a, cls.apple_b = cls._create_lot(cls.apples), cls._create_lot(cls.apples)
        cls.sugar_lot = cls._create_lot(cls.sugar)
        cls._receive(cls.apples, [(cls.apple_a, 6.0), (cls.apple_b, 100.0)])
        cls._receive(cls.sugar, [(cls.sugar_lot, 50.0)])
        cls._receive(cls.jar, [(None, 500.0)])
        cls.engines = [cls._create_lot(cls.engine, unique("ENG")) for _i in range(3)]
        cls._receive(cls.engine, [(lot, 1.0) for lot in cls.engines])
        cls.jam_list = cls._create_composition(
            cls.jam, [(cls.apples, 8.0, "Fruit"), (cls.sugar, 2.0, "Sweetener"),
                      (cls.jar, 20.0, "Jars")], qty=10.0)
        cls.machine_list = cls._create_composition(
            cls.machine, [(cls.engine, 1.0, "Left engine"), (cls.engine, 1.0, "Right engine")])

    def test_list_scaling(self):
        """A build of 25 kg from a 10 kg list copies the lines scaled by 2.5."""
        build = self._create_assembly(self.jam, self.jam_list, qty=25.0)
        self.assertEqual([(line.role, line.product_qty) for line in build.line_ids],
                         [("Fruit", 20.0), ("Sweetener", 5.0), ("Jars", 50.0)])
        self.assertEqual(build.location_id, self.stock_location)
        self.assertTrue(build.name.startswith("BUILD/"))

    def test_food_batch_lot_line_from_two_lots(self):
        """Lot A holds only 6 kg of the 8 kg of fruit: the line keeps 6 kg of A and the
        remaining 2 kg come from lot B on a second line of the same role."""
        build = self._create_assembly(self.jam, self.jam_list, qty=10.0, lot_name="JAM-B1")
        self._build(build, [self.apple_a.name, self.apple_b.name, self.sugar_lot.name,
                            self.jar.barcode])
        fruit = build.line_ids.filtered(lambda line: line.role == "Fruit")
        self.assertEqual([(line.lot_id, line.qty_done) for line in fruit],
                         [(self.apple_a, 6.0), (self.apple_b, 2.0)])
        self.assertEqual(build.state, "done")
        self.assertEqual(build.lot_id.name, "JAM-B1")
        self.assertEqual(self._on_hand(self.jam, build.lot_id), 10.0)
        self.assertEqual(self._on_hand(self.apples, self.apple_a), 0.0)
        self.assertEqual(self._on_hand(self.apples, self.apple_b), 98.0)
        self.assertEqual(self._on_hand(self.sugar, self.sugar_lot), 48.0)
        self.assertEqual(self._on_hand(self.jar), 480.0)
        produced = self.env["stock.move.line"].search([("lot_id", "=", build.lot_id.id)])
        consumed = self.env["stock.move"].search([
            ("transform_res_id", "=", build.id), ("transform_res_model", "=", "stock.assembly"),
            ("location_dest_id.usage", "=", "production")]).mapped("move_line_ids")
        self.assertEqual(len(consumed), 4)
        self.assertEqual(self._consume_links(produced),
                         sorted((produced.id, line.id) for line in consumed))

    def test_serial_machine_roles_and_next_unit(self):
        """A machine takes a left and a right engine serial; the done build shows which serial
        went into which role; Next Unit starts the next machine from the same list."""
        build = self._create_assembly(self.machine, self.machine_list, lot_name="M-0001")
        self._build(build, [self.engines[0].name, self.engines[1].name])
        self.assertEqual([(line.role, line.lot_id) for line in build.line_ids],
                         [("Left engine", self.engines[0]), ("Right engine", self.engines[1])])
        self.assertEqual(self._on_hand(self.machine, build.lot_id), 1.0)
        action = build.action_next_unit()
        following = self.env["stock.assembly"].browse(action["res_id"])
        self.assertEqual(following.composition_id, self.machine_list)
        self.assertEqual(len(following.line_ids), 2)
        self.assertEqual(following.state, "draft")
        with self.assertRaises(ValidationError):
            following.product_qty = 2.0

    def test_refusals(self):
        """Unknown code, product not on the list, tracked product scanned by its barcode,
        lot without stock, serial not in stock, full line: each refused with its reason."""
        build = self._create_assembly(self.machine, self.machine_list)
        with self.assertRaisesRegex(UserError, "NO-SUCH-CODE"):
            build.action_scan("NO-SUCH-CODE")
        with self.assertRaisesRegex(UserError, "not on the list"):
            build.action_scan(self.sugar_lot.name)
        stranger = self._create_lot(self.engine, unique("ENG-GONE"))
        with self.assertRaisesRegex(UserError, "nothing left"):
            build.action_scan(stranger.name)
        build.action_scan(self.engines[0].name)
        with self.assertRaisesRegex(UserError, "already on this build"):
            build.action_scan(self.engines[0].name)
        build.action_scan(self.engines[1].name)
        with self.assertRaisesRegex(UserError, "already full"):
            build.action_scan(self.engines[2].name)
        jam_build = self._create_assembly(self.jam, self.jam_list, qty=10.0)
        jam_build.action_scan(self.apple_a.name)
        with self.assertRaisesRegex(UserError, "nothing left"):
            jam_build.action_scan(self.apple_a.name)
        coded = self._create_product("Coded", barcode="4006381333948")
        with self.assertRaisesRegex(UserError, "scan its lot"):
            self._create_assembly(self.jam).action_scan(coded.barcode)

    def test_serial_reused_across_builds(self):
        """A serial on one open build is refused on another, and free again once that build
        is cancelled."""
        first = self._create_assembly(self.machine, self.machine_list)
        first.action_scan(self.engines[2].name)
        second = self._create_assembly(self.machine, self.machine_list)
        with self.assertRaisesRegex(UserError, first.name):
            second.action_scan(self.engines[2].name)
        first.action_cancel()
        second.action_scan(self.engines[2].name)
        self.assertEqual(second.line_ids[0].lot_id, self.engines[2])

    def test_on_the_fly_build(self):
        """Without a list each scan adds a line; the operator enters the lot's quantity."""
        build = self._create_assembly(self.jam, qty=3.0, lot_name=unique("JAM"))
        build.action_scan(self.apple_b.name)
        build.action_scan(self.sugar_lot.name)
        with self.assertRaisesRegex(UserError, "enter a quantity"):
            build.action_done()
        build.line_ids.write({"qty_done": 1.5})
        build.action_done()
        self.assertEqual(self._on_hand(self.apples, self.apple_b), 98.5)
        self.assertEqual(self._on_hand(self.jam, build.lot_id), 3.0)

    def test_done_rechecks_stock_and_incomplete(self):
        """Done refuses an incomplete build, and re-checks stock taken meanwhile."""
        build = self._create_assembly(self.jam, self.jam_list, qty=10.0)
        build.action_scan(self.apple_b.name)
        with self.assertRaisesRegex(UserError, "Sweetener"):
            build.action_done()
        build.action_scan(self.sugar_lot.name)
        build.action_scan(self.jar.barcode)
        self._deliver(self.sugar, [(self.sugar_lot, 49.0)])
        with self.assertRaisesRegex(UserError, "Not enough"):
            build.action_done()
        self.assertEqual(build.state, "draft")
        self.assertEqual(self._on_hand(self.apples, self.apple_b), 100.0)

    def test_cancel(self):
        """A draft build can be cancelled; a done one cannot."""
        build = self._create_assembly(self.machine, self.machine_list)
        build.action_cancel()
        self.assertEqual(build.state, "cancel")
        with self.assertRaises(UserError):
            build.action_scan(self.engines[0].name)
        done = self._build(self._create_assembly(self.machine, self.machine_list),
                           [self.engines[0].name, self.engines[1].name])
        with self.assertRaises(UserError):
            done.action_cancel()

    def _scan_in_form(self, values, code):
        """What the web client does when the form's barcode listener hears ``code``."""
        Assembly = self.env["stock.assembly"]
        # The client sends every field of the form; the onchange reports those that change.
        values = dict({"last_scan_message": False, "last_scan_refused": False}, **values)
        values = dict(values, _barcode_scanned=code)
        return Assembly.onchange(values, "_barcode_scanned", Assembly._onchange_spec())

    def test_serial_lines_bounded(self):
        """A quantity whose serial components would take more lines than a build holds is
        refused in the form, naming them (10,000 machines held a server thread)."""
        Assembly = self.env["stock.assembly"]
        values = dict(Assembly.default_get(list(Assembly._fields)), product_id=self.machine.id,
                      composition_id=self.machine_list.id, product_qty=10000.0)
        with self.assertRaisesRegex(UserError, "more than 2000 lines"):
            Assembly.new(values)._prepare_line_vals_from_composition()
        values["product_qty"] = 2.0
        self.assertTrue(Assembly.new(values)._prepare_line_vals_from_composition())

    def test_barcode_listener_fills_or_warns(self):
        """The form's listener (an onchange) uses the same matcher: it fills the line in
        the form, or says on the form why the scan is refused (no dialog) and changes no
        line; nothing is saved."""
        Assembly = self.env["stock.assembly"]
        values = Assembly.default_get(list(Assembly._fields))
        values.update(product_id=self.machine.id, composition_id=self.machine_list.id,
                      product_qty=1.0)
        values["line_ids"] = [(0, 0, vals) for vals in Assembly.new(
            values)._prepare_line_vals_from_composition()]
        refused = self._scan_in_form(values, "NO-SUCH-CODE")
        self.assertNotIn("warning", refused)
        self.assertIn("NO-SUCH-CODE", refused["value"]["last_scan_message"])
        self.assertTrue(refused["value"]["last_scan_refused"])
        self.assertNotIn("line_ids", refused["value"])
        filled = self._scan_in_form(values, self.engines[0].name)
        self.assertNotIn("warning", filled)
        self.assertFalse(filled["value"].get("last_scan_refused"))
        self.assertIn(self.engines[0].name, filled["value"]["last_scan_message"])
        lines = [cmd[2] for cmd in filled["value"]["line_ids"] if cmd[0] in (0, 1)]
        self.assertEqual([(line["role"], line["lot_id"] and line["lot_id"][0]) for line in lines],
                         [("Left engine", self.engines[0].id), ("Right engine", False)])
        self.assertFalse(self.env["stock.assembly.line"].search(
            [("lot_id", "=", self.engines[0].id)]))

    def test_gs1_scan_and_generated_lot(self):
        """A GS1 label with a lot fills the line; with no lot typed, the lot numbering names
        the result."""
        build = self._create_assembly(self.jam, self.jam_list, qty=10.0)
        build.action_scan("(10)%s" % self.apple_b.name)
        build.action_scan(self.sugar_lot.name)
        build.action_scan(self.jar.barcode)
        build.action_done()
        self.assertTrue(build.lot_id.name)
        self.assertEqual(build.lot_name, build.lot_id.name)

    def test_composition_uom_category(self):
        """A list line's unit must be in the category of the product's unit."""
        with self.assertRaises(ValidationError):
            self._create_composition(self.jam, []).write({"line_ids": [(0, 0, {
                "product_id": self.apples.id, "product_qty": 1.0,
                "product_uom_id": self.uom_unit.id})]})

    def test_native_traceability_report(self):
        """Odoo's own report lists the consumed lots under the built lot, with the build as
        reference (dates back-dated to distinct past seconds first)."""
        build = self._build(self._create_assembly(self.machine, self.machine_list,
                                                  lot_name=unique("M")),
                            [self.engines[0].name, self.engines[1].name])
        self._backdate_all()
        Report = self.env["stock.traceability.report"].with_context(
            active_id=build.lot_id.id, model="stock.production.lot", ttype="upstream")
        heads = Report.get_lines()
        quant_head = [h for h in heads if h["model"] == "stock.quant"][0]
        Report = self.env["stock.traceability.report"]  # unfolding: the client sends no lot
        moves = Report.get_lines(quant_head["id"], model_name="stock.quant",
                                 model_id=quant_head["model_id"], level=1, stream="upstream",
                                 parent_quant=False)
        built = [m for m in moves if m["reference"] == build.name]
        self.assertEqual(len(built), 1)
        self.assertEqual((built[0]["res_model"], built[0]["res_id"]), ("stock.assembly", build.id))
        self.assertTrue(built[0]["unfoldable"])
        parts = Report.get_lines(built[0]["id"], model_name="stock.move.line",
                                 model_id=built[0]["model_id"], level=2, stream="upstream",
                                 parent_quant=False)
        self.assertEqual(sorted(p["name"] for p in parts),
                         sorted([self.engines[0].name, self.engines[1].name]))

    def test_plain_user_builds(self):
        """A Traceability user reads lists and scans a build to done; only managers edit
        lists. The form views load."""
        user_env = self.env(user=self.trace_user.id)
        build = user_env["stock.assembly"].create({
            "product_id": self.machine.id, "composition_id": self.machine_list.id})
        self._build(build, [self.engines[0].name, self.engines[1].name])
        self.assertEqual(build.state, "done")
        with self.assertRaises(AccessError):
            user_env["stock.composition"].create({"name": "not allowed"})
        for model in ("stock.assembly", "stock.composition"):
            for view_type in ("form", "tree", "search"):
                self.assertTrue(user_env[model].fields_view_get(view_type=view_type)["arch"])
