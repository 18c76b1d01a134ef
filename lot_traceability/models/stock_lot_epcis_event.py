# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An event of an imported EPCIS document, stored as it came, with what it says about lots.

Each event keeps its JSON text. Its lots (GTIN + lot or serial, or our own private URI of a
product without GTIN: its reference + lot) are found among ours (the product and our lot code
or the supplier's), or made as EXTERNAL lots (a partner's lot, without stock here). The
identifiers that name no lot (GIAI, SSCC, GRAI, other companies' URIs...) are listed on the
event, not refused. A quantity without unit is a count: of a product counted in units.
A transformation becomes external genealogy: one ``stock.lot.external.edge`` per input and
output, which the genealogy engine walks like its own links. A shipping event to us (or any
event of a document imported from a receipt) is matched to our receipt of the same lots.
"""
import json

from odoo import _, api, fields, models

from ..tools import epcis, gs1

_SIDES = (("", "epcList", "quantityList"), ("input", "inputEPCList", "inputQuantityList"),
          ("output", "outputEPCList", "outputQuantityList"),
          ("child", "childEPCs", "childQuantityList"))


class StockLotEpcisEvent(models.Model):
    _name = "stock.lot.epcis.event"
    _description = "EPCIS Event"
    _order = "event_time, id"

    document_id = fields.Many2one("stock.lot.epcis.document", required=True, readonly=True,
                                  index=True, ondelete="cascade")
    # The document's company, written with the event (no related field to recompute).
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    event_id = fields.Char("Event ID", required=True, readonly=True, index=True)
    event_type = fields.Char("Type", required=True, readonly=True)
    action = fields.Char(readonly=True)
    biz_step = fields.Char("Business Step", readonly=True)
    event_time = fields.Datetime(required=True, readonly=True)
    event_time_zone_offset = fields.Char("Time Zone Offset", readonly=True)
    transformation_id = fields.Char("Transformation ID", readonly=True)
    body = fields.Text("As Received", readonly=True)
    lot_ids = fields.Many2many("stock.production.lot", string="Lots", readonly=True)
    unmapped_identifiers = fields.Text(
        "Identifiers Not Mapped", readonly=True,
        help="The event's identifiers that name no lot here (assets, logistic units, other "
             "schemes), one a line: kept in the event as received, not imported as lots.")
    picking_id = fields.Many2one("stock.picking", "Our Receipt", readonly=True, index=True)

    _sql_constraints = [("event_company_uniq", "unique (company_id, event_id)",
                         "This event has been imported already.")]

    # --- reading an event ----------------------------------------------------------------
    @api.model
    def _read_event(self, event, path, context=None):
        """The facts of one event (EpcisError naming the path when one is not readable).
        An event without eventID is named by its CBV 2.0 Event Hash ID (``context``: the
        document's ``@context``, whose prefixes name its extension fields' namespaces), so
        that the same event sent again, as XML or as JSON, is recognised."""
        if not isinstance(event, dict):
            raise epcis.EpcisError("type", path, _("an event must be an object"))
        facts = {
            "type": event["type"], "action": event.get("action"),
            "biz_step": event.get("bizStep"),
            "time": epcis.parse_time(event["eventTime"], path + ".eventTime"),
            "offset": epcis.check_offset(event["eventTimeZoneOffset"],
                                         path + ".eventTimeZoneOffset"),
            "event_id": event.get("eventID") or epcis.event_hash_id(event, context),
            "transformation_id": event.get("transformationID"), "unmapped": [],
        }
        for side, epc_key, qty_key in _SIDES:
            items = [self._read_epc(epc, "%s.%s[%s]" % (path, epc_key, index))
                     for index, epc in enumerate(event.get(epc_key) or [])]
            items += [self._read_quantity(item, "%s.%s[%s]" % (path, qty_key, index))
                      for index, item in enumerate(event.get(qty_key) or [])]
            facts[side or "what"] = [item for item in items if "unmapped" not in item]
            facts["unmapped"] += [item["unmapped"] for item in items if "unmapped" in item]
        return facts

    @api.model
    def _read_identifier(self, uri, path, instance):
        """``{"gtin", "ref", "code"}`` of an identifier that names a product of ours or a
        GTIN (``ref``: the product reference of our own private URI), else
        ``{"unmapped": uri}``; EpcisError when a GTIN-based one is malformed."""
        parsed = epcis.read_identifier(uri, path, instance)
        if parsed:
            return {"gtin": parsed[0], "ref": None, "code": parsed[2 if instance else 1]}
        own = epcis.parse_private(uri, self.env["stock.lot.epcis"]._get_domain())
        if own and (own[0] == "serial") == instance:
            item = {"gtin": None, "ref": own[1], "code": own[2] or None}
            if self._find_item_products(item):
                return item
        return {"unmapped": uri}

    @api.model
    def _read_epc(self, epc, path):
        item = self._read_identifier(epc, path, True)
        item.update(serial=True, qty=1.0, uom="H87")
        return item

    @api.model
    def _read_quantity(self, item, path):
        found = self._read_identifier(item.get("epcClass"), path + ".epcClass", False)
        found.update(serial=False, qty=item.get("quantity"), uom=item.get("uom"))
        if "quantity" in item and not item.get("uom") and "unmapped" not in found:
            found["uom"] = self._get_count_uom(found, path)
        return found

    @api.model
    def _get_count_uom(self, item, path):
        """The UN/ECE code of a quantity without unit, a count (EPCIS 2.0): the product's
        unit when it counts units, else EpcisError naming the product and its unit."""
        product = self._find_item_products(item)[:1]
        if not product:
            return "H87"
        unit = product.uom_id
        if unit.category_id != self.env.ref("product.product_uom_categ_unit"):
            raise epcis.EpcisError("not_a_count", path, _(
                "a quantity of %(qty)s is a count without a unit, but %(product)s is "
                "measured in %(unit)s (give its uom, a UN/ECE Rec. 20 code)") % {
                "qty": item["qty"], "product": product.display_name, "unit": unit.name})
        return unit.unece_code or "H87"

    # --- storing -------------------------------------------------------------------------
    @api.model
    def _create_events(self, document, events):
        """Store the events not stored yet; returns (stored, skipped)."""
        known = set(self.search([("company_id", "=", document.company_id.id),
                                 ("event_id", "in", [facts["event_id"]
                                                     for _p, _e, facts in events])]
                                ).mapped("event_id"))
        stored, cache = 0, {}
        for _path, event, facts in events:
            if facts["event_id"] in known:
                continue
            known.add(facts["event_id"])
            lots = self._resolve_lots(document, facts, cache)
            vals = self._prepare_event_vals(document, event, facts)
            vals.update(lot_ids=[(6, 0, sorted(set().union(*lots.values())))],
                        picking_id=self._match_receipt(document, facts, lots, cache))
            record = self.create(vals)
            record._create_edges(lots)
            if cache.get("new_lots"):
                self.env["stock.production.lot"].browse(cache.pop("new_lots")).write(
                    {"epcis_event_id": record.id})
            stored += 1
        return stored, len(events) - stored

    @api.model
    def _prepare_event_vals(self, document, event, facts):
        return {
            "document_id": document.id, "company_id": document.company_id.id,
            "event_id": facts["event_id"],
            "event_type": facts["type"], "action": facts["action"],
            "biz_step": facts["biz_step"],
            "event_time": str(facts["time"].replace(microsecond=0)),
            "event_time_zone_offset": facts["offset"],
            "transformation_id": facts["transformation_id"],
            "body": json.dumps(event, indent=1, ensure_ascii=False),
            "unmapped_identifiers": "\n".join(facts["unmapped"]) or False,
        }

    @api.model
    def _resolve_lots(self, document, facts, cache):
        """Lot ids per side of an event (ours, else new external lots of the document's
        partner); ``cache`` holds lots by GTIN and code and products by GTIN for one import."""
        return {side: [self._find_or_make_lot(document, item, cache)
                       for item in facts[side] if item["code"]]
                for side in ("what", "input", "output", "child")}

    @api.multi
    def _create_edges(self, lots):
        """External genealogy of a transformation: each input lot to each output lot."""
        self.ensure_one()
        Edge = self.env["stock.lot.external.edge"]
        for source in lots["input"]:
            for target in lots["output"]:
                if source != target:
                    Edge.create({"from_lot_id": source, "to_lot_id": target,
                                 "event_id": self.id, "company_id": self.company_id.id,
                                 "date": self.event_time})

    @api.model
    def _find_or_make_lot(self, document, item, cache):
        """The id of our lot of this GTIN and code (ours or the supplier's), else of a new
        external lot."""
        key = (item["gtin"] or item["ref"], item["code"])
        if key not in cache:
            cache[key] = self._find_or_make_lot_record(document, item, cache).id
        return cache[key]

    @api.model
    def _find_or_make_lot_record(self, document, item, cache):
        key = ("products", item["gtin"] or ("ref", item["ref"]))
        if key not in cache:
            cache[key] = self._find_item_products(item)
        products = cache[key]
        Lot = self.env["stock.production.lot"]
        lot = Lot.search([("product_id", "in", products.ids), "|",
                          ("name", "=", item["code"]), ("supplier_lot_code", "=", item["code"])],
                         order="epcis_external, id", limit=1) if products else Lot
        if lot:
            return lot
        product = products[:1] or self._make_external_product(item)
        cache[key] = product
        lot = Lot.with_context(mail_create_nolog=True, tracking_disable=True).create({
            "name": item["code"], "product_id": product.id, "epcis_external": True,
            "epcis_partner_id": document.partner_id.id})
        cache.setdefault("new_lots", []).append(lot.id)
        return lot

    @api.model
    def _find_item_products(self, item):
        """The products of an item: by its GTIN, or by the reference of our private URI (the
        product's internal reference, or its id when it has none, as the export writes)."""
        if item["gtin"]:
            return self._find_products(item["gtin"])
        Product = self.env["product.product"].with_context(active_test=False)
        products = Product.search([("default_code", "=", item["ref"])])
        if not products and item["ref"].isdigit() and len(item["ref"]) < 10:
            products = Product.browse(int(item["ref"])).exists().filtered(
                lambda product: not product.default_code)
        return products

    @api.model
    def _find_products(self, gtin14):
        forms = {gtin14, gtin14.lstrip("0")} | {gtin14[-n:] for n in (8, 12, 13)}
        forms = [form for form in forms if gs1.normalize_gtin(form) == gtin14]
        return self.env["product.product"].with_context(active_test=False).search(
            ["|", ("barcode", "in", forms), ("default_code", "=", "GTIN-" + gtin14)])

    @api.model
    def _make_external_product(self, item):
        """A partner's item we do not stock: an inactive product named by its GTIN."""
        return self.env["product.product"].create({
            "name": _("External item %s") % item["gtin"],
            "default_code": "GTIN-" + item["gtin"], "type": "consu", "active": False,
            "tracking": "serial" if item["serial"] else "lot"})

    @api.model
    def _match_receipt(self, document, facts, lots, cache):
        """Our receipt of a shipping or receiving event's lots (the document's receipt when
        it was imported from one), or False."""
        if document.picking_id:
            return document.picking_id.id
        if facts["biz_step"] not in ("shipping", "receiving") or not lots["what"]:
            return False
        key = ("receipt", tuple(sorted(lots["what"])))
        if key not in cache:
            line = self.env["stock.move.line"].search([
                ("lot_id", "in", lots["what"]), ("state", "=", "done"),
                ("location_id.usage", "=", "supplier"), ("picking_id", "!=", False)],
                order="date desc", limit=1)
            cache[key] = line.picking_id.id
        return cache[key]
