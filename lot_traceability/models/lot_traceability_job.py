# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""THE way a long operation of the addon runs: now, or as one background job with progress.

Every long operation (Bulk Serial Entry's Apply, Split Into Units, Open Recall, Hold and
Release Stock, the addon's XLSX and EPCIS exports and label sheets) validates its input in the
request, with the messages it always had, and then hands its work to
:meth:`LotTraceabilityJob.run`:

* below the operation's threshold (system parameter ``lot_traceability.job_threshold.<operation>``),
  or with the context flag ``lot_traceability_sync``, the work runs now, in the request;
* above it, a ``lot.traceability.job`` record is made and one ``queue_job`` job runs the same
  work later, as the same user, all-or-nothing: inside a savepoint, so that a failure leaves
  nothing but the job's failure reason and the user's notification.

Progress (done of total) is stored in ``lot.traceability.job.progress`` through a short
transaction of its own, so the user sees it while the job's own transaction is still open;
the job record itself is written only by the request that makes it and by the job's own
transaction (PostgreSQL's repeatable read would refuse a row both had changed).
Nothing is kept in the process: a job may run in any worker of a multi-process server.
"""
import json
import logging
import time

import psycopg2
from psycopg2 import errorcodes

import odoo
from odoo import _, api, fields, models
from odoo.exceptions import UserError, except_orm
from odoo.tools import html_escape

from odoo.addons.queue_job.job import job

from ..tools.internal_context import get_internal, internal_context
from .lot_traceability_input import Text, check_arguments

_logger = logging.getLogger(__name__)

#: The operations that may run in the background, with their default threshold: from how many
#: items (serials, units, affected lots, rows, labels, move lines) a call becomes a job.
OPERATIONS = [
    ("serial_apply", "Bulk Serial Entry", 1000),
    ("lot_split", "Split Into Units", 500),
    ("recall_open", "Open Recall", 200),
    ("recall_hold", "Hold or Release Stock", 2000),
    ("report", "Export or label sheet", 500),
    ("trace_xlsx", "Trace XLSX", 10000),
    ("epcis_export", "EPCIS export", 2000),
]
THRESHOLD_PARAM = "lot_traceability.job_threshold.%s"
#: Context key: run the work now whatever its size (tests, scripts).
SYNC_KEY = "lot_traceability_sync"
#: Context key of the progress reporter a running job hands to its work.
PROGRESS_KEY = "lot_traceability_progress"
#: PostgreSQL errors queue_job retries by itself (the transaction is retried, not failed).
RETRIED_PGCODES = (errorcodes.SERIALIZATION_FAILURE, errorcodes.DEADLOCK_DETECTED)


class JobProgress(object):
    """Write a job's progress at most every second or every 5% of the work, whichever
    comes first (and always the first and last count)."""

    def __init__(self, job_record, total):
        self.job_id = job_record.id
        self.env = job_record.env
        self.total = max(int(total), 1)
        self.step = max(self.total // 20, 1)
        self.last_done = None
        self.last_time = 0.0

    def __call__(self, done):
        done = min(max(int(done), 0), self.total)
        now = time.monotonic()
        if (self.last_done is not None and done < self.total
                and now - self.last_time < 1.0 and done - self.last_done < self.step):
            return
        self.last_done, self.last_time = done, now
        self.env["lot.traceability.job.progress"]._store(self.job_id, done, self.total)


class LotTraceabilityJob(models.Model):
    _name = "lot.traceability.job"
    _description = "Background job"
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    operation = fields.Selection([(code, label) for code, label, _size in OPERATIONS],
                                 required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Started by", required=True, readonly=True,
                              default=lambda self: self.env.user, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True,
                                 default=lambda self: self.env.user.company_id)
    res_model = fields.Char(string="Model", readonly=True)
    res_ids = fields.Char(string="Records", readonly=True, help="JSON list of ids")
    method = fields.Char(readonly=True)
    kwargs = fields.Text(readonly=True, help="JSON: the work's keyword arguments")
    size = fields.Integer(string="Items", readonly=True)
    queue_job_uuid = fields.Char(string="Job UUID", readonly=True, index=True)
    state = fields.Selection([("queued", "Waiting"), ("done", "Done"), ("failed", "Failed")],
                             default="queued", required=True, readonly=True)
    status = fields.Selection([("queued", "Waiting"), ("running", "Running"), ("done", "Done"),
                               ("failed", "Failed")], compute="_compute_progress")
    progress_done = fields.Integer(string="Done", compute="_compute_progress")
    progress = fields.Float(compute="_compute_progress")
    failure = fields.Text(string="Failure Reason", readonly=True)
    result_action = fields.Text(readonly=True, help="JSON: the action that opens the result")
    result_attachment_id = fields.Many2one("ir.attachment", string="Result File", readonly=True)
    date_done = fields.Datetime(string="Ended", readonly=True)

    # --- starting -----------------------------------------------------------------------
    @api.model
    def _get_threshold(self, operation):
        default = {code: size for code, _label, size in OPERATIONS}[operation]
        value = self.env["ir.config_parameter"].sudo().get_param(THRESHOLD_PARAM % operation)
        try:
            return int(value) if value else default
        except ValueError:
            return default

    @api.model
    def _start(self, records, method, operation, size, name, check=None, kwargs=None,
               now=None):
        """Run ``records.<method>(**kwargs)`` now when ``size`` is under the operation's
        threshold (or the context says so), else as a background job; returns the work's
        action, or the job's form. ``check`` (a method of ``records``) validates the input in
        the request before a job is made; the work itself must check again. ``now``: the
        method run instead in the request (default ``method``)."""
        if get_internal(self.env.context, SYNC_KEY) or size < self._get_threshold(operation):
            return getattr(records, now or method)(**(kwargs or {}))
        if check:
            getattr(records, check)()
        self._check_not_running(records, method, kwargs)
        # Users only read jobs: the record is written by the system, for this user.
        job_record = self.sudo().create(
            self._prepare_job_vals(records, method, operation, size, name, kwargs))
        # queue_job's own record, without its chatter: no "created" message, no follower
        # (the job record above is what the user follows; 17 ms of each start)
        queued = job_record.sudo(self.env.uid).with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True).with_delay(
            description=name)._perform()
        job_record.queue_job_uuid = queued.uuid
        return job_record.get_form_action()

    @api.model
    def _check_not_running(self, records, method, kwargs=None):
        """One open job per document, operation and arguments: a second click finds the
        first (two prints of one report on other records are two jobs)."""
        running = self.sudo().search([
            ("res_model", "=", records._name), ("res_ids", "=", json.dumps(records.ids)),
            ("method", "=", method), ("kwargs", "=", json.dumps(kwargs or {})),
            ("state", "=", "queued")], limit=1)
        if running and running.status != "failed":
            raise UserError(_("%(name)s is already running in the background (job %(job)s, "
                              "Inventory > Traceability > Background Jobs).") % {
                "name": running.name, "job": running.id})

    @api.model
    def _prepare_job_vals(self, records, method, operation, size, name, kwargs=None):
        return {"name": name, "operation": operation, "user_id": self.env.uid,
                "company_id": self.env.user.company_id.id, "res_model": records._name,
                "res_ids": json.dumps(records.ids), "method": method, "size": size,
                "kwargs": json.dumps(kwargs or {})}

    @api.multi
    @check_arguments(access=None)
    def get_form_action(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "views": [(False, "form")], "target": "current",
                "name": _("Background job")}

    # --- the job ------------------------------------------------------------------------
    @job
    @api.multi
    def _perform(self):
        """The work, all-or-nothing; returns a line for queue_job's own record."""
        self.ensure_one()
        if self.state != "queued":
            return "already %s" % self.state
        reporter = JobProgress(self, self.size)
        reporter(0)
        records = self.env[self.res_model].browse(json.loads(self.res_ids)).exists()
        if not records:
            return self._fail(UserError(_("What this job works on (%(model)s) no longer "
                                          "exists.") % {"model": self.res_model}))
        try:
            with self.env.cr.savepoint():
                work = getattr(records.with_context(**internal_context(
                    **{PROGRESS_KEY: reporter})), self.method)
                action = work(**json.loads(self.kwargs or "{}"))
        except psycopg2.OperationalError as error:
            if error.pgcode in RETRIED_PGCODES:
                raise
            return self._fail(error)
        except Exception as error:  # pylint: disable=broad-except
            # Any failure ends the job with its reason and nothing written (the savepoint).
            return self._fail(error)
        reporter(self.size)
        return self._succeed(action)

    @api.multi
    def _succeed(self, action):
        vals = {"state": "done", "date_done": fields.Datetime.now()}
        if not isinstance(action, dict):
            # The work's document itself (a recall that was opened).
            action = {"type": "ir.actions.act_window", "res_model": self.res_model,
                      "res_id": json.loads(self.res_ids)[0], "view_mode": "form",
                      "views": [(False, "form")], "target": "current"}
        if isinstance(action, dict):
            vals["result_action"] = json.dumps(action, default=str)
            if action.get("type") == "ir.actions.act_url" and action.get("attachment_id"):
                vals["result_attachment_id"] = action["attachment_id"]
                self.env["ir.attachment"].sudo().browse(action["attachment_id"]).write(
                    {"res_model": self._name, "res_id": self.id})
        self.sudo().write(vals)
        self._notify("info", _("%(name)s is done. <a href='%(url)s'>Open the result</a>") % {
            "name": html_escape(self.name), "url": html_escape(self._get_result_url(action))},
            _("Background job done"))
        return "done"

    @api.multi
    def _fail(self, error):
        self.env.clear()
        # Odoo's own refusals (UserError, ValidationError, AccessError) carry their message.
        reason = error.name if isinstance(error, except_orm) else str(error)
        if not isinstance(error, except_orm):
            _logger.exception("Background job %s failed", self.id)
        self.sudo().write({"state": "failed", "failure": reason,
                           "date_done": fields.Datetime.now()})
        self._notify("warning", _("%(name)s failed, nothing was written: %(reason)s <a "
                                  "href='%(url)s'>Open the job</a>") % {
            "name": html_escape(self.name), "reason": html_escape(reason),
            "url": html_escape(self._get_url())}, _("Background job failed"))
        return "failed: %s" % reason

    @api.multi
    def _notify(self, kind, message, title):
        """web_notify's sticky message to the job's user, dated when it is sent: a web
        client that has received nothing yet gets only the bus messages of the last 50 s,
        and a row's create_date is the start of its transaction, long ago in a long job."""
        user = self.user_id
        getattr(user, "notify_%s" % kind)(message, title=title, sticky=True)
        channel = json.dumps(user["notify_%s_channel_name" % kind])
        self.env.cr.execute("""
            UPDATE bus_bus SET create_date = (clock_timestamp() AT TIME ZONE 'UTC')
             WHERE id = (SELECT max(id) FROM bus_bus WHERE channel = %s)""", (channel,))

    @api.multi
    def _get_url(self):
        return "/web#id=%d&model=%s&view_type=form" % (self.id, self._name)

    @api.multi
    def _get_result_url(self, action):
        """Where the notification's link goes: the result itself when one address holds it
        (the file made, the document opened), else the job, whose Open Result shows it (a
        list of the lots made)."""
        if action.get("type") == "ir.actions.act_url" and action.get("url"):
            return action["url"]
        if action.get("type") == "ir.actions.act_window" and action.get("res_id") \
                and action.get("res_model"):
            return "/web#id=%d&model=%s&view_type=form" % (
                int(action["res_id"]), action["res_model"])
        return self._get_url()

    # --- reading ------------------------------------------------------------------------
    @api.depends("state", "size")
    def _compute_progress(self):
        rows = self.env["lot.traceability.job.progress"].sudo().search(
            [("job_id", "in", self.ids)])
        done_by_job = {row.job_id.id: row.done for row in rows}
        queue_states = self._get_queue_states()
        for record in self:
            done = record.size if record.state == "done" else done_by_job.get(record.id, 0)
            record.progress_done = done
            record.progress = 100.0 * done / record.size if record.size else 0.0
            record.status = record.state
            if record.state == "queued":
                if queue_states.get(record.queue_job_uuid) == "failed":
                    record.status = "failed"
                elif record.id in done_by_job:
                    record.status = "running"

    @api.multi
    def _get_queue_states(self):
        uuids = [uuid for uuid in self.mapped("queue_job_uuid") if uuid]
        if not uuids:
            return {}
        queued = self.env["queue.job"].sudo().search([("uuid", "in", uuids)])
        return {record.uuid: record.state for record in queued}

    @api.multi
    @check_arguments()
    def action_open_result(self):
        """What the job made: its file, its lots, its recall."""
        self.ensure_one()
        if self.state != "done" or not self.result_action:
            raise UserError(_("Job %(name)s has no result (it is %(state)s).") % {
                "name": self.name, "state": dict(self._fields["status"].selection)[self.status]})
        return json.loads(self.result_action)

    @api.model
    @check_arguments(operation=Text())
    def get_threshold(self, operation):
        """From how many items ``operation`` runs in the background."""
        if operation not in {code for code, _label, _size in OPERATIONS}:
            raise UserError(_("Unknown background operation %(operation)r.") % {
                "operation": operation})
        return self._get_threshold(operation)

    @api.model
    def report_progress(self, done):
        """Called by a job's work: ``done`` items so far (nothing outside a job)."""
        reporter = get_internal(self.env.context, PROGRESS_KEY)
        if isinstance(reporter, JobProgress):
            reporter(done)


class LotTraceabilityJobProgress(models.Model):
    """Done of total of a running job, written outside the job's own transaction."""
    _name = "lot.traceability.job.progress"
    _description = "Background job progress"

    job_id = fields.Many2one("lot.traceability.job", required=True, ondelete="cascade",
                             index=True)
    done = fields.Integer()
    total = fields.Integer()

    _sql_constraints = [("job_uniq", "unique(job_id)", "One progress row per job.")]

    @api.model
    def _store(self, job_id, done, total):
        """Store the progress in a transaction of its own when the job is committed (it
        runs in the background); a job made by this very transaction keeps it here."""
        with odoo.registry(self.env.cr.dbname).cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            if env["lot.traceability.job"].browse(job_id).exists():
                env[self._name]._store_here(job_id, done, total)
                return
        self.sudo()._store_here(job_id, done, total)

    @api.model
    def _store_here(self, job_id, done, total):
        row = self.search([("job_id", "=", job_id)], limit=1)
        if row:
            row.write({"done": done, "total": total})
        else:
            self.create({"job_id": job_id, "done": done, "total": total})
