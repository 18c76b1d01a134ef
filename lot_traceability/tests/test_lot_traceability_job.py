# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Long operations in the background (``lot.traceability.job``).

Scenario: a Traceability user applies thousands of serials, splits a batch into many units,
opens a wide recall or prints a sheet of labels. Under the threshold it happens at once, as
always; above it, the request checks the input and answers with a job; the job (run here as
queue_job's runner runs it, ``Job.load(...).perform()`` in the job's user's environment) does
the work all-or-nothing, stores its progress and result and notifies the user.
The runner itself, over HTTP with two jobs at once, is exercised by tests/test_jobs_live.py.
"""
import base64
import json
from io import BytesIO

import openpyxl

from odoo.exceptions import AccessError, UserError

from odoo.addons.queue_job.job import Job

from ..models import stock_lot_recall
from ..models.lot_traceability_job import JobProgress
from ..tools.internal_context import internal_context
from .common import TraceabilityCase, unique


class TestLotTraceabilityJob(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(TestLotTraceabilityJob, cls).setUpClass()
        cls.serial_product = cls._create_product("Logger", tracking="serial")
        params = cls.env["ir.config_parameter"].sudo()
        for operation in ("serial_apply", "lot_split", "recall_open", "recall_hold", "report",
                          "trace_xlsx", "epcis_export"):
            params.set_param("lot_traceability.job_threshold.%s" % operation, "5")

    def _serials(self, count):
        prefix = unique("JOB")
        return ["%s-%03d" % (prefix, number) for number in range(count)]

    def _job_of(self, action):
        self.assertEqual(action["res_model"], "lot.traceability.job", action)
        return self.env["lot.traceability.job"].browse(action["res_id"])

    def _perform(self, job_record):
        """What queue_job's runner does for the job (controllers/main.py, runjob)."""
        queued = Job.load(self.env, job_record.queue_job_uuid)
        queued.set_started()
        result = queued.perform()
        job_record.invalidate_cache()
        return result

    def _notifications(self, user, kind):
        return self.env["bus.bus"].sudo().search(
            [("channel", "like", "notify_%s_%d" % (kind, user.id))])

    def _lots(self, serials):
        return self.env["stock.production.lot"].search([("name", "in", serials)])

    def _print(self, xmlid, records, user):
        """A Print menu entry as the web client runs it (/web/action/run)."""
        return self.env.ref(xmlid).sudo(user).with_context(
            active_model=records._name, active_ids=records.ids, active_id=records[:1].id).run()

    def _juice_chain(self, count):
        """An apple lot received, made into ``count`` juice lots: the apple's trace has
        count + 2 rows (1 upstream, 1 + count downstream)."""
        apples, juice = self._create_product("Job Apples"), self._create_product("Job Juice")
        apple = self._create_lot(apples)
        self._receive(apples, [(apple, float(count))])
        juices = [self._create_lot(juice) for _index in range(count)]
        self._transform_as_mrp([(apple, float(count))], [(lot, 1.0) for lot in juices])
        return apple, juices

    def _progress_of_work(self, job_record):
        """Run the job's work alone, as the job hands it its progress: the done count it
        stored (the job's own end writes the total whatever the work reported)."""
        reporter = JobProgress(job_record, job_record.size)
        records = self.env[job_record.res_model].sudo(self.trace_user).browse(
            json.loads(job_record.res_ids))
        getattr(records.with_context(**internal_context(lot_traceability_progress=reporter)),
                job_record.method)(**json.loads(job_record.kwargs))
        return self.env["lot.traceability.job.progress"].search(
            [("job_id", "=", job_record.id)]).done

    # --- under the threshold, or with the context flag: at once -------------------------------
    def test_small_apply_runs_now(self):
        serials = self._serials(3)
        action = self._bulk_entry(self.serial_product, "\n".join(serials)).action_apply()
        self.assertNotEqual(action.get("res_model"), "lot.traceability.job")
        self.assertEqual(len(self._lots(serials)), 3)

    def test_sync_flag_runs_now(self):
        serials = self._serials(8)
        wizard = self._bulk_entry(self.serial_product, "\n".join(serials))
        action = wizard.with_context(**internal_context(lot_traceability_sync=True)).action_apply()
        self.assertNotEqual(action.get("res_model"), "lot.traceability.job")
        self.assertEqual(len(self._lots(serials)), 8)

    # --- above it: a job ----------------------------------------------------------------
    def test_large_apply_runs_as_job(self):
        """The request answers with the job; the job writes the serials, progress done of
        total, the result (the move lines) and a notification with a link to it."""
        serials = self._serials(12)
        # with the chatter on, as in the web client
        action = self._bulk_entry(self.serial_product, "\n".join(serials)).with_context(
            tracking_disable=False).action_apply()
        job_record = self._job_of(action).sudo(self.trace_user)
        self.assertEqual((job_record.status, job_record.size), ("queued", 12))
        self.assertFalse(self._lots(serials), "nothing is written before the job runs")
        queued = self.env["queue.job"].search([("uuid", "=", job_record.queue_job_uuid)])
        self.assertEqual(len(queued), 1)
        self.assertFalse(queued.message_ids or queued.message_follower_ids,
                         "queue_job's record is made without chatter: the job is followed")
        self.assertEqual(self._perform(job_record), "done")
        self.assertEqual(len(self._lots(serials)), 12)
        self.assertEqual((job_record.status, job_record.progress_done, job_record.progress),
                         ("done", 12, 100.0))
        progress = self.env["lot.traceability.job.progress"].search(
            [("job_id", "=", job_record.id)])
        self.assertEqual((progress.done, progress.total), (12, 12))
        # the progress is read by those who read the job: its user and the company's
        # managers, not another Traceability user (its name tells what the job does)
        Progress = self.env["lot.traceability.job.progress"]
        other = self._create_user("other_job_user",
                                  "lot_traceability.lot_traceability_group_user")
        self.assertEqual(Progress.sudo(self.trace_user).search(
            [("job_id", "=", job_record.id)]), progress)
        self.assertEqual(Progress.sudo(self.trace_manager).search(
            [("job_id", "=", job_record.id)]), progress)
        self.assertFalse(Progress.sudo(other).search([("job_id", "=", job_record.id)]))
        with self.assertRaises(AccessError):
            progress.sudo(other).read(["done", "job_id"])
        result = job_record.action_open_result()
        lines = self.env[result["res_model"]].search(result["domain"])
        self.assertEqual(sorted(lines.mapped("lot_id.name")), sorted(serials))
        notes = self._notifications(self.trace_user, "info")
        self.assertEqual(len(notes), 1)
        # a list of lots has no address of its own: the link opens the job (Open Result)
        self.assertIn("id=%d&amp;model=lot.traceability.job" % job_record.id, notes.message)
        self.assertIn("Open the result", notes.message)

    def test_bad_input_refused_in_the_request(self):
        """Bad input above the threshold is refused at once, with Apply's message; no job."""
        serials = self._serials(6)
        wizard = self._bulk_entry(self.serial_product, "\n".join(serials + serials[:1]))
        jobs_before = self.env["lot.traceability.job"].sudo().search_count([])
        with self.assertRaisesRegex(UserError, "more than once: %s" % serials[0]):
            wizard.action_apply()
        self.assertEqual(self.env["lot.traceability.job"].sudo().search_count([]), jobs_before)

    def test_failure_writes_nothing_and_notifies(self):
        """Someone receives one of the serials before the job runs: the job fails naming
        it, writes none of the others, and the user is told why."""
        serials = self._serials(7)
        job_record = self._job_of(self._bulk_entry(
            self.serial_product, "\n".join(serials)).action_apply()).sudo(self.trace_user)
        self._bulk_entry(self.serial_product, serials[3]).action_apply()
        pickings = self.env["stock.picking"].search_count([])
        self.assertTrue(self._perform(job_record).startswith("failed"))
        self.assertEqual(job_record.status, "failed")
        self.assertIn(serials[3], job_record.failure)
        self.assertIn("already in stock", job_record.failure)
        self.assertEqual(self._lots(serials).mapped("name"), [serials[3]])
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings)
        notes = self._notifications(self.trace_user, "warning")
        self.assertEqual(len(notes), 1)
        self.assertIn("nothing was written", notes.message)
        with self.assertRaisesRegex(UserError, "has no result"):
            job_record.action_open_result()

    def test_second_click_finds_the_running_job(self):
        serials = self._serials(6)
        wizard = self._bulk_entry(self.serial_product, "\n".join(serials))
        wizard.action_apply()
        with self.assertRaisesRegex(UserError, "already running in the background"):
            wizard.action_apply()

    def test_split_runs_as_job(self):
        batch_product = self._create_product("Job Sauce", uom=self.uom_kg)
        batch = self._create_lot(batch_product, unique("JB"))
        self._receive(batch_product, [(batch, 10.0)])
        wizard = self.env["stock.lot.split"].sudo(self.trace_user).with_context(
            active_model="stock.production.lot", active_id=batch.id).create({
                "location_id": self.stock_location.id, "unit_count": 10})
        job_record = self._job_of(wizard.action_apply()).sudo(self.trace_user)
        self.assertEqual(self._internal_stock(batch), {self.stock_location: 10.0})
        self.assertEqual(self._perform(job_record), "done")
        units = self.env["stock.production.lot"].search(
            job_record.action_open_result()["domain"])
        self.assertEqual(len(units), 10)
        self.assertFalse(self._internal_stock(batch))

    def test_label_sheet_runs_as_job(self):
        """A sheet of labels above the threshold is rendered into an attachment."""
        serials = self._serials(6)
        action = self._bulk_entry(self.serial_product, "\n".join(serials),
                                  partner_id=self.supplier.id).with_context(
            **internal_context(lot_traceability_sync=True)).action_apply()
        picking = self.env["stock.move.line"].search(action["domain"]).mapped("picking_id")
        job_record = self._job_of(picking.sudo(self.trace_user).action_print_lot_labels())
        self.assertEqual(self._perform(job_record.sudo(self.trace_user)), "done")
        attachment = job_record.result_attachment_id
        self.assertTrue(attachment.datas)
        self.assertEqual((attachment.res_model, attachment.res_id),
                         ("lot.traceability.job", job_record.id))
        self.assertEqual(job_record.action_open_result()["url"],
                         "/web/content/%d?download=true" % attachment.id)
        # the notification's link is the file itself
        self.assertIn("href='/web/content/%d?download=true'" % attachment.id,
                      self._notifications(self.trace_user, "info").message)

    def test_open_recall_runs_as_job(self):
        """A recall over six lots (threshold 5): opened by the job, the result is the recall."""
        product = self._create_product("Job Flour")
        lots = self.env["stock.production.lot"]
        for _index in range(6):
            lots |= self._create_lot(product)
        self._receive(product, [(lot, 5.0) for lot in lots])
        recall = self.env["stock.lot.recall"].sudo(self.trace_manager).create(
            {"lot_ids": [(6, 0, lots.ids)]})
        job_record = self._job_of(recall.action_open()).sudo(self.trace_manager)
        self.assertEqual((recall.state, job_record.size), ("draft", 6))
        with self.assertRaisesRegex(UserError, "already running in the background"):
            recall.action_open()
        self.assertEqual(self._perform(job_record), "done")
        recall.invalidate_cache()
        self.assertEqual((recall.state, recall.affected_lot_count), ("in_progress", 6))
        result = job_record.action_open_result()
        self.assertEqual((result["res_model"], result["res_id"]), (recall._name, recall.id))
        # the notification's link opens the recall, not the job
        self.assertIn("href='/web#id=%d&amp;model=stock.lot.recall&amp;view_type=form'"
                      % recall.id, self._notifications(self.trace_manager, "info").message)

    def test_open_recall_reports_each_page(self):
        """Open Recall reports its progress after each page of the scope and of the
        customers it writes (it reported twice in all: a wide recall's bar stood at 0% for
        35 s), rising, within the job's size."""
        product = self._create_product("Paged Flour")
        lots = self.env["stock.production.lot"]
        for _index in range(6):
            lots |= self._create_lot(product)
        self._receive(product, [(lot, 5.0) for lot in lots])
        self._deliver(product, [(lot, 1.0) for lot in lots])
        recall = self.env["stock.lot.recall"].sudo(self.trace_manager).create(
            {"lot_ids": [(6, 0, lots.ids)]})
        reported = []

        class Recorder(JobProgress):
            def __call__(self, done):
                reported.append(done)
        page = stock_lot_recall.PAGE
        stock_lot_recall.PAGE = 2
        try:
            recall.with_context(**internal_context(
                lot_traceability_progress=Recorder(recall, 6)))._open()
        finally:
            stock_lot_recall.PAGE = page
        # three pages of scope (1, 2, 3 lots of 6 stored: half the bar), three of customers
        self.assertEqual(reported[:3], [1, 2, 3])
        self.assertGreaterEqual(len(reported), 7)
        self.assertEqual(reported, sorted(reported))
        self.assertLessEqual(reported[-1], 6)

    def _open_recall_of(self, name, count):
        """A recall opened (now) over ``count`` lots of 5 on hand each."""
        product = self._create_product(name)
        lots = self.env["stock.production.lot"]
        for _index in range(count):
            lots |= self._create_lot(product)
        self._receive(product, [(lot, 5.0) for lot in lots])
        recall = self.env["stock.lot.recall"].sudo(self.trace_manager).create(
            {"lot_ids": [(6, 0, lots.ids)], "reason": "Job test"})
        recall.with_context(**internal_context(lot_traceability_sync=True)).action_open()
        return recall, lots

    def test_hold_and_release_run_as_jobs(self):
        """Hold Stock and Release Stock of a recall over six lots (threshold 5) are jobs:
        nothing moves before the job runs, a second click finds it, the notification links
        to the recall; a job whose recall was closed in between fails and writes nothing."""
        recall, lots = self._open_recall_of("Held Flour", 6)
        job_record = self._job_of(recall.action_hold()).sudo(self.trace_manager)
        self.assertEqual((job_record.size, recall.held_count), (6, 0))
        self.assertEqual(set(lots.mapped("quality_state")), {"released"})
        with self.assertRaisesRegex(UserError, "already running in the background"):
            recall.action_hold()
        with self.assertRaisesRegex(UserError, "holds no stock"):  # nothing held yet
            recall.action_release()
        self.assertEqual(self._perform(job_record), "done")
        recall.invalidate_cache()
        lots.invalidate_cache()
        self.assertEqual(recall.held_count, 6)
        self.assertEqual(set(lots.mapped("quality_state")), {"hold"})
        self.assertIn("href='/web#id=%d&amp;model=stock.lot.recall&amp;view_type=form'"
                      % recall.id, self._notifications(self.trace_manager, "info")[0].message)
        # Release: refused to a Traceability user in the request, a manager's job
        with self.assertRaisesRegex(AccessError, "Traceability Manager"):
            recall.sudo(self.trace_user).action_release()
        release = self._job_of(recall.action_release()).sudo(self.trace_manager)
        self.assertEqual(self._perform(release), "done")
        recall.invalidate_cache()
        lots.invalidate_cache()
        self.assertEqual(set(recall.hold_line_ids.mapped("state")), {"released"})
        self.assertEqual(set(lots.mapped("quality_state")), {"released"})
        # the work checks again when it runs: the recall closed meanwhile, nothing is held
        second = self._job_of(recall.action_hold()).sudo(self.trace_manager)
        recall.action_close()
        self.assertEqual(self._perform(second), "failed: Recall %s is not in progress (it is "
                         "Closed)." % recall.name)
        recall.invalidate_cache()
        lots.invalidate_cache()
        self.assertEqual(set(lots.mapped("quality_state")), {"released"})
        self.assertEqual(set(recall.hold_line_ids.mapped("state")), {"released"})

    def test_hold_reports_moves_then_lots(self):
        """Hold Stock reports its progress after the stock's moves (the first half) and
        after each chunk of the lots' notes (the second), rising, within the job's size."""
        recall, _lots = self._open_recall_of("Reported Flour", 6)
        reported = []

        class Recorder(JobProgress):
            def __call__(self, done):
                reported.append(done)
        recall.with_context(**internal_context(
            lot_traceability_progress=Recorder(recall, 6), lot_transform_bulk=True))._hold()
        self.assertEqual(reported, [3, 6])

    # --- progress -------------------------------------------------------------------------
    def test_progress_every_five_percent(self):
        """Progress is stored on the first call, then whenever 5% more is done (or a second
        has passed), and always at the end."""
        job_record = self.env["lot.traceability.job"].sudo().create({
            "name": "progress", "operation": "report", "size": 100})
        reporter = JobProgress(job_record, 100)
        progress = self.env["lot.traceability.job.progress"]
        stored = []
        for done in (0, 3, 4, 5, 9, 10, 99, 100):
            reporter.last_time = float("inf") if done else 0.0  # no second passes here
            reporter(done)
            stored.append(progress.search([("job_id", "=", job_record.id)]).done)
        self.assertEqual(stored, [0, 0, 0, 5, 5, 10, 99, 100])

    # --- exports and label sheets from the Print menus, EPCIS --------------------------------
    def test_print_menus_are_the_report_helper(self):
        """Each of the lots' and recalls' Print entries is once in its menu, as the action
        that goes through the one report helper (a report action bound there too would be
        downloaded by the web client, whatever its size)."""
        bindings = self.env["ir.actions.actions"].get_bindings
        for model, names in (("stock.production.lot", {"Trace (XLSX)",
                                                       "Lot Label (QR, 100 x 50 mm)",
                                                       "Lot Labels (QR, A4 sheet)"}),
                             ("stock.lot.recall", {"Trace of the origin lots (XLSX)"})):
            printed = [(action["name"], action["type"]) for action in bindings(model)["report"]]
            for name in names:
                self.assertEqual([kind for label, kind in printed if label == name],
                                 ["ir.actions.server"], (model, name))

    def test_trace_xlsx_from_print_menu(self):
        """Under the threshold of rows the Print menu downloads the trace; above it a job
        writes the workbook as its attachment, with its progress row by row."""
        apple, juices = self._juice_chain(6)
        action = self._print("lot_traceability.stock_lot_trace_xlsx_print", juices[0],
                             self.trace_user)
        self.assertEqual((action["type"], action["report_name"], action["context"]["active_ids"]),
                         ("ir.actions.report", "lot_traceability.stock_lot_trace_xlsx",
                          juices[0].ids), "3 rows: downloaded at once")
        job_record = self._job_of(self._print(
            "lot_traceability.stock_lot_trace_xlsx_print", apple, self.trace_user))
        self.assertEqual((job_record.operation, job_record.size), ("trace_xlsx", 8))
        self.assertEqual(self._progress_of_work(job_record.sudo()), 8,
                         "each page of rows written is stored, up to the last")
        self.assertEqual(self._perform(job_record.sudo(self.trace_user)), "done")
        attachment = job_record.result_attachment_id
        self.assertEqual(attachment.datas_fname, "lot_trace_%s.xlsx" % apple.name)
        book = openpyxl.load_workbook(BytesIO(base64.b64decode(attachment.datas)))
        downstream = [row[1] for row in book["Downstream"].iter_rows(min_row=2, values_only=True)]
        self.assertEqual(sorted(downstream), sorted([apple.name] + [lot.name for lot in juices]))

    def test_two_prints_of_one_report(self):
        """One report printed for two sets of lots makes two jobs; the same print again is
        refused with the first job's number."""
        product = self._create_product("Job Labels")
        lots = [self._create_lot(product) for _index in range(12)]
        first, second = (self.env["stock.production.lot"].browse([lot.id for lot in half])
                         for half in (lots[:6], lots[6:]))
        menu = "lot_traceability.action_report_lot_label_small_print"
        jobs = [self._job_of(self._print(menu, lots_, self.trace_user))
                for lots_ in (first, second)]
        self.assertNotEqual(jobs[0], jobs[1])
        with self.assertRaisesRegex(UserError, "job %d" % jobs[1].id):
            self._print(menu, second, self.trace_user)

    def test_trace_xlsx_refused_in_the_request(self):
        """A stock user without the Traceability group is refused at once; no job."""
        apple, _juices = self._juice_chain(6)
        stock_user = self._create_user("job_stock_user", "stock.group_stock_user")
        jobs_before = self.env["lot.traceability.job"].sudo().search_count([])
        with self.assertRaisesRegex(AccessError, "not a Traceability User"):
            self._print("lot_traceability.stock_lot_trace_xlsx_print", apple, stock_user)
        self.assertEqual(self.env["lot.traceability.job"].sudo().search_count([]), jobs_before)

    def test_label_sheet_from_print_menu_and_its_failure(self):
        """Six lots' labels from the lots' Print menu: a job. When one lot's label can no
        longer be printed, the job fails naming it, attaches nothing and says so."""
        product = self._create_product("Job Labels")
        lots = self.env["stock.production.lot"]
        for _index in range(6):
            lots |= self._create_lot(product)
        job_record = self._job_of(self._print(
            "lot_traceability.action_report_lot_label_sheet_print", lots, self.trace_user))
        self.assertEqual((job_record.operation, job_record.size), ("report", 6))
        self.assertEqual(self._progress_of_work(job_record.sudo()), 3,
                         "the labels' QR codes are the first half of the work")
        # A code stored before the rules of today, too long for a QR code.
        self.env.cr.execute("UPDATE stock_production_lot SET name = %s WHERE id = %s",
                            ("L" * 10000, lots[2].id))
        lots.invalidate_cache()
        attachments = self.env["ir.attachment"].sudo().search_count([])
        self.assertTrue(self._perform(job_record.sudo(self.trace_user)).startswith("failed"))
        self.assertIn("cannot be printed", job_record.failure)
        self.assertFalse(job_record.result_attachment_id)
        self.assertEqual(self.env["ir.attachment"].sudo().search_count([]), attachments)
        self.assertEqual(len(self._notifications(self.trace_user, "warning")), 1)

    def test_epcis_export_runs_as_job(self):
        """An EPCIS export of more move lines than the threshold: the request checks it and
        answers with a job; the job's file is the JSON-LD document."""
        apple, juices = self._juice_chain(6)
        Export = self.env["stock.lot.epcis.export"].sudo(self.trace_user)
        with self.assertRaisesRegex(UserError, "2026-02-01"):
            Export.create({"date_from": "2026-02-01", "date_to": "2026-01-01"}).action_export()
        wizard = Export.with_context(active_model="stock.production.lot",
                                     active_ids=apple.ids).create({"include_chain": True})
        job_record = self._job_of(wizard.action_export())
        # The apple's receipt and consumption, the juices' production lines.
        self.assertEqual((job_record.operation, job_record.size), ("epcis_export", 8))
        self.assertEqual(self._perform(job_record.sudo(self.trace_user)), "done")
        document = json.loads(base64.b64decode(
            job_record.result_attachment_id.datas).decode("utf-8"))
        self.assertEqual(document["type"], "EPCISDocument")
        events = document["epcisBody"]["eventList"]
        self.assertIn("TransformationEvent", {event["type"] for event in events})
