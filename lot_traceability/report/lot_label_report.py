# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""QWeb values of the lot labels: one payload per lot (the one the scanner reads) + its QR."""
import base64

from odoo import _, api, models
from odoo.exceptions import UserError

from ..models.lot_traceability_input import Ids, check_arguments
from ..tools import inputs, qr_image

SHEET_COLUMNS = 3
SHEET_ROWS = 7


class ReportLotLabelSmall(models.AbstractModel):
    """Labels of lots, one per page; a background job from the ``report`` threshold of
    labels on (``lot.traceability.job.report``)."""
    _name = "report.lot_traceability.report_lot_label_small"
    _inherit = "lot.traceability.job.report"
    _description = "Lot label (one per page)"

    @api.model
    def _get_labels(self, lots):
        """Payload and QR code of each lot. In a job, this is the first half of the work
        (the PDF's rendering the second)."""
        labels = []
        progress = self.env["lot.traceability.job"].report_progress
        # Each field a label shows is read once for all the lots, not every field of the lot
        # (a sheet of 63 lots spent a third of its Python time reading fields it never shows).
        lots = lots.with_context(prefetch_fields=False)
        for lot, payload in zip(lots, lots.get_label_payload()):
            payload["qr"] = self._get_qr_data_uri(payload["uri"], lot.name)
            payload["quality_hold"] = lot.is_blocked and dict(
                lot._fields["quality_state"]._description_selection(self.env))[
                lot.quality_state]
            labels.append(payload)
            progress(len(labels) // 2)
        return labels

    @api.model
    def _get_qr_data_uri(self, text, lot_name=None):
        """The QR code of ``text`` as a PNG data URI (wkhtmltopdf then fetches nothing):
        error correction M, 4 px per module, the 4-module quiet zone (``tools.qr_image``).
        A text longer than a QR code holds is refused with a message naming the lot."""
        try:
            png = qr_image.qr_png(text)
        except qr_image.QRCapacityError:
            raise UserError(_("The label of %(lot)s cannot be printed: its QR code would hold "
                              "%(length)s characters, more than a QR code holds.") % {
                "lot": inputs.show(lot_name or text), "length": len(text)})
        return "data:image/png;base64," + base64.b64encode(png).decode("ascii")

    @api.model
    @check_arguments(docids=Ids("stock.production.lot", optional=False))
    def get_report_values(self, docids, data=None):
        self._check_traceability_access()
        lots = self.env["stock.production.lot"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "stock.production.lot",
            "docs": lots,
            "labels": self._get_labels(lots),
        }


class ReportLotLabelSheet(models.AbstractModel):
    _name = "report.lot_traceability.report_lot_label_sheet"
    _inherit = "report.lot_traceability.report_lot_label_small"
    _description = "Lot labels (A4 sheet)"

    @api.model
    def get_report_values(self, docids, data=None):
        values = super(ReportLotLabelSheet, self).get_report_values(docids, data=data)
        labels, per_page = values["labels"], SHEET_COLUMNS * SHEET_ROWS
        values["pages"] = [
            [labels[row:row + SHEET_COLUMNS]
             for row in range(start, min(start + per_page, len(labels)), SHEET_COLUMNS)]
            for start in range(0, len(labels), per_page)]
        return values
