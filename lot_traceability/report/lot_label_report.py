# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""QWeb values of the lot labels: one payload per lot (the one the scanner reads) + its QR."""
from odoo import api, models

from ..models.lot_traceability_input import Ids, check_arguments

SHEET_COLUMNS = 3
SHEET_ROWS = 7


class ReportLotLabelSmall(models.AbstractModel):
    _name = "report.lot_traceability.report_lot_label_small"
    _description = "Lot label (one per page)"

    @api.model
    def _get_labels(self, lots):
        labels = []
        for lot, payload in zip(lots, lots.get_label_payload()):
            payload["qr"] = lot._get_label_qr_data_uri(payload)
            labels.append(payload)
        return labels

    @api.model
    @check_arguments(docids=Ids("stock.production.lot", optional=False))
    def get_report_values(self, docids, data=None):
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
