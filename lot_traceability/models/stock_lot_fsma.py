# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""FSMA 204: the Key Data Elements of the Critical Tracking Events of Food Traceability
List foods, one row per event and lot (21 CFR 1 Subpart S, the sortable spreadsheet).

Events are read from the done move lines of products flagged ``fsma_food_traceability``,
by (date, id) in pages from one server-side cursor, so a long period never sits in memory:

- receiving: from a supplier (or a customer's return) into an internal location;
- shipping: from an internal location to a customer (or back to a supplier);
- transformation input / output: into / out of a production location; one event per
  build or split (its document number), shared by all its input and output rows.

Inventory adjustments and scrap are not events: they are returned as notes. The
traceability lot code (TLC) of a lot we made (a transformation's output) is our lot code,
sourced at our location; the TLC of a lot received and not transformed is the supplier's
lot code, sourced at the supplier's location.
"""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .lot_traceability_input import Date, Ids, check_arguments

PAGE_SIZE = 2000
RECEIVING, SHIPPING, INPUT, OUTPUT = "receiving", "shipping", "input", "output"
EVENT_USAGES = ("supplier", "customer", "production", "inventory")

_LINES = """
    SELECT line.id, line.date, line.lot_id, line.product_id, line.qty_done,
           line.product_uom_id, line.location_id, line.location_dest_id,
           src.usage, dst.usage, picking.name, coalesce(picking.partner_id, move.partner_id),
           coalesce(picking.origin, move.origin), move.transform_ref,
           move.transform_res_model, move.reference, {mrp} AS is_mrp
      FROM stock_move_line line
      JOIN stock_move move ON move.id = line.move_id
      JOIN stock_location src ON src.id = line.location_id
      JOIN stock_location dst ON dst.id = line.location_dest_id
      JOIN product_product product ON product.id = line.product_id
      JOIN product_template template ON template.id = product.product_tmpl_id
      LEFT JOIN stock_picking picking ON picking.id = line.picking_id
     WHERE line.state = 'done' AND template.fsma_food_traceability
       AND line.date >= %s AND line.date < %s
       AND (src.usage IN %s OR dst.usage IN %s)
       AND (%s::int[] IS NULL OR line.product_id = ANY(%s::int[]))
       AND (%s::int[] IS NULL OR line.lot_id = ANY(%s::int[]))
       {rule}
     ORDER BY line.date, line.id
"""
_LINE_KEYS = ("id", "date", "lot_id", "product_id", "qty", "uom_id", "location_id",
              "location_dest_id", "src_usage", "dst_usage", "picking", "partner_id",
              "source_document", "transform_ref", "transform_model", "reference", "is_mrp")
# When mrp is installed its productions' moves say so (their reference is the order's name).
_MRP_FLAG = "(move.production_id IS NOT NULL OR move.raw_material_production_id IS NOT NULL)"


class StockLotFsma(models.AbstractModel):
    _name = "stock.lot.fsma"
    _inherit = "stock.lot.sql.mixin"
    _description = "FSMA 204 key data elements"

    # --- the request ---------------------------------------------------------------------
    @api.model
    def _get_period_tz(self):
        """The time zone the days of a request are read in: the company's
        (``stock.lot.tz``); the export wizard's default "today" is a day in it too."""
        return self.env["stock.lot.tz"]._get_company_tz()

    @api.model
    def _prepare_request(self, date_from, date_to, product_ids=None, lot_ids=None):
        """Check a request and return it with UTC bounds: the dates are whole days in the
        company's time zone, both included; no products means every flagged product."""
        if not date_from or not date_to:
            raise UserError(_("Give both dates of the period."))
        start, stop = (fields.Date.from_string(value) for value in (date_from, date_to))
        if start > stop:
            raise UserError(_("The period starts (%(start)s) after it ends (%(stop)s).") % {
                "start": date_from, "stop": date_to})
        products = self.env["product.product"].browse(product_ids or [])
        unflagged = products.filtered(lambda p: not p.fsma_food_traceability)
        if unflagged:
            raise UserError(_("Not on the Food Traceability List (flag the product first): "
                              "%(products)s.") % {
                "products": ", ".join(unflagged.mapped("display_name"))})
        tz = self._get_period_tz()
        utc_start, utc_stop = self.env["stock.lot.tz"]._period_utc(start, stop, tz)
        return {"date_from": fields.Date.to_string(start), "date_to": fields.Date.to_string(stop),
                "start": utc_start, "stop": utc_stop, "tz": tz,
                "product_ids": products.ids or None,
                "lot_ids": list(lot_ids) if lot_ids is not None else None}

    # --- public API ----------------------------------------------------------------------
    @api.model
    @check_arguments(date_from=Date(), date_to=Date(), product_ids=Ids("product.product"),
                     lot_ids=Ids("stock.production.lot"))
    def fsma_events(self, date_from, date_to, product_ids=None, lot_ids=None):
        """The FSMA 204 rows and notes of a period as JSON-serialisable data.

        ``{"rows": [...], "notes": [...]}``: each row a dict of the spreadsheet's columns
        (``date`` as a string in the event location's time zone); see :meth:`_iter_events`.
        """
        self._check_traceability_access()
        request = self._prepare_request(date_from, date_to, product_ids, lot_ids)
        notes = []
        rows = [dict(row, date=fields.Datetime.to_string(row["date"]))
                for row in self._iter_events(request, notes)]
        return {"rows": rows, "notes": [dict(note, date=note["date"] and
                                             fields.Datetime.to_string(note["date"]))
                                        for note in notes]}

    # --- the rows ------------------------------------------------------------------------
    @api.model
    def _iter_events(self, request, notes):
        """Yield one row per event line of ``request``, by (date, line id); append what
        is not an event or is incomplete to ``notes``."""
        self._check_read_rights()
        rule, rule_params = self._get_move_rule_sql("line")
        cache = {"lots": {}, "partners": {}, "locations": {}, "noted": set(),
                 "labels": self._get_labels()}
        params = [request["start"], request["stop"], EVENT_USAGES, EVENT_USAGES,
                  request["product_ids"], request["product_ids"], request["lot_ids"],
                  request["lot_ids"]] + rule_params
        page_size = self.env.context.get("fsma_page_size") or PAGE_SIZE
        mrp = _MRP_FLAG if "raw_material_production_id" in self.env["stock.move"]._fields \
            else "FALSE"
        for rows in self._fetch_pages(_LINES.format(rule=rule, mrp=mrp), params, page_size):
            lines = [dict(zip(_LINE_KEYS, row)) for row in rows]
            self._cache_lot_origins(cache, [line["lot_id"] for line in lines if line["lot_id"]])
            for line in lines:
                row = self._prepare_event_row(line, cache, notes)
                if row:
                    yield row
            self.env.cache.invalidate()

    @api.model
    def _event_type(self, line):
        src, dst = line["src_usage"], line["dst_usage"]
        if src in ("supplier", "customer") and dst == "internal":
            return RECEIVING
        if src == "internal" and dst in ("supplier", "customer"):
            return SHIPPING
        if dst == "production" and src != "production":
            return INPUT
        if src == "production" and dst != "production":
            return OUTPUT
        return None

    @api.model
    def _prepare_event_row(self, line, cache, notes):
        kind = self._event_type(line)
        if kind is None:
            if "inventory" in (line["src_usage"], line["dst_usage"]):
                notes.append(self._prepare_note_vals(
                    line, cache, _("Inventory adjustment or scrap: not a Critical Tracking "
                                   "Event, left out.")))
            return None
        location_id = line["location_dest_id"] if kind in (RECEIVING, OUTPUT) \
            else line["location_id"]
        location, tz = self._describe_location(location_id, cache, notes)
        tlc, internal, tlc_source = self._get_tlc(line, cache, notes)
        document_type, document, event_id = self._get_document(line, kind, cache["labels"])
        partner = self._describe_partner(line["partner_id"], cache, notes) \
            if line["partner_id"] else ""
        if kind in (RECEIVING, SHIPPING) and not partner:
            notes.append(self._prepare_note_vals(
                line, cache, _("%(document)s has no partner: the previous source or "
                               "subsequent recipient is missing.") % {"document": document}))
        return {
            "event_id": event_id, "event_type": kind,
            "event_type_label": cache["labels"][kind],
            "tlc": tlc, "internal_lot": internal, "tlc_source": tlc_source,
            "product": self._get_name(cache, "product.product", line["product_id"]),
            "product_id": line["product_id"], "quantity": line["qty"],
            "uom": self._get_name(cache, "product.uom", line["uom_id"]),
            "date": self.env["stock.lot.tz"]._to_local(line["date"], tz), "tz": tz,
            "location": location,
            "previous_source": partner if kind == RECEIVING else "",
            "subsequent_recipient": partner if kind == SHIPPING else "",
            "document_type": document_type, "document": document,
            "source_document": line["source_document"] or "", "line_id": line["id"],
        }

    @api.model
    def _get_labels(self):
        """Event types, reference document types and notes, translated once per export."""
        return {RECEIVING: _("Receiving"), SHIPPING: _("Shipping"),
                INPUT: _("Transformation input"), OUTPUT: _("Transformation output"),
                "stock.assembly": _("Assembly build"),
                "stock.production.lot": _("Split into units"), "production": _("Production"),
                "mrp.production": _("Manufacturing order"),
                "supplier-in": _("Receipt"), "customer-in": _("Customer return"),
                "customer-out": _("Delivery"), "supplier-out": _("Return to supplier"),
                "no-lot": _("No lot recorded: these rows have no traceability lot code "
                            "(track the product by lots)."),
                "no-code": _("Lot %(lot)s has no supplier lot code: our lot code stands in "
                             "as its traceability lot code."),
                "no-origin": _("Lot %(lot)s was neither received from a supplier nor made "
                               "here (e.g. counted in by an inventory adjustment): our lot "
                               "code and location stand in as its traceability lot code and "
                               "source.")}

    @api.model
    def _get_document(self, line, kind, labels):
        """(reference document type, number, event id) of an event line."""
        if kind in (INPUT, OUTPUT):
            number = line["transform_ref"] or line["reference"] or str(line["id"])
            label = labels.get(line["transform_model"]) or \
                labels["mrp.production" if line["is_mrp"] else "production"]
            return label, number, "TRF-" + number
        number = line["picking"] or line["reference"] or str(line["id"])
        if kind == RECEIVING:
            return labels[line["src_usage"] + "-in"], number, "REC-" + number
        return labels[line["dst_usage"] + "-out"], number, "SHP-" + number

    @api.model
    def _get_name(self, cache, model, record_id):
        names = cache.setdefault(model, {})
        if record_id not in names:
            names[record_id] = self.env[model].browse(record_id).display_name
        return names[record_id]

    # --- traceability lot codes ----------------------------------------------------------
    @api.model
    def _cache_lot_origins(self, cache, lot_ids):
        missing = list({lot_id for lot_id in lot_ids if lot_id not in cache["lots"]})
        if not missing:
            return
        for row in self.env["stock.lot.ledger"].origins(missing):
            cache["lots"][row["lot_id"]] = {
                "name": row["lot_name"], "supplier_code": row["supplier_lot_code"],
                "made_at": row["made_location_id"], "received": row["received"],
                "supplier_id": row["partner_id"]}

    @api.model
    def _get_tlc(self, line, cache, notes):
        """(TLC, our lot code, TLC source description) of the lot of ``line``."""
        if not line["lot_id"]:
            self._note_once(cache, notes, ("no-lot", line["product_id"]), line,
                            cache["labels"]["no-lot"])
            return "", "", ""
        lot = cache["lots"][line["lot_id"]]
        if lot["made_at"]:
            return lot["name"], lot["name"], self._describe_location(
                lot["made_at"], cache, notes)[0]
        if lot["received"]:
            source = self._describe_partner(lot["supplier_id"], cache, notes) \
                if lot["supplier_id"] else ""
            if not lot["supplier_code"]:
                self._note_once(cache, notes, ("no-code", line["lot_id"]), line,
                                cache["labels"]["no-code"], lot=lot["name"])
            return lot["supplier_code"] or lot["name"], lot["name"], source
        self._note_once(cache, notes, ("no-origin", line["lot_id"]), line,
                        cache["labels"]["no-origin"], lot=lot["name"])
        company = self.env.user.company_id.partner_id
        return lot["name"], lot["name"], self._describe_partner(company.id, cache, notes)

    # --- location descriptions -----------------------------------------------------------
    @api.model
    def _describe_partner(self, partner_id, cache, notes):
        """Business name; phone; address, on one line (cached per partner)."""
        if partner_id not in cache["partners"]:
            partner = self.env["res.partner"].browse(partner_id)
            name = partner.commercial_partner_id.name or partner.name or ""
            phone = partner.phone or partner.commercial_partner_id.phone or ""
            address = ", ".join(part.strip() for part in partner._display_address(
                without_company=True).splitlines() if part.strip())
            if not phone or not address:
                notes.append({"date": None, "lot": "", "product": "", "quantity": None,
                              "uom": "", "document": "", "note": _(
                                  "%(partner)s has no %(missing)s: its location description "
                                  "is incomplete.") % {
                                  "partner": name, "missing": " / ".join(
                                      label for label, value in ((_("phone"), phone),
                                                                 (_("address"), address))
                                      if not value)}})
            cache["partners"][partner_id] = "; ".join(part for part in (name, phone, address)
                                                      if part)
        return cache["partners"][partner_id]

    @api.model
    def _describe_location(self, location_id, cache, notes):
        """(description, time zone) of our location: its warehouse's address, else the
        company's; the time zone by ``stock.lot.tz``'s rule."""
        if location_id not in cache["locations"]:
            location = self.env["stock.location"].browse(location_id)
            warehouse = location.get_warehouse()
            company = location.company_id or self.env.user.company_id
            partner = warehouse.partner_id or company.partner_id
            cache["locations"][location_id] = (
                self._describe_partner(partner.id, cache, notes),
                self._get_location_tz(location_id, cache))
        return cache["locations"][location_id]

    @api.model
    def _get_location_tz(self, location_id, cache):
        """The time zone of events at our location (``stock.lot.tz``), cached per location."""
        zones = cache.setdefault("zones", {})
        if location_id not in zones:
            zones[location_id] = self.env["stock.lot.tz"]._get_event_tz(
                self.env["stock.location"].browse(location_id))
        return zones[location_id]

    # --- notes ---------------------------------------------------------------------------
    @api.model
    def _note_once(self, cache, notes, key, line, message, **values):
        """Note ``message % values`` for the first line of ``key`` only."""
        if key not in cache["noted"]:
            cache["noted"].add(key)
            notes.append(self._prepare_note_vals(line, cache, message % values))

    @api.model
    def _prepare_note_vals(self, line, cache, message):
        """A note on ``line``, dated in the time zone of the line's internal end."""
        lot = cache["lots"].get(line["lot_id"]) or {}
        location_id = line["location_dest_id"] if line["dst_usage"] == "internal" \
            else line["location_id"]
        tz = self._get_location_tz(location_id, cache)
        return {
            "date": self.env["stock.lot.tz"]._to_local(line["date"], tz), "tz": tz,
            "lot": lot.get("name", ""),
            "product": self._get_name(cache, "product.product", line["product_id"]),
            "quantity": line["qty"], "uom": self._get_name(cache, "product.uom", line["uom_id"]),
            "document": line["picking"] or line["reference"] or "", "note": message,
        }
