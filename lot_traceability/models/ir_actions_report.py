# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon's exports and label sheets, now or as a background job (``lot.traceability.job``)."""
import base64
import time

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools.safe_eval import safe_eval

JOB_REPORT = "lot.traceability.job.report"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.multi
    def _lot_report_action(self, docids, data=None):
        """The report's download action, or, from its operation's threshold on, a job that
        renders it into an attachment. The one way the addon starts a report of its own:
        the Print menus (server actions), buttons and wizards call it. The report's model
        (a ``lot.traceability.job.report``) checks the request and says its size first."""
        self.ensure_one()
        report = self._get_lot_job_report()
        ids = list(docids.ids if isinstance(docids, models.BaseModel) else docids or [])
        if not ids:
            raise UserError(_("%(report)s: choose the records to print.") % {
                "report": self.name})
        size = report.get_job_size(ids, data)
        return self.env["lot.traceability.job"]._start(
            self, "_render_into_attachment", report._job_operation, size,
            _("%(report)s (%(count)d)") % {"report": self.name, "count": size},
            kwargs={"docids": ids, "data": data}, now="_report_action_now")

    # --- the addon's reports read times in the zone of its screens ------------------------
    @api.multi
    def _with_lot_tz(self):
        """The addon's QWeb reports (recall evidence, labels) written in the zone of
        ``stock.lot.tz._get_user_tz`` (context, user, else company), as its screens are:
        Odoo's own falls back to UTC for a user without a zone."""
        modules = ("lot_traceability.", "lot_traceability_hr.")
        if len(self) != 1 or not (self.report_name or "").startswith(modules):
            return self
        return self.with_context(tz=self.env["stock.lot.tz"]._get_user_tz())

    @api.multi
    def render_qweb_html(self, docids, data=None):
        return super(IrActionsReport, self._with_lot_tz()).render_qweb_html(docids, data=data)

    @api.multi
    def render_qweb_pdf(self, res_ids=None, data=None):
        return super(IrActionsReport, self._with_lot_tz()).render_qweb_pdf(
            res_ids=res_ids, data=data)

    @api.multi
    def _get_lot_job_report(self):
        name = "report.%s" % self.report_name
        # A model inheriting the mixin is an instance of the mixin's registry class.
        if name not in self.env or not isinstance(self.env[name], self.env.registry[JOB_REPORT]):
            raise UserError(_("Report %(report)s does not run as a Lot Traceability "
                              "background job.") % {"report": self.report_name})
        return self.env[name]

    @api.multi
    def _report_action_now(self, docids, data=None):
        return self.report_action(docids, data=data, config=False)

    @api.multi
    def _render_into_attachment(self, docids, data=None):
        """The work of a report job: render (the report writes its progress), store as an
        attachment, the action to download it."""
        self.ensure_one()
        content, extension = self.render(docids, data=data)
        name = "%s.%s" % (self._get_lot_file_name(docids), extension)
        attachment = self.env["ir.attachment"].create({
            "name": name, "datas_fname": name, "type": "binary",
            "datas": base64.b64encode(content if isinstance(content, bytes)
                                      else content.encode("utf-8"))})
        return {"type": "ir.actions.act_url", "target": "self", "attachment_id": attachment.id,
                "url": "/web/content/%d?download=true" % attachment.id}

    @api.multi
    def _get_lot_file_name(self, docids):
        """The file's name as Odoo's download names it: the report's print name for one
        record, else the report's name."""
        if len(docids) == 1 and self.print_report_name:
            record = self.env[self.model].browse(docids)
            return safe_eval(self.print_report_name, {"object": record, "time": time})
        return self.name
