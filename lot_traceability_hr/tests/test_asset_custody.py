# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Serialized assets checked out to employees and checked in, as a Traceability user."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from odoo.addons.lot_traceability.tests.common import TraceabilityCase, unique


class TestAssetCustody(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestAssetCustody, cls).setUpClass()
        cls.drill = cls._create_product("Cordless Drill", tracking="serial")
        cls.crib = cls._create_location("Tool Crib")
        cls._receive(cls.drill, [(unique("D18"), 1) for _i in range(3)], location=cls.crib)
        cls.serials = cls.env["stock.production.lot"].search(
            [("product_id", "=", cls.drill.id)], order="id")
        cls.manager_user = cls._create_user("workshop_lead")
        Employee = cls.env["hr.employee"]
        cls.manager = Employee.create({"name": unique("Lead"), "user_id": cls.manager_user.id})
        cls.employee = Employee.create({"name": unique("Fitter"), "parent_id": cls.manager.id,
                                        "barcode": unique("BADGE")})
        cls.Custody = cls.env["stock.asset.custody"].sudo(cls.trace_user)
        cls.today = fields.Date.from_string(fields.Date.context_today(cls.Custody))

    def _date(self, days):
        return fields.Date.to_string(self.today + timedelta(days=days))

    def _check_out(self, lots, employee=None, days=7):
        return self.Custody.browse(self.Custody.check_out(
            lots.ids, (employee or self.employee).id, self._date(days)))

    def test_check_out_moves_serials_to_issued_and_records_custody(self):
        """Two drills handed to a fitter: they move by a done stock move from the tool crib to
        the warehouse's Issued location, each gets a custody record and its equipment, and
        the fitter's form, the serial's page and the Assets view show who holds them."""
        lots = self.serials[:2]
        custodies = self._check_out(lots)
        issued = self.warehouse.asset_issued_location_id
        self.assertTrue(issued.is_asset_issued)
        self.assertEqual(issued.usage, "internal")
        self.assertEqual(issued.location_id, self.warehouse.view_location_id)
        for lot in lots:
            self.assertEqual(self._on_hand(self.drill, lot, issued), 1.0)
            self.assertEqual(self._on_hand(self.drill, lot, self.crib), 0.0)
            self.assertEqual(lot.holder_id, self.employee)
            self.assertEqual(lot.equipment_ids.employee_id, self.employee)
            self.assertEqual(lot.equipment_ids.serial_no, lot.name)
        self.assertEqual(custodies.mapped("lot_id"), lots)
        self.assertEqual(set(custodies.mapped("state")), {"issued"})
        self.assertEqual(custodies.mapped("issued_by_id"), self.trace_user)
        self.assertEqual(custodies.mapped("location_id"), self.crib)
        moves = custodies.mapped("out_move_id")
        self.assertEqual(set(moves.mapped("state")), {"done"})
        self.assertEqual(moves.mapped("move_line_ids.lot_id"), lots)
        self.assertEqual(self.employee.asset_custody_ids, custodies)
        self.assertEqual(self.employee.asset_custody_count, 2)
        held = self.env["stock.asset"].sudo(self.trace_user).search(
            [("employee_id", "=", self.employee.id)])
        self.assertEqual((held.product_id, held.location_id, held.quantity),
                         (self.drill, issued, 2.0))
        groups = self.env["stock.asset"].sudo(self.trace_user).read_group(
            [("product_id", "=", self.drill.id)], ["quantity", "employee_id"], ["employee_id"])
        by_holder = {g["employee_id"] and g["employee_id"][0]: g["quantity"] for g in groups}
        self.assertEqual(by_holder, {self.employee.id: 2.0, False: 1.0})

    def test_check_in_returns_serial_and_closes_custody(self):
        """The fitter brings a drill back: it moves back to the tool crib, the custody record
        says who took it back, the equipment is free again and the serial's history holds
        both moves."""
        lot = self.serials[0]
        custody = self._check_out(lot)
        closed = self.Custody.check_in(lot.ids)
        self.assertEqual(closed, custody.ids)
        self.assertEqual(custody.state, "returned")
        self.assertEqual(custody.returned_by_id, self.trace_user)
        self.assertEqual(custody.return_location_id, self.crib)
        self.assertTrue(custody.date_in)
        self.assertEqual(self._on_hand(self.drill, lot, self.crib), 1.0)
        self.assertFalse(lot.holder_id)
        self.assertFalse(lot.equipment_ids.employee_id)
        self.assertEqual(lot.move_history_ids.mapped("move_id")[-2:],
                         custody.out_move_id | custody.in_move_id)
        # Checked out again later: one history, two records.
        self._check_out(lot)
        self.assertEqual(len(lot.custody_ids), 2)
        self.assertEqual(len(lot.equipment_ids), 1)

    def test_check_in_to_another_location(self):
        """A serial can come back to another internal location, never to a non-internal one."""
        lot = self.serials[0]
        self._check_out(lot)
        with self.assertRaisesRegex(UserError, "Return location: .*Customers"):
            self.Custody.check_in(lot.ids, self.customer_location.id)
        self.Custody.check_in(lot.ids, self.stock_location.id)
        self.assertEqual(self._on_hand(self.drill, lot, self.stock_location), 1.0)

    def test_refusals_name_the_serial_and_write_nothing(self):
        """A bulk check-out is all or nothing: one bad serial refuses them all, by name."""
        good = self.serials[0]
        lot_product = self._create_product("Apples")
        self._receive(lot_product, [("APL-" + unique("X"), 5)])
        apple_lot = self.env["stock.production.lot"].search(
            [("product_id", "=", lot_product.id)])
        never_received = self._create_lot(self.drill)
        shipped = self.serials[2]
        self._deliver(self.drill, [(shipped, 1)], location=self.crib)
        cases = [
            (apple_lot, "tracked by lots, not by serial numbers"),
            (never_received, "is not in stock"),
            (shipped, "is not in stock"),
        ]
        custodies_before = self.Custody.sudo().search_count([])
        for bad, message in cases:
            with self.assertRaisesRegex(UserError, "%s.*%s" % (bad.name, message)):
                self._check_out(good | bad)
            self.assertEqual(self._on_hand(self.drill, good, self.crib), 1.0)
        self.assertEqual(self.Custody.sudo().search_count([]), custodies_before)
        self._check_out(self.serials[1])
        with self.assertRaisesRegex(UserError, "%s is already checked out to %s" % (
                self.serials[1].name, self.employee.name)):
            self._check_out(good | self.serials[1])
        self.assertFalse(good.holder_id)
        with self.assertRaisesRegex(UserError, "not checked out"):
            self.Custody.check_in((good | self.serials[1]).ids)
        self.assertEqual(self.serials[1].holder_id, self.employee)

    def test_employee_of_another_company(self):
        """Refused, and the message names the user who asked, not the superuser whose
        rights read the employee."""
        other = self.env["res.company"].create({"name": unique("Other Works")})
        outsider = self.env["hr.employee"].create({"name": unique("Outsider"),
                                                   "company_id": other.id})
        with self.assertRaisesRegex(AccessError, "not to the company of %s" %
                                    self.trace_user.name):
            self._check_out(self.serials[0], employee=outsider)
        self.assertFalse(self.serials[0].holder_id)

    def test_archived_employee_and_bad_arguments(self):
        """An archived employee is refused; so is an empty list or an unknown id."""
        leaver = self.env["hr.employee"].create({"name": unique("Leaver"), "active": False})
        with self.assertRaisesRegex(UserError, "%s is archived" % leaver.name):
            self._check_out(self.serials[0], leaver)
        with self.assertRaisesRegex(UserError, "at least one serial number"):
            self.Custody.check_out([], self.employee.id)
        with self.assertRaisesRegex(UserError, "employee_id"):
            self.Custody.check_out(self.serials[0].ids, 999999999)
        with self.assertRaisesRegex(UserError, "expected_return_date"):
            self.Custody.check_out(self.serials[0].ids, self.employee.id, "not a date")
        self.assertFalse(self.serials[0].holder_id)

    def test_overdue_return_notifies_the_manager_once(self):
        """A drill due back three days ago is overdue; the daily job gives the fitter's manager
        one activity, which the check-in closes."""
        late = self._check_out(self.serials[0], days=-3)
        on_time = self._check_out(self.serials[1], days=10)
        self.assertTrue(late.is_overdue)
        self.assertFalse(on_time.is_overdue)
        overdue = self.Custody.search([("is_overdue", "=", True)])
        self.assertIn(late, overdue)
        self.assertNotIn(on_time, overdue)
        self.assertIn(on_time, self.Custody.search([("is_overdue", "=", False)]))
        notified = self.env["stock.asset.custody"]._cron_notify_overdue()
        self.assertIn(late.id, notified)
        self.assertNotIn(on_time.id, notified)
        activity = late.overdue_activity_id
        self.assertEqual(activity.user_id, self.manager_user)
        self.assertEqual((activity.res_model, activity.res_id), (late._name, late.id))
        self.assertNotIn(late.id, self.env["stock.asset.custody"]._cron_notify_overdue())
        self.Custody.check_in(self.serials[0].ids)
        self.assertFalse(activity.exists())  # done: Odoo 11 unlinks a done activity

    def test_rights_are_checked_on_the_server(self):
        """A stock user without the Traceability group cannot check out; nobody writes custody
        records but the two operations."""
        stock_user = self._create_user("stock_user", "stock.group_stock_user")
        with self.assertRaises(AccessError):
            self.env["stock.asset.custody"].sudo(stock_user).check_out(
                self.serials[0].ids, self.employee.id)
        custody = self._check_out(self.serials[0])
        with self.assertRaises(AccessError):
            custody.write({"employee_id": self.manager.id})
        with self.assertRaises(AccessError):
            self.Custody.create({"lot_id": self.serials[1].id, "employee_id": self.employee.id})
        self.assertEqual(custody.employee_id, self.employee)

    def test_forms_open_without_the_traceability_group(self):
        """A stock user opens a serial's page, an HR officer an employee's form: the custody
        parts are hidden from them, the rest reads without AccessError."""
        stock_user = self._create_user("stock_user", "stock.group_stock_user")
        hr_user = self._create_user("hr_user", "hr.group_hr_user")
        self._check_out(self.serials[0])
        for user, record in ((stock_user, self.serials[0]), (hr_user, self.employee)):
            view = record.sudo(user).fields_view_get(view_type="form")
            self.assertFalse({"custody_ids", "asset_custody_ids"} & set(view["fields"]))
            self.assertTrue(record.sudo(user).read(list(view["fields"])))
        self.assertEqual(self.serials[0].sudo(stock_user).holder_id, self.employee)

    def test_scan_screen_checks_out_by_badge_and_serials(self):
        """On Check Out / Check In a Traceability user scans two serials and the badge, then
        Apply: both are checked out, and the screen lists their custody records."""
        wizard = self.env["stock.asset.checkout"].sudo(self.trace_user).create(
            {"expected_return_date": self._date(5)})
        wizard.on_barcode_scanned(self.serials[0].name)
        wizard.on_barcode_scanned(self.employee.barcode)
        wizard.on_barcode_scanned(self.serials[1].name)
        wizard.on_barcode_scanned("NO-SUCH-CODE")
        self.assertEqual(wizard.employee_id, self.employee)
        self.assertEqual(wizard.lot_ids, self.serials[:2])
        self.assertIn("NO-SUCH-CODE", wizard.message)
        action = wizard.action_apply()
        custodies = self.Custody.search(action["domain"])
        self.assertEqual(custodies.mapped("lot_id"), self.serials[:2])
        self.assertEqual(self.serials[0].expected_return_date, self._date(5))
        # From the serial's page, the same screen opens as a check-in for held serials.
        action = self.serials[0].sudo(self.trace_user).action_asset_check_out()
        self.assertEqual(action["context"]["default_mode"], "in")
        wizard = self.env["stock.asset.checkout"].sudo(self.trace_user).create(
            {"mode": "in", "lot_ids": [(6, 0, self.serials.ids[:2])]})
        wizard.action_apply()
        self.assertFalse(self.serials[:2].mapped("holder_id"))

    def test_scan_screen_never_writes_the_lots(self):
        """The web client sends lots an onchange added as (1, id, values): the screen keeps
        the ids and writes nothing to the lots."""
        other = self._create_product("Grinder", tracking="serial")
        wizard = self.env["stock.asset.checkout"].sudo(self.trace_user).create({
            "employee_id": self.employee.id,
            "lot_ids": [(6, 0, []), (1, self.serials[0].id,
                                     {"product_id": other.id, "name": "RENAMED"})]})
        self.assertEqual(wizard.lot_ids, self.serials[0])
        self.assertEqual(self.serials[0].product_id, self.drill)
        self.assertNotEqual(self.serials[0].name, "RENAMED")
        wizard.action_apply()
        self.assertEqual(self.serials[0].holder_id, self.employee)

    def test_views_load(self):
        """The bridge's views render for a Traceability user."""
        for model, view_type in [("stock.production.lot", "form"), ("stock.asset", "tree"),
                                 ("stock.asset", "search"), ("stock.asset.custody", "tree"),
                                 ("stock.asset.custody", "search"),
                                 ("stock.asset.custody", "form"),
                                 ("stock.asset.checkout", "form"), ("hr.employee", "form")]:
            arch = self.env[model].sudo(self.trace_user).fields_view_get(
                view_type=view_type)["arch"]
            self.assertTrue(arch)
