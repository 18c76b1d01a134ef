# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a report of the addon says before it is made: how big it is, once its request is checked.

``ir.actions.report._lot_report_action`` (the one way the addon's exports and label sheets are
started, from a Print menu, a button or a wizard) asks the report's model for the request's
size, and hands the report to ``lot.traceability.job.run`` with the model's operation: at once
under that operation's threshold, as a background job from it on. A report model inherits
this mixin and overrides :meth:`get_job_size` when its size is not its record count.
"""
from odoo import _, api, models
from odoo.exceptions import UserError

from ..tools import inputs
from .lot_traceability_input import Ids, check_arguments


class LotTraceabilityJobReport(models.AbstractModel):
    _name = "lot.traceability.job.report"
    _description = "Report that may run in the background"

    #: The model of the records the report prints (``docids``).
    _report_model = "stock.production.lot"
    #: The operation whose threshold applies (``OPERATIONS`` of ``lot.traceability.job``).
    _job_operation = "report"

    @api.model
    @check_arguments()
    def get_job_size(self, docids, data=None):
        """How many items (labels, rows) the report of ``docids`` holds, its request checked
        as the report checks it, so that bad input is refused in the request. Here: one
        item per record."""
        return len(self._get_job_records(docids))

    @api.model
    def _get_job_records(self, docids):
        """The records of ``docids`` (existing ones of the report's model, or a UserError
        naming the ids)."""
        try:
            ids = Ids(self._report_model, optional=False)(self.env, "docids", docids)
        except inputs.InputError as error:
            raise UserError(_("%(report)s: %(error)s") % {
                "report": self._description, "error": error})
        return self.env[self._report_model].browse(ids)
