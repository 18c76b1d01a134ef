# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An imported EPCIS 2.0 document (JSON-LD, or XML read into the same structure by
``tools/epcis_xml.py``): validated whole, then stored with its events, matched to our
receipts, its transformations kept as external genealogy.

:meth:`import_document` is all-or-nothing: every problem of the document is listed (path in
the document + reason) in one UserError and nothing is written. Every refusal goes through
:func:`refusals` (the tools answer bad input with an EpcisError, this turns it into the
UserError), checks done before anything is written. Identifiers that do not map to a lot
(GIAI, SSCC, other companies' URIs...) are not refused: they are listed on their event.
The same document (same SHA-256) imported again returns the first import; an event already
stored (same eventID) is not stored twice. The records are the system's: users read them,
only the import writes.
"""
import base64
import contextlib
import hashlib
import json
import os

import jsonschema

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import epcis, epcis_xml
from .lot_traceability_input import Id, Text, check_arguments

MAX_BYTES = 20 * 1024 * 1024
MAX_LISTED = 30
SCHEMA_PATH = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data",
                           "epcis_document.schema.json")
_SCHEMA = {}


def _validator():
    if "validator" not in _SCHEMA:
        with open(SCHEMA_PATH) as handle:
            _SCHEMA["validator"] = jsonschema.Draft7Validator(json.load(handle))
    return _SCHEMA["validator"]


@contextlib.contextmanager
def refusals(message):
    """The one way the EPCIS entry points refuse bad input: the EpcisError of the tools (its
    path and reason) becomes a UserError, ``message`` % "path: reason"."""
    try:
        yield
    except epcis.EpcisError as error:
        raise UserError(message % ("%s: %s" % (error.path, error.reason)))


def _path(parts):
    text = ""
    for part in parts:
        text += "[%s]" % part if isinstance(part, int) else ("." if text else "") + part
    return text or "(document)"


class StockLotEpcisDocument(models.Model):
    _name = "stock.lot.epcis.document"
    _description = "EPCIS Document"
    _order = "create_date desc, id desc"

    name = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.user.company_id)
    partner_id = fields.Many2one("res.partner", "Sent By", readonly=True,
                                 help="The partner whose document this is.")
    picking_id = fields.Many2one("stock.picking", "Receipt", readonly=True)
    sha256 = fields.Char("SHA-256", required=True, readonly=True, index=True)
    attachment_id = fields.Many2one("ir.attachment", readonly=True)
    event_ids = fields.One2many("stock.lot.epcis.event", "document_id", "Events",
                                readonly=True)
    event_count = fields.Integer(readonly=True)
    skipped_count = fields.Integer("Events Already Stored", readonly=True)
    unmapped_count = fields.Integer(
        "Identifiers Not Mapped", readonly=True,
        help="Identifiers of the stored events that name no lot of a product (GIAI, SSCC, "
             "another company's URIs...): kept in the events, listed on each.")
    creation_date = fields.Datetime("Created by Sender", readonly=True)

    _sql_constraints = [("sha256_company_uniq", "unique (company_id, sha256)",
                         "This document has been imported already.")]

    # --- public API ----------------------------------------------------------------------
    @api.model
    @check_arguments(name=Text(optional=True), partner_id=Id("res.partner"),
                     picking_id=Id("stock.picking"))
    def import_document(self, data, name=None, partner_id=False, picking_id=False):
        """Import an EPCIS 2.0 document, JSON(-LD) or XML (text, bytes or base64 of them).

        Returns ``{"document_id", "created", "event_count", "skipped_count",
        "unmapped_count"}``; a bad document raises one UserError listing each problem as
        ``path: reason``."""
        self._check_receipt(self.env["stock.picking"].browse(picking_id))
        raw = self._check_raw(data)
        digest = hashlib.sha256(raw).hexdigest()
        company = self.env.user.company_id
        existing = self.sudo().search([("company_id", "=", company.id),
                                       ("sha256", "=", digest)], limit=1)
        if existing:
            return {"document_id": existing.id, "created": False, "event_count": 0,
                    "skipped_count": existing.event_count + existing.skipped_count,
                    "unmapped_count": 0}
        with refusals(self._refusal_message()):
            document = self._parse(raw)
            events = self._check_document(document)
            created = epcis.parse_time(document["creationDate"], "creationDate")
        return self.sudo()._store(raw, digest, events, {
            "name": name or _("EPCIS document %s") % digest[:12], "sha256": digest,
            "company_id": company.id, "partner_id": partner_id or False,
            "picking_id": picking_id or False, "creation_date": str(created)[:19]})

    @api.model
    def _check_receipt(self, picking):
        """Refuse a transfer that is not a receipt as the one a document comes with."""
        if picking and picking.picking_type_code != "incoming":
            raise UserError(_("Receipt (picking_id): %s is not a receipt.") % picking.name)

    # --- checks --------------------------------------------------------------------------
    @api.model
    def _check_raw(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, bytes) or not data:
            raise UserError(_("EPCIS import (data): give the document's content."))
        if len(data) > MAX_BYTES * 4 // 3 + 4:
            self._refuse([(_("(document)"), _("the document has %(size)s MB; the import "
                                              "takes at most %(max)s MB.") % {
                "size": len(data) // (1024 * 1024), "max": MAX_BYTES // (1024 * 1024)})])
        stripped = epcis.strip_bom(data).lstrip()
        if stripped[:1] not in (b"{", b"[", b"<"):
            try:
                data = base64.b64decode(data, validate=True)
            except ValueError:
                pass
        if len(data) > MAX_BYTES:
            self._refuse([(_("(document)"), _("the document has %(size)s MB; the import "
                                              "takes at most %(max)s MB.") % {
                "size": len(data) // (1024 * 1024), "max": MAX_BYTES // (1024 * 1024)})])
        return data

    @api.model
    def _parse(self, raw):
        """The document's JSON structure: its JSON, or its XML binding read into it."""
        document = epcis_xml.read_document(raw) if epcis_xml.is_xml(raw) \
            else epcis.read_json(raw)
        return epcis.check_structure(document)

    @api.model
    def _check_document(self, document):
        """The events of a valid document, each as ``(path, event, facts)``; else refuse
        with the list of problems."""
        problems = []
        if not isinstance(document, dict) or document.get("type") != "EPCISDocument":
            self._refuse([(_("type"), _("not an EPCISDocument."))])
        if document.get("schemaVersion") != "2.0":
            self._refuse([(_("schemaVersion"), _("%r: only EPCIS 2.0 documents are read.")
                           % (document.get("schemaVersion"),))])
        for error in _validator().iter_errors(document):
            problems.append((_path(error.absolute_path), epcis.schema_reason(error)))
            if len(problems) > MAX_LISTED:
                break
        if problems:
            self._refuse(problems)
        events, seen = [], {}
        for index, event in enumerate(document["epcisBody"]["eventList"]):
            path = "epcisBody.eventList[%s]" % index
            problems += [(error.path, error.reason) for error in epcis.rule_errors(event, path)]
            try:
                events.append((path, event, self.env["stock.lot.epcis.event"]._read_event(
                    event, path, document.get("@context"))))
            except epcis.EpcisError as error:
                problems.append((error.path, error.reason))
                continue
            event_id = event.get("eventID")
            if event_id and event_id in seen:
                problems.append((path + ".eventID", _("%(id)s repeats the event %(first)s.")
                                 % {"id": event_id, "first": seen[event_id]}))
            seen.setdefault(event_id, path)
        if problems:
            self._refuse(problems)
        return events

    @api.model
    def _refusal_message(self):
        return _("This EPCIS document is refused, nothing was imported:\n%s")

    @api.model
    def _refuse(self, problems):
        lines = ["%s: %s" % (path, reason) for path, reason in problems[:MAX_LISTED]]
        if len(problems) > MAX_LISTED:
            lines.append(_("... and %s more.") % (len(problems) - MAX_LISTED))
        raise UserError(self._refusal_message() % "\n".join(lines))

    # --- writing -------------------------------------------------------------------------
    @api.model
    def _store(self, raw, digest, events, vals):
        record = self.create(vals)
        xml = epcis_xml.is_xml(raw)
        record.attachment_id = self.env["ir.attachment"].create({
            "name": vals["name"],
            "datas_fname": "%s.%s" % (digest[:12], "xml" if xml else "jsonld"),
            "datas": base64.b64encode(raw), "res_model": self._name, "res_id": record.id,
            "mimetype": "application/xml" if xml else "application/ld+json"})
        stored, skipped = self.env["stock.lot.epcis.event"]._create_events(record, events)
        unmapped = sum(len(facts["unmapped"]) for _path, _event, facts in events)
        record.write({"event_count": stored, "skipped_count": skipped,
                      "unmapped_count": unmapped})
        return {"document_id": record.id, "created": True, "event_count": stored,
                "skipped_count": skipped, "unmapped_count": unmapped}
