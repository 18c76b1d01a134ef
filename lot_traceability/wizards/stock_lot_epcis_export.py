# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""EPCIS Export: lots (a lot's Action menu, a recall) or a period, as one GS1 EPCIS 2.0
JSON-LD document to download. The wizard collects the request; ``stock.lot.epcis`` writes
the document."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.lot_traceability_input import check_arguments


class StockLotEpcisExport(models.TransientModel):
    _name = "stock.lot.epcis.export"
    _inherit = ["lot.traceability.input"]
    _description = "EPCIS Export"

    lot_ids = fields.Many2many("stock.production.lot", string="Lots",
                               help="The lots whose events are exported; empty: the period.")
    include_chain = fields.Boolean(
        "Whole Chain",
        help="Also the lots linked to these by transformations, upstream and downstream.")
    date_from = fields.Date("From")
    date_to = fields.Date("To", help="Days are read in the company's time zone.")
    event_count = fields.Integer("Events", readonly=True)
    notes = fields.Text(readonly=True)
    attachment_id = fields.Many2one("ir.attachment", readonly=True)
    # The document as a file field: the dialog downloads it as Odoo 11's own wizards do
    # (base.language.export), so the dialog stays usable afterwards.
    document = fields.Binary(related="attachment_id.datas", readonly=True)
    document_name = fields.Char(related="attachment_id.datas_fname", readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super(StockLotEpcisExport, self).default_get(fields_list)
        model, ids = self.env.context.get("active_model"), self.env.context.get("active_ids")
        if model == "stock.production.lot" and ids:
            values["lot_ids"] = [(6, 0, ids)]
        elif model == "stock.lot.recall" and ids:
            recall = self.env["stock.lot.recall"].browse(ids[:1])
            values.update(lot_ids=[(6, 0, recall.lot_ids.ids)], include_chain=True)
        return values

    @api.multi
    @check_arguments()
    def action_export(self):
        """Write the document, then show its summary with the download link; from the
        ``epcis_export`` threshold of move lines on, a background job writes it (the
        request checked here first) and its result is the file."""
        self.ensure_one()
        if not self.lot_ids and not (self.date_from and self.date_to):
            raise UserError(_("Choose lots or both dates of a period."))
        size = self.env["stock.lot.epcis"].count_lines(*self._get_export_args())
        return self.env["lot.traceability.job"]._start(
            self, "_export_attachment", "epcis_export", size,
            _("EPCIS export (%(count)d move lines)") % {"count": size}, now="_export")

    @api.multi
    def _export_here(self):
        """The document of this export's lots and days (its fields checked as they were
        written), attached to it: only its user reads it; a job moves it to the job."""
        Epcis = self.env["stock.lot.epcis"]
        return Epcis._export_for(self, Epcis._prepare_request(*self._get_export_args()))

    @api.multi
    def _get_export_args(self):
        return (self.lot_ids.ids or None, self.date_from or None, self.date_to or None,
                self.include_chain)

    @api.multi
    def _export(self):
        """Write the document into an attachment; the wizard shows its summary."""
        self.ensure_one()
        summary = self._export_here()
        self.write({"event_count": summary["event_count"],
                    "notes": "\n".join(summary["notes"]) or False})
        # The attachment is the system's: written outside the input checks of users.
        super(StockLotEpcisExport, self).write({"attachment_id": summary["attachment_id"]})
        return {"type": "ir.actions.act_window", "name": _("EPCIS Export"),
                "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "views": [(False, "form")], "target": "new"}

    @api.multi
    def _export_attachment(self):
        """The work of a background export: the document as the job's file (its notes are
        in the document, ``lt:notes``)."""
        self.ensure_one()
        summary = self._export_here()
        return {"type": "ir.actions.act_url", "target": "self",
                "attachment_id": summary["attachment_id"],
                "url": "/web/content/%d?download=true" % summary["attachment_id"]}

    @api.multi
    @check_arguments()
    def action_download(self):
        self.ensure_one()
        if not self.attachment_id:
            raise UserError(_("Export first."))
        return {"type": "ir.actions.act_url", "target": "self",
                "url": "/web/content/%s?download=true" % self.attachment_id.id}
