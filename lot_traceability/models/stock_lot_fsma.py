# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""FSMA 204: the Key Data Elements of the Critical Tracking Events of Food Traceability
List foods, one row per event and lot (21 CFR 1 Subpart S, the sortable spreadsheet).

Events are read from the done move lines of products flagged ``fsma_food_traceability``,
by (date, id) in pages from one server-side cursor, so a long period never sits in memory:

- receiving: from a supplier (or a customer's return) into an internal location;
- shipping: from an internal location to a customer (or back to a supplier);
- a transfer between two of our sites at different addresses: a shipping event at the
  source and a receiving event at the destination, each naming the other site;
- transformation input / output: into / out of a production location; one event per
  build or split (its document number), shared by all its input and output rows.

Inventory adjustments and scrap are not events: they are returned as notes. A period holds
the events whose date, as written (local to the event's warehouse), is one of its days; a
transformation's date is its completion (its last output) on all its rows. The
traceability lot code (TLC) of a lot we made (a transformation's output) is our lot code,
sourced at our location; the TLC of a lot received and not transformed is the supplier's
lot code, sourced at the supplier's location; when the supplier gave none, we assign the TLC
(our lot code) and its source is our receiving location (1.1345(b)).

Every location description is split into its parts (``LOCATION_PARTS``, 21 CFR 1.1310),
a transporter (a partner flagged ``is_carrier``) is never the immediate previous source or
subsequent recipient, and a transformation event is always listed whole: a lot filter keeps
every input and output of a build or split one of its lots took part in.
"""
from datetime import datetime, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.internal_context import get_internal, internal_context
from .lot_traceability_input import Date, Ids, check_arguments, named_first
from .stock_lot_sql_mixin import EVENT_LOCATION, LINE_JOINS, IdArray

PAGE_SIZE = 2000
# The lines of a period are read with this margin on both sides, then kept by the local date
# of each event in its own warehouse's time zone (UTC-12 to UTC+14 around the company's).
PERIOD_MARGIN = timedelta(days=2)
_EPOCH = datetime(1970, 1, 1)
RECEIVING, SHIPPING, INPUT, OUTPUT = "receiving", "shipping", "input", "output"
EVENT_USAGES = ("supplier", "customer", "production", "inventory")

# The lines of the request; with lot ids, also every line of the transformations those lots
# took part in (the other inputs and outputs of a build or a split). Those transformations'
# references are found first, once (lot_ref), then joined by hash: as an IN (subquery) of
# 400,000 lines, PostgreSQL kept them in a list and scanned it for each line of the period.
_LINES = """
    WITH lot_ref AS MATERIALIZED (
        SELECT DISTINCT coalesce(lot_move.transform_ref, lot_move.reference) AS ref
          FROM stock_move_line lot_line
          JOIN stock_move lot_move ON lot_move.id = lot_line.move_id
          JOIN stock_location lot_src ON lot_src.id = lot_line.location_id
          JOIN stock_location lot_dst ON lot_dst.id = lot_line.location_dest_id
         WHERE lot_line.lot_id = ANY(%s::int[]) AND lot_line.state = 'done'
           AND (lot_src.usage = 'production') <> (lot_dst.usage = 'production')),
    -- The transformations completed in the period (an output in it): their inputs are
    -- read whatever their own date, since every row carries the completion date.
    done_ref AS MATERIALIZED (
        SELECT DISTINCT coalesce(out_move.transform_ref, out_move.reference) AS ref
          FROM stock_move_line out_line
          JOIN stock_move out_move ON out_move.id = out_line.move_id
          JOIN stock_location out_src ON out_src.id = out_line.location_id
          JOIN stock_location out_dst ON out_dst.id = out_line.location_dest_id
         WHERE out_line.state = 'done' AND out_line.date >= %s AND out_line.date < %s
           AND out_src.usage = 'production' AND out_dst.usage <> 'production')
    SELECT line.id, extract(epoch FROM line.date), line.lot_id, line.product_id, line.qty_done,
           line.product_uom_id, line.location_id, line.location_dest_id,
           src.usage, dst.usage, picking.name,
           ARRAY[picking.partner_id, move.partner_id, grp.partner_id],
           coalesce(picking.origin, move.origin), move.transform_ref,
           move.transform_res_model, move.reference, {mrp} AS is_mrp
""" + LINE_JOINS + """      LEFT JOIN stock_picking picking ON picking.id = line.picking_id
      LEFT JOIN procurement_group grp ON grp.id = move.group_id
      LEFT JOIN lot_ref ON lot_ref.ref = coalesce(move.transform_ref, move.reference)
      LEFT JOIN done_ref ON done_ref.ref = coalesce(move.transform_ref, move.reference)
           AND dst.usage = 'production' AND src.usage <> 'production'
     WHERE line.state = 'done' AND template.fsma_food_traceability
       AND ((line.date >= %s AND line.date < %s) OR done_ref.ref IS NOT NULL)
       AND (src.usage IN %s OR dst.usage IN %s
            OR (src.usage = 'internal' AND dst.usage = 'internal'
                AND line.location_id <> line.location_dest_id))
       AND (%s::int[] IS NULL OR line.product_id = ANY(%s::int[]))
       AND (%s::int[] IS NULL OR line.lot_id = ANY(%s::int[])
            OR ((src.usage = 'production') <> (dst.usage = 'production')
                AND lot_ref.ref IS NOT NULL))
       {rule}
     ORDER BY line.date, line.id
"""
# The first done movement of a set of lots, with where it happened (a Whole Chain request
# starts on its local day).
_FIRST_MOVE = """
    SELECT line.date AS date, {where} AS location_id
      FROM stock_move_line line
      JOIN stock_location dst ON dst.id = line.location_dest_id
     WHERE line.lot_id = ANY(%s::int[]) AND line.state = 'done' {rule}
     ORDER BY line.date, line.id LIMIT 1
""".format(where=EVENT_LOCATION, rule="{rule}")
# The partners of each lot's first receipt from a supplier (the ledger's first receipt), in
# the order the immediate previous source is read in: transfer, move, procurement group.
_RECEIPT_PARTIES = """
    SELECT DISTINCT ON (line.lot_id) line.lot_id AS lot_id,
           ARRAY[picking.partner_id, move.partner_id, grp.partner_id] AS partner_ids
      FROM stock_move_line line
      JOIN stock_move move ON move.id = line.move_id
      JOIN stock_location src ON src.id = line.location_id
      LEFT JOIN stock_picking picking ON picking.id = line.picking_id
      LEFT JOIN procurement_group grp ON grp.id = move.group_id
     WHERE line.lot_id = ANY(%s::int[]) AND line.state = 'done' AND src.usage = 'supplier'
           {rule}
     ORDER BY line.lot_id, line.date, line.id
"""
# When each transformation was completed: its last output line (one date for all its rows).
# {key}: the moves' column that names the transformation, transform_ref (builds and
# splits, indexed) or reference (an mrp order's moves); one statement per column, as an OR
# of both read every move of the database (1.2 s over an export of 100,000 lines).
_COMPLETED = """
    SELECT move.{key}, max(line.date)
      FROM stock_move move
      JOIN stock_move_line line ON line.move_id = move.id
      JOIN stock_location src ON src.id = line.location_id
      JOIN stock_location dst ON dst.id = line.location_dest_id
     WHERE move.{key} = ANY(%s)
       AND line.state = 'done' AND src.usage = 'production' AND dst.usage <> 'production'
           {rule}
     GROUP BY 1
"""
_LINE_KEYS = ("id", "date", "lot_id", "product_id", "qty", "uom_id", "location_id",
              "location_dest_id", "src_usage", "dst_usage", "picking", "partner_ids",
              "source_document", "transform_ref", "transform_model", "reference", "is_mrp")
# When mrp is installed its productions' moves say so (their reference is the order's name).
_MRP_FLAG = "(move.production_id IS NOT NULL OR move.raw_material_production_id IS NOT NULL)"
# A location description (21 CFR 1.1310): business name, phone, physical address (street or
# geographic coordinates, city, state, ZIP code; for a foreign location its country).
LOCATION_PARTS = ("name", "phone", "street", "city", "state", "zip", "country")
# The product description (1.1310): name, brand, commodity, variety, packaging size, style.
PRODUCT_PARTS = ("product", "brand", "commodity", "variety", "packaging_size",
                 "packaging_style")
# The parts every food's description needs, and those only a single-ingredient food's does.
PRODUCT_REQUIRED = ("brand", "packaging_size", "packaging_style")
PRODUCT_SINGLE = ("commodity", "variety")
NO_PLACE = dict.fromkeys(LOCATION_PARTS, "")


class StockLotFsma(models.AbstractModel):
    _name = "stock.lot.fsma"
    _inherit = "stock.lot.sql.mixin"
    _description = "FSMA 204 key data elements"

    # --- the request ---------------------------------------------------------------------
    @api.model
    def _get_period_tz(self):
        """The company's time zone (``stock.lot.tz``): the export wizard's default "today"
        and the Request sheet's time zone; each event is then kept by its own local date."""
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
                "products": named_first(unflagged.mapped("display_name"))})
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

    @api.model
    @check_arguments(access=None, lot_ids=Ids("stock.production.lot", optional=False))
    def get_tlcs(self, lot_ids):
        """Each lot's traceability lot code and TLC source, by the export's rule: what a
        delivery slip and a label print (1.1340(b)), so what we send matches what we keep.

        ``[{"lot_id", "lot_name", "tlc", "source"}]`` in the order of ``lot_ids``; ``source``
        is the TLC source's location description on one line. Any stock user may read it
        (delivery slips are printed by every stock user)."""
        cache = self._prepare_cache()
        self._cache_lot_origins(cache, lot_ids)
        result = []
        for lot_id in lot_ids:
            lot = cache["lots"][lot_id]
            tlc, source, _note = self._get_lot_tlc(lot, cache, [])
            result.append({"lot_id": lot_id, "lot_name": lot["name"], "tlc": tlc,
                           "source": self._format_place(source)})
        return result

    @api.model
    def _get_first_day(self, lot_ids):
        """The day of the lots' first done movement, local to where it happened (the rule
        events are selected by), as an Odoo date string; None when they never moved."""
        rule, rule_params = self._get_move_rule_sql("line")
        rows = self._execute_as_written(_FIRST_MOVE.format(rule=rule),
                                        [IdArray(sorted(set(lot_ids)))] + rule_params)
        if not rows:
            return None
        tz = self._get_location_tz(rows[0]["location_id"], {})
        return self.env["stock.lot.tz"]._date_of(rows[0]["date"], tz)

    @api.model
    def _has_events(self, request):
        """Whether the request has at least one event row (read from a small first page)."""
        probe = self.with_context(**internal_context(fsma_page_size=100))._iter_events(
            request, [])
        return next(probe, None) is not None

    # --- the rows ------------------------------------------------------------------------
    @api.model
    def _prepare_cache(self):
        """What an export reads once: lots, partners, locations, products, labels."""
        return {"lots": {}, "partners": {}, "carriers": {}, "locations": {}, "products": {},
                "lot_names": set(), "noted": set(), "labels": self._get_labels()}

    @api.model
    def _iter_events(self, request, notes):
        """Yield one row per event line of ``request``, by (date, line id); append what
        is not an event or is incomplete to ``notes``. An event is in the period when its
        date as written (local to its warehouse) is: lines are read with a margin and kept
        by that date, the same rule for every row and note."""
        self._check_read_rights()
        rule, rule_params = self._get_move_rule_sql("line")
        cache = self._prepare_cache()
        cache["period"] = tuple(fields.Date.from_string(request[key])
                                for key in ("date_from", "date_to"))
        # A set of lots reaches PostgreSQL as one array literal (IdArray), not one node a lot.
        lot_ids = IdArray(request["lot_ids"]) if request["lot_ids"] is not None else None
        start, stop = (fields.Datetime.from_string(request[key]) if isinstance(
            request[key], str) else request[key] for key in ("start", "stop"))
        window = [start - PERIOD_MARGIN, stop + PERIOD_MARGIN]
        params = [lot_ids] + window + window + [
            EVENT_USAGES, EVENT_USAGES, request["product_ids"], request["product_ids"],
            lot_ids, lot_ids] + rule_params
        page_size = get_internal(self.env.context, "fsma_page_size") or PAGE_SIZE
        mrp = _MRP_FLAG if "raw_material_production_id" in self.env["stock.move"]._fields \
            else "FALSE"
        for rows in self._fetch_pages(_LINES.format(rule=rule, mrp=mrp), params, page_size):
            lines = [dict(zip(_LINE_KEYS, row)) for row in rows]
            for line in lines:
                # An epoch is read faster than Odoo's datetime strings are parsed.
                line["date"] = _EPOCH + timedelta(seconds=float(line["date"]))
            self._cache_page(cache, lines)
            for line in lines:
                for kind in self._get_event_kinds(line, cache, notes):
                    row = self._prepare_event_row(line, kind, cache, notes)
                    if row:
                        yield row
            self.env.cache.invalidate()

    @api.model
    def _in_period(self, local_date, cache):
        """Whether a local date (as written on a row or note) is a day of the request."""
        start, stop = cache["period"]
        return start <= local_date.date() <= stop

    @api.model
    def _cache_page(self, cache, lines):
        """Read what the rows of a page need, once per page: lot origins, product
        descriptions and which source documents are lot codes."""
        self._cache_lot_origins(cache, [line["lot_id"] for line in lines if line["lot_id"]])
        self._cache_products(cache, {line["product_id"] for line in lines})
        self._cache_partners(cache, {partner_id for line in lines
                                     for partner_id in line["partner_ids"] if partner_id})
        self._cache_completed(cache, [line for line in lines
                                      if self._event_type(line) in (INPUT, OUTPUT)])
        origins = list({line["source_document"] for line in lines if line["source_document"]})
        if origins:
            self.env.cr.execute("SELECT name FROM stock_production_lot WHERE name = ANY(%s)",
                                [origins])
            cache["lot_names"].update(name for name, in self.env.cr.fetchall())

    @api.model
    def _get_transform_key(self, line):
        """The transformation a line belongs to: its build's or split's number, else the
        move's reference (an mrp order's name)."""
        return line["transform_ref"] or line["reference"] or str(line["id"])

    @api.model
    def _cache_completed(self, cache, lines):
        """When each transformation of a page's ``lines`` was completed (its last output):
        one query per column naming them (see :data:`_COMPLETED`)."""
        completed = cache.setdefault("completed", {})
        rule, rule_params = self._get_move_rule_sql("line")
        for key in ("transform_ref", "reference"):
            missing = list({self._get_transform_key(line) for line in lines
                            if self._get_transform_key(line) == line[key]} - set(completed))
            if missing:
                self.env.cr.execute(_COMPLETED.format(key=key, rule=rule),
                                    [missing] + rule_params)
                completed.update(dict.fromkeys(missing))
                completed.update(self.env.cr.fetchall())

    @api.model
    def _get_event_date(self, line, kind, cache):
        """The UTC date of a line's event: a transformation's completion (its last output,
        the same on all its rows, 1.1350(a)(2)(iii)), else the line's own date."""
        if kind in (INPUT, OUTPUT):
            completed = cache["completed"].get(self._get_transform_key(line))
            if completed:
                return fields.Datetime.from_string(completed) if isinstance(
                    completed, str) else completed
        return line["date"]

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
    def _get_event_kinds(self, line, cache, notes):
        """The events of a line: its one event type; a shipping and a receiving event for a
        transfer between two of our sites at different addresses (FDA's shipping and
        receiving include moves between a firm's own locations); none for a move inside one
        site. An inventory adjustment or scrap is no event, but a note."""
        kind = self._event_type(line)
        if kind:
            return (kind,)
        if self._is_site_transfer(line, cache, notes):
            return (SHIPPING, RECEIVING)
        if "inventory" in (line["src_usage"], line["dst_usage"]):
            note = self._prepare_note_vals(line, cache, cache["labels"]["count"])
            if self._in_period(note["date"], cache):
                notes.append(note)
        return ()

    @api.model
    def _is_site_transfer(self, line, cache, notes):
        """Whether a line moves food between two of our locations whose location
        descriptions (their warehouses' addresses) differ."""
        if not line["src_usage"] == line["dst_usage"] == "internal":
            return False
        return self._describe_location(line["location_id"], cache, notes)[0] != \
            self._describe_location(line["location_dest_id"], cache, notes)[0]

    @api.model
    def _prepare_event_row(self, line, kind, cache, notes):
        location_id = line["location_dest_id"] if kind in (RECEIVING, OUTPUT) \
            else line["location_id"]
        tz = self._get_location_tz(location_id, cache)
        date = self.env["stock.lot.tz"]._to_local(self._get_event_date(line, kind, cache), tz)
        if not self._in_period(date, cache):
            return None
        place = self._describe_location(location_id, cache, notes)[0]
        self._note_product(line, cache, notes)
        tlc, internal, tlc_source = self._get_tlc(line, cache, notes)
        document_type, document, event_id = self._get_document(line, kind, cache["labels"])
        second_type, second = self._get_second_document(line, kind, document, cache)
        party = self._get_party(line, kind, document, cache, notes) \
            if kind in (RECEIVING, SHIPPING) else NO_PLACE
        row = {
            "event_id": event_id, "event_type": kind,
            "event_type_label": cache["labels"][kind],
            "tlc": tlc, "internal_lot": internal, "tlc_source": tlc_source,
            "product_id": line["product_id"], "quantity": line["qty"],
            "uom": self._get_name(cache, "product.uom", line["uom_id"]),
            "date": date, "tz": tz, "location": place,
            "previous_source": party if kind == RECEIVING else NO_PLACE,
            "subsequent_recipient": party if kind == SHIPPING else NO_PLACE,
            "document_type": document_type, "document": document,
            "second_document_type": second_type, "second_document": second,
            "line_id": line["id"],
        }
        row.update(cache["products"][line["product_id"]])
        return row

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
                "internal-in": _("Transfer from our other site"),
                "internal-out": _("Transfer to our other site"),
                "purchase": _("Purchase order"), "sale": _("Sales order"),
                "origin": _("Source document"),
                "count": _("Inventory adjustment or scrap: not a Critical Tracking Event, "
                           "left out."),
                "no-lot": _("No lot recorded: these rows have no traceability lot code "
                            "(track the product by lots)."),
                "no-code": _("Lot %(lot)s was received on %(receipt)s without a supplier lot "
                             "code: we assigned its traceability lot code (our lot code), and "
                             "its TLC source is our receiving location (21 CFR 1.1345(b))."),
                "no-origin": _("Lot %(lot)s was neither received from a supplier nor made "
                               "here (e.g. counted in by an inventory adjustment): our lot "
                               "code and location stand in as its traceability lot code and "
                               "source."),
                "no-source": _("Lot %(lot)s was received on %(receipt)s, which names no "
                               "partner but a transporter: its TLC source (the supplier's "
                               "location) is unknown; give the receipt the partner it came "
                               "from."),
                "product": _("%(product)s has no %(missing)s: its product description is "
                             "incomplete (21 CFR 1.1310)."),
                "single": _("%(parts)s (of a single-ingredient food)"),
                "brand": _("brand"), "commodity": _("commodity"), "variety": _("variety"),
                "packaging_size": _("packaging size (Net Content)"),
                "packaging_style": _("packaging style"),
                "no-party": _("%(document)s has no partner: the immediate previous source or "
                              "subsequent recipient is missing."),
                "carrier": _("%(document)s names only %(carriers)s, a transporter: a carrier "
                             "is never the immediate previous source or subsequent recipient "
                             "(21 CFR 1.1340(a)(4), 1.1345(a)(4)); give the transfer the "
                             "partner it came from or goes to."),
                "incomplete": _("%(partner)s has no %(missing)s: its location description "
                                "is incomplete (21 CFR 1.1310)."),
                "business name": _("business name"), "phone": _("phone"),
                "street": _("street address or geographic coordinates"), "city": _("city"),
                "state": _("state or region"), "zip": _("ZIP or postal code"),
                "country": _("country")}

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
    def _get_second_document(self, line, kind, document, cache):
        """(type, number) of the document behind the reference document: the transfer's or
        move's source document (the purchase order behind a receipt, the sales order behind
        a delivery); never a lot code (a split's batch) nor the reference itself."""
        origin = line["source_document"]
        if not origin or origin == document or origin in cache["lot_names"]:
            return "", ""
        labels = cache["labels"]
        if kind == RECEIVING and line["src_usage"] == "supplier":
            return labels["purchase"], origin
        if kind == SHIPPING and line["dst_usage"] == "customer":
            return labels["sale"], origin
        return labels["origin"], origin

    @api.model
    def _get_name(self, cache, model, record_id):
        names = cache.setdefault(model, {})
        if record_id not in names:
            names[record_id] = self.env[model].browse(record_id).display_name
        return names[record_id]

    @api.model
    def _cache_products(self, cache, product_ids):
        """The product description of each product (1.1310): its name, the brand,
        commodity, variety and packaging style the company fills on the product, the
        packaging size from its net content."""
        missing = [pid for pid in product_ids if pid not in cache["products"]]
        for product in self.env["product.product"].browse(missing):
            template = product.product_tmpl_id
            cache["products"][product.id] = {
                "product": product.display_name, "brand": template.brand_name or "",
                "commodity": template.commodity or "", "variety": template.variety or "",
                "packaging_size": template.get_packaging_size(),
                "packaging_style": template.packaging_style or ""}

    @api.model
    def _note_product(self, line, cache, notes):
        """Note once per product the parts of its description it lacks: brand, packaging
        size and style of every food, commodity and variety of a single-ingredient one."""
        description, labels = cache["products"][line["product_id"]], cache["labels"]
        missing = [labels[part] for part in PRODUCT_REQUIRED if not description[part]]
        single = [labels[part] for part in PRODUCT_SINGLE if not description[part]]
        if single:
            missing.append(labels["single"] % {"parts": ", ".join(single)})
        key = ("product", line["product_id"])
        if missing and key not in cache["noted"]:
            cache["noted"].add(key)
            notes.append({"date": None, "lot": "", "product": description["product"],
                          "quantity": None, "uom": "", "document": "",
                          "note": labels["product"] % {"product": description["product"],
                                                       "missing": ", ".join(missing)}})

    # --- the immediate previous source and subsequent recipient ------------------------
    @api.model
    def _get_party(self, line, kind, document, cache, notes):
        """The location description of the immediate previous source (receiving) or
        subsequent recipient (shipping): by :meth:`_find_party`; between two of our sites,
        the other site."""
        if line["src_usage"] == line["dst_usage"] == "internal":
            other = line["location_id"] if kind == RECEIVING else line["location_dest_id"]
            return self._describe_location(other, cache, notes)[0]
        partner_id, carriers = self._find_party(line["partner_ids"], cache)
        if partner_id:
            return self._describe_partner(partner_id, cache, notes)
        labels = cache["labels"]
        message = labels["carrier"] % {"document": document, "carriers": self._get_names(
            cache, carriers)} if carriers else labels["no-party"] % {"document": document}
        self._note_once(cache, notes, ("party", document), line, message)
        return NO_PLACE

    @api.model
    def _find_party(self, partner_ids, cache):
        """The one rule for who a transfer came from or went to: the first of its
        partners (transfer, move, procurement group: the ship-to of an order) that is no
        transporter. ``(partner id or None, the carriers skipped)``."""
        carriers = []
        for partner_id in partner_ids or ():
            if partner_id and self._is_carrier(partner_id, cache):
                carriers.append(partner_id)
            elif partner_id:
                return partner_id, carriers
        return None, carriers

    @api.model
    def _get_names(self, cache, partner_ids):
        return ", ".join(self._get_name(cache, "res.partner", pid)
                         for pid in sorted(set(partner_ids)))

    @api.model
    def _cache_partners(self, cache, partner_ids):
        """Which partners of a page are carriers, in one query, and their addresses read
        into the ORM cache in one read (instead of one read per partner)."""
        missing = [pid for pid in partner_ids if pid not in cache["carriers"]]
        if not missing:
            return
        self.env.cr.execute("""
            SELECT partner.id, partner.is_carrier OR coalesce(company.is_carrier, FALSE)
              FROM res_partner partner
              LEFT JOIN res_partner company ON company.id = partner.commercial_partner_id
             WHERE partner.id = ANY(%s)""", [missing])
        cache["carriers"].update(self.env.cr.fetchall())
        partners = self.env["res.partner"].browse(
            [pid for pid in missing if pid not in cache["partners"]])
        partners.read(["name", "phone", "street", "street2", "city", "zip", "state_id",
                       "country_id", "commercial_partner_id", "parent_id"])

    @api.model
    def _is_carrier(self, partner_id, cache):
        if partner_id not in cache["carriers"]:
            self._cache_partners(cache, [partner_id])
        return cache["carriers"].get(partner_id, False)

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
                "supplier_id": row["partner_id"], "received_at": row["received_location_id"],
                # named as its Receiving row names it (_get_document): the transfer, else the
                # move's reference, else the line
                "receipt": row["received_document"] or (
                    row["received_line_id"] and str(row["received_line_id"])) or "",
                "parties": []}
        self._cache_receipt_parties(cache, [lot_id for lot_id in missing
                                            if cache["lots"][lot_id]["received"]])

    @api.model
    def _cache_receipt_parties(self, cache, lot_ids):
        """The partners of each lot's first receipt, in one query: its TLC source is found
        by the rule of the immediate previous source (:meth:`_find_party`)."""
        if not lot_ids:
            return
        rule, rule_params = self._get_move_rule_sql("line")
        rows = self._execute_as_written(_RECEIPT_PARTIES.format(rule=rule),
                                        [IdArray(sorted(lot_ids))] + rule_params)
        for row in rows:
            cache["lots"][row["lot_id"]]["parties"] = row["partner_ids"]

    @api.model
    def _get_tlc(self, line, cache, notes):
        """(TLC, our lot code, TLC source location description) of the lot of ``line``."""
        if not line["lot_id"]:
            self._note_once(cache, notes, ("no-lot", line["product_id"]), line,
                            cache["labels"]["no-lot"])
            return "", "", NO_PLACE
        lot = cache["lots"][line["lot_id"]]
        tlc, source, note = self._get_lot_tlc(lot, cache, notes)
        if note:
            self._note_once(cache, notes, (note, line["lot_id"]), line,
                            cache["labels"][note] % {"lot": lot["name"],
                                                     "receipt": lot["receipt"] or ""})
        return tlc, lot["name"], source

    @api.model
    def _get_lot_tlc(self, lot, cache, notes):
        """(TLC, TLC source, the key of the note it needs or None) of a lot: ours where we
        made it; the supplier's code and location where received with one; else our code,
        at our receiving location (1.1345(b)) or, for a lot neither made nor received, at
        the company."""
        if lot["made_at"]:
            return lot["name"], self._describe_location(lot["made_at"], cache, notes)[0], None
        if lot["received"] and lot["supplier_code"]:
            partner_id, _carriers = self._find_party(lot["parties"], cache)
            if not partner_id:
                return lot["supplier_code"], NO_PLACE, "no-source"
            return lot["supplier_code"], self._describe_partner(partner_id, cache, notes), None
        if lot["received"]:
            source = self._describe_location(lot["received_at"], cache, notes)[0]
            return lot["name"], source, "no-code"
        company = self.env.user.company_id.partner_id
        return lot["name"], self._describe_partner(company.id, cache, notes), "no-origin"

    # --- location descriptions -----------------------------------------------------------
    @api.model
    def _describe_partner(self, partner_id, cache, notes):
        """The location description of a partner's address, in ``LOCATION_PARTS`` (cached
        per partner); a note names the partner once when a part the rule requires is
        missing."""
        if partner_id not in cache["partners"]:
            partner = self.env["res.partner"].browse(partner_id)
            place = self._prepare_place_vals(partner)
            missing = self._get_missing_parts(partner, place)
            if missing:
                labels = cache["labels"]
                notes.append({"date": None, "lot": "", "product": "", "quantity": None,
                              "uom": "", "document": "", "note": labels["incomplete"] % {
                                  "partner": self._get_partner_name(partner, place),
                                  "missing": ", ".join(
                                      labels[part] for part in missing)}})
            cache["partners"][partner_id] = place
        return cache["partners"][partner_id]

    @api.model
    def _get_partner_name(self, partner, place):
        """The partner as a note names it: its company, and the contact or address
        (display_name costs a read of its own per partner)."""
        if not partner.parent_id or partner.name in (False, place["name"]):
            return place["name"]
        return "%s, %s" % (place["name"], partner.name)

    @api.model
    def _prepare_place_vals(self, partner):
        """The parts of a partner's location description; the street is the geographic
        coordinates when there is no street and the partner has them (base_geolocalize)."""
        company = partner.commercial_partner_id
        street = ", ".join(part for part in (partner.street, partner.street2) if part)
        if not street and "partner_latitude" in partner._fields and (
                partner.partner_latitude or partner.partner_longitude):
            street = "%.6f, %.6f" % (partner.partner_latitude, partner.partner_longitude)
        return {"name": company.name or partner.name or "",
                "phone": partner.phone or company.phone or "", "street": street,
                "city": partner.city or "", "state": partner.state_id.name or "",
                "zip": partner.zip or "", "country": partner.country_id.name or ""}

    @api.model
    def _get_missing_parts(self, partner, place):
        """The parts the rule requires that ``place`` lacks: all of them, but the state in
        a country Odoo knows no states of."""
        required = [part for part in LOCATION_PARTS if part != "state" or not
                    partner.country_id or partner.country_id.state_ids]
        return ["business name" if part == "name" else part
                for part in required if not place[part]]

    @api.model
    def _format_place(self, place):
        """A location description on one line (a delivery slip, a label)."""
        return ", ".join(place[part] for part in LOCATION_PARTS if place[part])

    @api.model
    def _describe_location(self, location_id, cache, notes):
        """(location description, time zone) of our location: its warehouse's address,
        else the company's; the time zone by ``stock.lot.tz``'s rule."""
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
    def _note_once(self, cache, notes, key, line, message):
        """Note ``message`` for the first line of ``key`` only."""
        if key not in cache["noted"]:
            cache["noted"].add(key)
            notes.append(self._prepare_note_vals(line, cache, message))

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
            "product": cache["products"][line["product_id"]]["product"],
            "quantity": line["qty"], "uom": self._get_name(cache, "product.uom", line["uom_id"]),
            "document": line["picking"] or line["reference"] or "", "note": message,
        }
