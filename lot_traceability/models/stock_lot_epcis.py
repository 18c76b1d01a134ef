# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""GS1 EPCIS 2.0 export: the done move lines of a set of lots or of a period as one
``EPCISDocument`` (JSON-LD), written in pages into a binary stream in constant memory.

What each record becomes (docs/epcis.md says it for users):

- a receipt line (from a supplier or a customer into an internal location): an ``ObjectEvent``
  OBSERVE, bizStep ``receiving``, disposition ``in_progress``, source and destination
  owning party and location, the purchase order (``po``) and the receipt (``desadv``);
- a delivery line (from an internal location to a customer or a supplier): an ``ObjectEvent``
  OBSERVE, bizStep ``shipping``, disposition ``in_transit``;
- the first line of a lot we received or made: before it, an ``ObjectEvent`` ADD, bizStep
  ``commissioning``, with the lot's ``ilmd`` (expiry, best before, production date, our and
  the supplier's lot codes);
- the lines of one build, split or manufacturing order: one ``TransformationEvent`` (inputs
  and outputs, ``transformationID`` the document's reference as a URI of our domain).

Lots are ``quantityList`` entries (``epcClass`` the GS1 Digital Link of GTIN + lot, ``uom``
the unit's UN/ECE code), serials ``epcList`` entries. Places and parties are GLNs; what has no
GLN (or a product without GTIN) gets a URI of the company's domain, listed in the document's
``lt:notes``. Lines of other moves (internal transfers, inventory, scrap) are left out.
"""
import base64
import json
import tempfile
import uuid
from urllib.parse import quote

import pytz

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import epcis
from ..tools.internal_context import get_internal
from .lot_traceability_input import Date, Id, Ids, Record, check_arguments
from .stock_lot_epcis_document import refusals
from .stock_lot_sql_mixin import LINE_JOINS

PAGE_SIZE = 2000
NAMESPACE = "https://lot-traceability.org/epcis/"
_PRODUCTION = "(src.usage = 'production' OR dst.usage = 'production')"
_KEY = "coalesce(move.transform_ref, move.reference, move.id::text)"
_GROUP = "CASE WHEN {production} THEN 'T' || {key} ELSE 'L' || line.id END".format(
    production=_PRODUCTION, key=_KEY)
# The transformations of a set of lots: their events list every input and output.
_KEYS = """
    SELECT DISTINCT {key} FROM stock_move_line line
      JOIN stock_move move ON move.id = line.move_id
      JOIN stock_location src ON src.id = line.location_id
      JOIN stock_location dst ON dst.id = line.location_dest_id
     WHERE line.lot_id = ANY(%s) AND line.state = 'done' AND {production}
""".format(key=_KEY, production=_PRODUCTION)
_LINES = """
    SELECT line.id, line.date, line.lot_id, lot.name AS lot_name, lot.supplier_lot_code,
           lot.life_date, lot.use_date, lot.production_date, line.product_id,
           product.barcode, coalesce(product.default_code, product.id::text) AS product_ref,
           template.tracking, line.qty_done, line.product_uom_id, line.location_id,
           line.location_dest_id, src.usage AS src_usage, dst.usage AS dst_usage,
           picking.name AS picking, coalesce(picking.origin, move.origin) AS origin,
           coalesce(picking.partner_id, move.partner_id) AS partner_id,
           {group} AS grp, first.id = line.id AS first_line
""" + LINE_JOINS + """      LEFT JOIN stock_production_lot lot ON lot.id = line.lot_id
      LEFT JOIN stock_picking picking ON picking.id = line.picking_id
      LEFT JOIN LATERAL (
          SELECT other.id FROM stock_move_line other
           WHERE other.lot_id = line.lot_id AND other.state = 'done'
           ORDER BY other.date, other.id LIMIT 1) first ON TRUE
     WHERE line.state = 'done'
       AND (%s::timestamp IS NULL OR line.date >= %s) AND (%s::timestamp IS NULL OR line.date < %s)
       AND (%s::int[] IS NULL OR line.lot_id = ANY(%s::int[])
            OR ({production} AND {key} = ANY(%s::text[])))
       AND (%s::int IS NULL OR {production} OR coalesce(picking.partner_id, move.partner_id)
            IN (SELECT id FROM res_partner WHERE commercial_partner_id = %s))
       AND (%s::int IS NULL OR {production} OR line.picking_id = %s)
       AND (%s::int[] IS NULL OR move.company_id = ANY(%s::int[]))
       AND (({production}) OR (src.usage IN ('supplier', 'customer') AND dst.usage = 'internal')
            OR (src.usage = 'internal' AND dst.usage IN ('supplier', 'customer')))
       {rule}
     ORDER BY min(line.date) OVER (PARTITION BY {group}), {group}, line.id
"""


class StockLotEpcis(models.AbstractModel):
    _name = "stock.lot.epcis"
    _inherit = "stock.lot.sql.mixin"
    _description = "GS1 EPCIS 2.0 export"

    # --- public API ----------------------------------------------------------------------
    @api.model
    @check_arguments(lot_ids=Ids("stock.production.lot"), date_from=Date(optional=True),
                     date_to=Date(optional=True))
    def export_attachment(self, lot_ids=None, date_from=None, date_to=None,
                          include_chain=False):
        """Write the document of these lots and/or days into an attachment; returns
        ``{"attachment_id", "event_count", "notes"}`` (JSON-RPC safe). The file belongs to
        an EPCIS Export of the caller's (``stock.lot.epcis.export``): only they may read it,
        and it goes with that record when Odoo clears its wizards (after an hour)."""
        request = self._prepare_request(lot_ids, date_from, date_to, include_chain)
        owner = self.env["stock.lot.epcis.export"].create({
            "lot_ids": [(6, 0, lot_ids or [])], "date_from": date_from or False,
            "date_to": date_to or False, "include_chain": bool(include_chain)})
        return self._export_for(owner, request)

    @api.model
    def _export_for(self, owner, request):
        """The document of ``request`` (:meth:`_prepare_request`) attached to ``owner``, a
        record whose readers may read it."""
        return self._write_attachment(request, {"res_model": owner._name, "res_id": owner.id})

    @api.model
    @check_arguments(picking=Record("stock.picking", optional=False))
    def export_picking_attachment(self, picking):
        """The document of one done delivery, attached to it: its lots, the transformations
        and creations they come from (upstream), and of the receipts and deliveries only
        this delivery's own (what its customer may see). Returns ``{"attachment_id",
        "event_count", "notes"}`` (JSON-RPC safe)."""
        picking._check_traceability_access()
        if picking.picking_type_code != "outgoing" or picking.state != "done":
            raise UserError(_("EPCIS document (picking): %(name)s is not a done delivery "
                              "(it is a %(kind)s, %(state)s).") % {
                "name": picking.name, "kind": picking.picking_type_id.name or "?",
                "state": picking.state})
        self._check_read_rights()
        lots = picking.move_line_ids.filtered(lambda line: line.state == "done").mapped("lot_id")
        if not lots:
            raise UserError(_("EPCIS document (picking): %(name)s delivered no lot or serial "
                              "number.") % {"name": picking.name})
        upstream = self.env["stock.lot.trace"].trace_lot_ids(lots.ids, "upstream")
        request = {"start": None, "stop": None, "lot_ids": sorted(set(lots.ids) | set(upstream)),
                   "picking_id": picking.id, "company_ids": [picking.company_id.id]}
        name = "epcis-%s.jsonld" % picking.name.replace("/", "-")
        return self._write_attachment(request, {"res_model": "stock.picking",
                                                "res_id": picking.id, "name": name})

    @api.model
    def _write_attachment(self, request, vals):
        company_ids = request.get("company_ids")
        company = self.env["res.company"].browse(company_ids[:1]) if company_ids else None
        # In a background job, the lines written so far are its progress.
        jobs = self.env["lot.traceability.job"]
        with tempfile.TemporaryFile() as stream:
            summary = self._write_document(
                stream, request, company=company,
                progress=lambda lines, _events: jobs.report_progress(lines))
            stream.seek(0)
            data = stream.read()
        vals.setdefault("name", summary["file_name"])
        attachment = self.env["ir.attachment"].create(dict(
            vals, datas_fname=vals["name"], datas=base64.b64encode(data), type="binary",
            mimetype="application/ld+json"))
        return dict(summary, attachment_id=attachment.id)

    @api.model
    @check_arguments(lot_ids=Ids("stock.production.lot"), date_from=Date(optional=True),
                     date_to=Date(optional=True))
    def count_lines(self, lot_ids=None, date_from=None, date_to=None, include_chain=False):
        """About how many move lines the document of this request reads (the done lines of
        the lots, or of the period): the size of an export, asked before it is made. The
        request is checked as :meth:`export_attachment` checks it."""
        request = self._prepare_request(lot_ids, date_from, date_to, include_chain)
        domain = [("state", "=", "done")]
        if request["start"]:
            domain += [("date", ">=", request["start"]), ("date", "<", request["stop"])]
        if request["lot_ids"] is not None:
            domain.append(("lot_id", "in", request["lot_ids"]))
        return self.env["stock.move.line"].search_count(domain)

    @api.model
    @check_arguments(lot_ids=Ids("stock.production.lot"), date_from=Date(optional=True),
                     date_to=Date(optional=True))
    def export_document(self, stream, lot_ids=None, date_from=None, date_to=None,
                        include_chain=False, progress=None):
        """Write the EPCIS document into the binary ``stream`` page by page; call
        ``progress(done_lines, page_events)`` after each page. Returns ``{"event_count",
        "line_count", "notes", "file_name"}``. Server-side (a job may call it): over RPC,
        which sends no stream, :meth:`export_attachment`."""
        if not callable(getattr(stream, "write", None)) or (
                progress is not None and not callable(progress)):
            raise UserError(_("export_document writes into a binary stream, on the server; "
                              "over RPC, call export_attachment."))
        request = self._prepare_request(lot_ids, date_from, date_to, include_chain)
        return self._write_document(stream, request, progress)

    @api.model
    def _write_document(self, stream, request, progress=None, company=None):
        state = self._prepare_state(company)
        stream.write(self._document_head(state).encode("utf-8"))
        for events in self._iter_event_pages(request, state):
            self._write_events(stream, events, state)
            if progress:
                progress(state["lines"], len(events))
        stream.write(self._document_tail(state).encode("utf-8"))
        return {"event_count": state["events"], "line_count": state["lines"],
                "notes": sorted(state["notes"].values()),
                "file_name": "epcis-%s.jsonld" % fields.Date.context_today(self)}

    @api.model
    def _prepare_state(self, company=None):
        """What one document's writing keeps: ``company`` the sender (default: the user's)."""
        return {"cache": {}, "notes": {}, "events": 0, "lines": 0,
                "company": company or self.env.user.company_id,
                "domain": self._get_domain(), "db": self._get_db_uuid()}

    @api.model
    def _iter_event_pages(self, request, state):
        """The events of ``request`` in lists, one per page of lines (a transformation
        whose lines straddle two pages comes whole with the second)."""
        pending = []
        for rows in self._iter_line_pages(request):
            events = []
            for row in rows:
                if pending and pending[-1]["grp"] != row["grp"]:
                    events += self._prepare_events(pending, state)
                    pending = []
                pending.append(row)
            state["lines"] += len(rows)
            yield events
        yield self._prepare_events(pending, state)

    # --- the request ---------------------------------------------------------------------
    @api.model
    def _prepare_request(self, lot_ids, date_from, date_to, include_chain):
        self._check_read_rights()
        if not lot_ids and not (date_from and date_to):
            raise UserError(_("EPCIS export: give lots (lot_ids) or both dates of a period "
                              "(date_from, date_to)."))
        start = stop = None
        if date_from or date_to:
            if not (date_from and date_to) or date_from > date_to:
                raise UserError(_("EPCIS export: the period %(start)s - %(stop)s is not a "
                                  "period (both dates, the first not after the last).") % {
                    "start": date_from or "?", "stop": date_to or "?"})
            tz = self.env["stock.lot.tz"]._get_company_tz()
            start, stop = self.env["stock.lot.tz"]._period_utc(date_from, date_to, tz)
        lots = list(lot_ids or []) or None
        if lots and include_chain:
            trace = self.env["stock.lot.trace"]
            lots = sorted(set(lots) | set(trace.trace_lot_ids(lots, "upstream"))
                          | set(trace.trace_lot_ids(lots, "downstream")))
        return {"start": start, "stop": stop, "lot_ids": lots}

    @api.model
    def _iter_line_pages(self, request):
        rule, rule_params = self._get_move_rule_sql("line")
        sql = _LINES.format(group=_GROUP, production=_PRODUCTION, rule=rule, key=_KEY)
        keys = None
        if request["lot_ids"] is not None:
            self.env.cr.execute(_KEYS, [request["lot_ids"]])
            keys = [row[0] for row in self.env.cr.fetchall()]
        partner_id = request.get("partner_id") or None
        picking_id = request.get("picking_id") or None
        company_ids = request.get("company_ids") or None
        params = [request["start"], request["start"], request["stop"], request["stop"],
                  request["lot_ids"], request["lot_ids"], keys, partner_id, partner_id,
                  picking_id, picking_id, company_ids, company_ids] + rule_params
        page_size = get_internal(self.env.context, "epcis_page_size") or PAGE_SIZE
        names = None
        for rows in self._fetch_pages(sql, params, page_size):
            if names is None:
                names = [column.name for column in self.env.cr.description]
            yield [dict(zip(names, row)) for row in rows]
            self.env.cache.invalidate()

    # --- writing -------------------------------------------------------------------------
    @api.model
    def _document_head(self, state):
        head = json.dumps({
            "@context": [epcis.CONTEXT, {"lt": NAMESPACE}],
            "type": "EPCISDocument", "schemaVersion": "2.0",
            "creationDate": epcis.format_time(fields.Datetime.from_string(
                fields.Datetime.now())),
            "lt:sender": self._get_party(state["company"].partner_id, state),
        })
        return head[:-1] + ', "epcisBody": {"eventList": ['

    @api.model
    def _document_tail(self, state):
        return "]}, %s}" % json.dumps(
            {"lt:notes": sorted(state["notes"].values())})[1:-1]

    @api.model
    def _write_events(self, stream, events, state):
        for event in events:
            stream.write(((", " if state["events"] else "") + json.dumps(
                event, sort_keys=False)).encode("utf-8"))
            state["events"] += 1

    # --- events --------------------------------------------------------------------------
    @api.model
    def _prepare_events(self, rows, state):
        """The events of one group of lines (one line, or one transformation)."""
        if not rows:
            return []
        events = [self._prepare_commission_event(row, state) for row in rows
                  if row["first_line"] and row["lot_id"]
                  and row["src_usage"] in ("supplier", "production")]
        if rows[0]["grp"].startswith("T"):
            events.append(self._prepare_transformation_event(rows, state))
        else:
            events.append(self._prepare_observe_event(rows[0], state))
        return events

    @api.model
    def _prepare_base_vals(self, event_type, row, location_id, key, state):
        location = self.env["stock.location"].browse(location_id)
        tz = self._cached(state, ("tz", location_id),
                          lambda: self.env["stock.lot.tz"]._get_event_tz(location))
        utc = fields.Datetime.from_string(row["date"]) if isinstance(row["date"], str) \
            else row["date"]
        local = pytz.utc.localize(utc).astimezone(pytz.timezone(tz))
        return {
            "type": event_type,
            "eventTime": epcis.format_time(utc),
            "eventTimeZoneOffset": epcis.format_offset(local),
            "eventID": "urn:uuid:%s" % uuid.uuid5(
                uuid.NAMESPACE_URL, "%s/%s" % (state["db"], key)),
            "readPoint": {"id": self._get_place(location, state, read_point=True)},
            "bizLocation": {"id": self._get_place(location, state)},
        }

    @api.model
    def _prepare_commission_event(self, row, state):
        internal = row["location_dest_id"]
        event = self._prepare_base_vals("ObjectEvent", row, internal,
                                        "add/%s" % row["id"], state)
        event.update(action="ADD", bizStep="commissioning", disposition="active")
        self._add_what(event, "", [row], state)
        event["ilmd"] = self._prepare_ilmd(row)
        return event

    @api.model
    def _prepare_ilmd(self, row):
        ilmd = {"cbvmda:lotNumber": row["lot_name"], "lt:lotCode": row["lot_name"]}
        for key, value in (("cbvmda:itemExpirationDate", row["life_date"]),
                           ("cbvmda:bestBeforeDate", row["use_date"])):
            if value:
                ilmd[key] = str(value)[:10]
        if row["production_date"]:
            ilmd["lt:productionDate"] = str(row["production_date"])[:10]
        if row["supplier_lot_code"]:
            ilmd["lt:supplierLotCode"] = row["supplier_lot_code"]
        return ilmd

    @api.model
    def _prepare_observe_event(self, row, state):
        receiving = row["dst_usage"] == "internal"
        internal = row["location_dest_id"] if receiving else row["location_id"]
        event = self._prepare_base_vals("ObjectEvent", row, internal,
                                        "line/%s" % row["id"], state)
        event.update(action="OBSERVE", bizStep="receiving" if receiving else "shipping",
                     disposition="in_progress" if receiving else "in_transit")
        self._add_what(event, "", [row], state)
        ours = self._get_party(state["company"].partner_id, state)
        place = event["bizLocation"]["id"]
        partner = self.env["res.partner"].browse(row["partner_id"])
        theirs = self._get_party(partner, state) if partner else None
        their_place = self._get_partner_place(partner, state) if partner else None
        ends = [("owning_party", theirs, ours), ("location", their_place, place)]
        if not receiving:
            ends = [(kind, ours_, theirs_) for kind, theirs_, ours_ in ends]
        event["sourceList"] = [{"type": kind, "source": value}
                               for kind, value, _other in ends if value]
        event["destinationList"] = [{"type": kind, "destination": value}
                                    for kind, _other, value in ends if value]
        event["bizTransactionList"] = [
            {"type": kind, "bizTransaction": epcis.private_uri(state["domain"], kind, value)}
            for kind, value in (("po", row["origin"]), ("desadv", row["picking"])) if value]
        if not event["bizTransactionList"]:
            del event["bizTransactionList"]
        return event

    @api.model
    def _prepare_transformation_event(self, rows, state):
        inputs = [row for row in rows if row["dst_usage"] == "production"]
        outputs = [row for row in rows if row["src_usage"] == "production"]
        internal = (inputs or outputs)[0]
        location_id = internal["location_id"] if inputs else internal["location_dest_id"]
        reference = rows[0]["grp"][1:]
        event = self._prepare_base_vals("TransformationEvent", internal, location_id,
                                        "transformation/%s" % reference, state)
        event["transformationID"] = epcis.private_uri(state["domain"], "transformation",
                                                      reference)
        event["bizStep"] = "commissioning"  # as GS1's own transformation examples
        self._add_what(event, "input", inputs, state)
        self._add_what(event, "output", outputs, state)
        return event

    # --- what: lots as classes, serials as instances ----------------------------------------
    @api.model
    def _add_what(self, event, side, rows, state):
        epc_key = side + "EPCList" if side else "epcList"
        qty_key = side + "QuantityList" if side else "quantityList"
        epcs, quantities = [], []
        for row in rows:
            if row["tracking"] == "serial" and row["lot_id"]:
                epcs.append(epcis.instance_uri(row["barcode"], row["lot_name"])
                            or self._note_private(state, row, "serial"))
            else:
                quantities.append(self._prepare_quantity(row, state))
        if epcs or not side and not quantities:
            event[epc_key] = epcs
        if quantities:
            event[qty_key] = quantities

    @api.model
    def _prepare_quantity(self, row, state):
        uri = epcis.class_uri(row["barcode"], row["lot_name"] if row["lot_id"] else None) \
            or self._note_private(state, row, "class")
        qty, code = self._get_uom_quantity(row["product_uom_id"], row["qty_done"], state)
        item = {"epcClass": uri, "quantity": qty}
        if code:
            item["uom"] = code
        return item

    @api.model
    def _get_uom_quantity(self, uom_id, qty, state):
        """(quantity, UN/ECE code): in the line's unit when it has a code, else in a unit of
        its category that has one (the reference first); a unit of a category without any
        code stays a bare quantity, noted."""
        unit, coded = self._cached(state, ("uom", uom_id), lambda: self._find_coded_uom(uom_id))
        if not coded:
            state["notes"][("uom", uom_id)] = _(
                "Unit %(unit)s has no UN/ECE code (nor has any unit of its category): its "
                "quantities are written without uom.") % {"unit": unit.name}
            return qty, None
        if coded != unit:
            qty = unit._compute_quantity(qty, coded, round=False)
        return qty, coded.unece_code

    @api.model
    def _find_coded_uom(self, uom_id):
        unit = self.env["product.uom"].browse(uom_id)
        if unit.unece_code:
            return unit, unit
        others = self.env["product.uom"].search(
            [("category_id", "=", unit.category_id.id), ("unece_code", "!=", False)])
        coded = others.filtered(lambda u: u.uom_type == "reference")[:1] or others[:1]
        return unit, coded

    # --- places, parties, fallbacks ---------------------------------------------------------
    @api.model
    def _get_place(self, location, state, read_point=False):
        """A location (read point) or its warehouse (business location) as a GLN URI."""
        def find():
            warehouse = location.sudo().get_warehouse()
            gln = (read_point and location.sudo().gln) or warehouse.gln
            if gln:
                return epcis.gln_uri(gln)
            record = location if read_point or not warehouse else warehouse
            self._note_fallback(state, record)
            return epcis.private_uri(state["domain"], record._name.split(".")[-1], record.id)
        return self._cached(state, ("place", read_point, location.id), find)

    @api.model
    def _get_party(self, partner, state):
        def find():
            company = partner.sudo().commercial_partner_id
            if company.gln:
                return epcis.gln_uri(company.gln, party=True)
            self._note_fallback(state, company)
            return epcis.private_uri(state["domain"], "party", company.id)
        return self._cached(state, ("party", partner.id), find)

    @api.model
    def _get_partner_place(self, partner, state):
        def find():
            gln = partner.sudo().gln or partner.sudo().commercial_partner_id.gln
            return epcis.gln_uri(gln) if gln else None
        return self._cached(state, ("partner_place", partner.id), find)

    @api.model
    def _note_fallback(self, state, record):
        state["notes"][("gln", record._name, record.id)] = _(
            "%(kind)s %(name)s has no GLN: a URI of the company's domain stands in.") % {
                "kind": record._description, "name": record.sudo().display_name}

    @api.model
    def _note_private(self, state, row, kind):
        state["notes"][("gtin", row["product_id"])] = _(
            "Product %(ref)s has no valid GTIN (or a lot code GS1 cannot carry): its lots are "
            "named by URIs of the company's domain.") % {"ref": row["product_ref"]}
        return epcis.private_uri(state["domain"], "%s/%s" % (
            kind, quote(row["product_ref"], safe="")), row["lot_name"] or "")

    @api.model
    def _cached(self, state, key, compute):
        cache = state["cache"]
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    @api.model
    def _get_domain(self):
        return self.env["stock.production.lot"]._get_label_domain()

    @api.model
    def _get_db_uuid(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.uuid") or "odoo"

    # --- the query interface (GET /epcis/events) ---------------------------------------------
    @api.model
    @check_arguments(access=None, partner_id=Id("res.partner"))
    def query_events(self, params, partner_id=None, company_id=None):
        """One page of the events matching the EPCIS 2.0 query ``params`` (the REST binding's
        names, values as strings): ``{"events": [...], "next_token": str or None}``.

        ``partner_id`` (a token's partner) restricts the events to the lots shipped to that
        partner, ``company_id`` (a token's company) to that company's moves, sent in its
        name. A parameter this endpoint does not know, or a value it cannot read, raises a
        UserError naming the parameter (``EPCIS query, <parameter>: <reason>``)."""
        self._check_read_rights()
        company = self._get_query_company(company_id)
        with refusals(_("EPCIS query, %s")):
            query = epcis.read_query(params)
        request = {"start": query["start"], "stop": query["stop"], "lot_ids": None,
                   "partner_id": partner_id,
                   "company_ids": company and self.env["res.company"].sudo().search(
                       [("id", "child_of", company.id)]).ids}
        lots = self._get_query_lots(query, partner_id, request["company_ids"])
        if lots is not None:
            request["lot_ids"] = lots
            if not lots:
                return {"events": [], "next_token": None}
        state, page, skip = self._prepare_state(company), [], query["offset"]
        for events in self._iter_event_pages(request, state):
            for event in events:
                if not epcis.matches(event, query):
                    continue
                if skip:
                    skip -= 1
                    continue
                if len(page) == query["per_page"]:
                    return {"events": page,
                            "next_token": str(query["offset"] + query["per_page"])}
                page.append(event)
        return {"events": page, "next_token": None}

    @api.model
    def _get_query_company(self, company_id):
        """The company a query is restricted to (a token's), one of the user's own."""
        if not company_id:
            return None
        company = self.env["res.company"].sudo().browse(company_id).exists() \
            if isinstance(company_id, int) and not isinstance(company_id, bool) else None
        allowed = self.env["res.company"].sudo().search(
            [("id", "child_of", self.env.user.company_id.ids)])
        if not company or (self.env.uid != SUPERUSER_ID and company not in allowed):
            raise AccessError(_("EPCIS query (company_id): %(id)r is not a company of "
                                "%(user)s.") % {"id": company_id, "user": self.env.user.name})
        return company

    @api.model
    def _get_query_lots(self, query, partner_id, company_ids=None):
        """Lot ids the query may read: those of its classes and, for a partner, those that
        ``company_ids`` (all when None) shipped to it (None: no restriction)."""
        lots = None
        classes = query["any_classes"] | query["classes"]
        if classes:
            lots = set()
            for gtin, code in {epcis.parse_identifier(uri, "MATCH_epcClass")[:2]
                               for uri in classes}:
                products = self.env["stock.lot.epcis.event"]._find_products(gtin)
                lots |= set(self.env["stock.production.lot"].search(
                    [("product_id", "in", products.ids), ("name", "=", code)]).ids)
        if partner_id:
            domain = [("state", "=", "done"), ("lot_id", "!=", False),
                      ("location_dest_id.usage", "=", "customer"),
                      ("picking_id.partner_id", "child_of", partner_id)]
            if company_ids:
                domain.append(("move_id.company_id", "in", company_ids))
            shipped = self.env["stock.move.line"].sudo().search(domain).mapped("lot_id").ids
            lots = set(shipped) if lots is None else lots & set(shipped)
        return None if lots is None else sorted(lots)
