# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon's exports and label sheets, now or as a background job (``lot.traceability.job``)."""
import base64

from odoo import _, api, models
from odoo.exceptions import UserError


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.multi
    def _lot_report_action(self, docids, data=None, size=None):
        """The report's download action, or, from the ``report`` threshold on, a job that
        renders it into an attachment. ``size``: rows or labels it holds (default: records)."""
        self.ensure_one()
        if not self.report_name.startswith("lot_traceability."):
            raise UserError(_("Report %(report)s is not one of Lot Traceability's.") % {
                "report": self.report_name})
        ids = list(docids.ids if isinstance(docids, models.BaseModel) else docids)
        size = len(ids) if size is None else size
        return self.env["lot.traceability.job"].run(
            self, "_render_into_attachment", "report", size,
            _("%(report)s (%(count)d)") % {"report": self.name, "count": size},
            kwargs={"docids": ids, "data": data}, now="_report_action_now")

    @api.multi
    def _report_action_now(self, docids, data=None):
        return self.report_action(docids, data=data, config=False)

    @api.multi
    def _render_into_attachment(self, docids, data=None):
        """The work of a report job: render, store as an attachment, the action to download it."""
        self.ensure_one()
        model = self.env["lot.traceability.job"]
        model.report_progress(0)
        content, extension = self.render(docids, data=data)
        model.report_progress(len(docids))
        name = "%s.%s" % (self.name, extension)
        attachment = self.env["ir.attachment"].create({
            "name": name, "datas_fname": name, "type": "binary",
            "datas": base64.b64encode(content if isinstance(content, bytes)
                                      else content.encode("utf-8"))})
        return {"type": "ir.actions.act_url", "target": "self", "attachment_id": attachment.id,
                "url": "/web/content/%d?download=true" % attachment.id}
