# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's report routes (``/report/<pdf|html|xlsx>/<report_name>/<ids>``) for the addon's
reports: the ids and options are checked and every refusal answers 4xx (never a 500)."""
import json

from odoo import _
from odoo.http import route

from odoo.addons.report_xlsx.controllers.main import ReportController

from ..tools import inputs
from .errors import answer_errors, error_response

MODULE_PREFIX = "lot_traceability."


class LotReportController(ReportController):

    @route()
    def report_routes(self, reportname, docids=None, converter=None, **data):
        if not reportname.startswith(MODULE_PREFIX):
            return super(LotReportController, self).report_routes(
                reportname, docids=docids, converter=converter, **data)
        return self._report_routes_checked(reportname, docids, converter, **data)

    @answer_errors
    def _report_routes_checked(self, reportname, docids, converter, **data):
        try:
            if docids:
                inputs.clean_ids([int(i) for i in docids.split(",")], "ids")
            for key in ("options", "context"):
                if data.get(key) and not isinstance(json.loads(data[key]), dict):
                    raise ValueError(key)
        except (ValueError, inputs.InputError):
            return error_response(_("Bad report request: ids %(ids)s, options %(options)s.")
                                  % {"ids": docids, "options": data}, 400)
        return super(LotReportController, self).report_routes(
            reportname, docids=docids, converter=converter, **data)
