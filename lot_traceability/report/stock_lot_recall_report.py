# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The recall evidence PDF: Odoo's external layout, and where wkhtmltopdf cannot draw it
(Debian's build, unpatched Qt), the company header in the page body and page numbers
stamped on the rendered PDF."""
import subprocess

from odoo import api, models
from odoo.tools.misc import find_in_path

from ..tools.pdf_pages import draws_headers, stamp_page_numbers

REPORT_NAME = "lot_traceability.stock_lot_recall_report"
_DRAWS_HEADERS = []


def wkhtmltopdf_draws_headers():
    """Whether the installed wkhtmltopdf renders header/footer HTML (asked once)."""
    if not _DRAWS_HEADERS:
        try:
            output = subprocess.run([find_in_path("wkhtmltopdf") or "wkhtmltopdf", "--version"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            output = b""
        _DRAWS_HEADERS.append(draws_headers(output))
    return _DRAWS_HEADERS[0]


class ReportStockLotRecall(models.AbstractModel):
    _name = "report.%s" % REPORT_NAME
    _description = "Recall evidence"

    @api.model
    def get_report_values(self, docids, data=None):
        return {
            "doc_ids": docids, "doc_model": "stock.lot.recall",
            "docs": self.env["stock.lot.recall"].browse(docids),
            "header_in_body": not wkhtmltopdf_draws_headers(),
        }


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.multi
    def render_qweb_pdf(self, res_ids=None, data=None):
        content, kind = super(IrActionsReport, self).render_qweb_pdf(res_ids, data=data)
        if (kind == "pdf" and self.report_name == REPORT_NAME
                and not wkhtmltopdf_draws_headers()):
            content = stamp_page_numbers(content)
        return content, kind
