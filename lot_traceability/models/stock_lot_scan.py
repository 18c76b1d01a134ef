# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one matcher behind every scan: Receive Lots, bulk serials, assemblies, the Scan screen.

A scanner configured to send AIM symbology identifiers prefixes the code with ``]Xm``: the
matcher strips it (``gs1.classify``). ``]C1``, ``]e0``, ``]d2``, ``]Q3``, ``]J1`` announce GS1 data,
which is read as GS1 only. Any other code (no identifier, or a plain one such as ``]C0``, ``]Q1``,
``]E0``) is matched, without its identifier, in this order (so a lot named "10ABC" is a lot):
  1. an exact lot/serial code (of the products in context, if any),
  2. a product barcode (GTIN-8/12/13/14 compared normalised to 14 digits),
  3. the addon's label URL ``.../lot/<product>/<lot>``,
  4. GS1 data when the code carries GS1 markers (GS, the ``(AI)`` form, a Digital Link URI).
There is no guess: digits without symbology identifier or GS are not GS1, and a code that is
none of the above is reported unknown, never read as another lot.
In GS1 data, (10) is a batch/lot and (21) a serial number. When the code carries a GTIN, the
product's tracking says which one names its item (``gs1.item_code``): the serial (21) of a
serial-tracked product, the batch (10) of a lot-tracked one, whatever else the code carries;
a code that carries only the other one is reported unknown with a message saying so. Without
a GTIN, the batch, else the serial, is looked up as any lot or serial number.
Each step is a small method that can be extended. An ordinary miss is a result with a
message, never an exception.
"""
from odoo import _, api, models

from ..tools import gs1, labels
from .lot_traceability_input import Id, Text, check_arguments

GS_SUBSTITUTE_PARAM = "lot_traceability.gs1_gs_substitute"


class ScanResult(dict):
    """What a scan found: ``status`` is lot, product, ambiguous, unknown or error; ``data`` is
    the code without its symbology identifier."""

    @property
    def found(self):
        return self["status"] in ("lot", "product")


class StockLotScan(models.AbstractModel):
    _name = "stock.lot.scan"
    _description = "Scanned code matcher"

    @api.model
    def _result(self, code, status, lots=None, product=None, parsed=None, message=""):
        lots = lots if lots is not None else self.env["stock.production.lot"]
        if product is None:
            product = lots.mapped("product_id") if len(lots.mapped("product_id")) == 1 \
                else self.env["product.product"]
        return ScanResult(code=code, status=status, lots=lots, product=product, gs1=parsed,
                          message=message, data=gs1.classify(code).data)

    @api.model
    def _match(self, code, products=None):
        """Match ``code`` against lots, product barcodes and GS1; returns a :class:`ScanResult`."""
        code = (code or "").strip()
        scan = gs1.classify(code, self._gs_substitute())
        if not scan.data.strip(gs1.GS):
            return self._result(code, "unknown", message=_("Nothing was scanned."))
        if scan.symbology in gs1.GS1_SYMBOLOGIES:
            return self._match_gs1(code, products)
        for matcher in (self._match_lot, self._match_product, self._match_lot_url):
            result = matcher(scan.data, products)
            if result:
                return result
        if scan.form in gs1.GS1_FORMS:
            return self._match_gs1(code, products)
        return self._result(code, "unknown", message=_("No lot, serial number or product "
                                                       "matches the code %s.") % scan.data)

    @api.model
    def _lots_by_name(self, name, products=None, product=None):
        domain = [("name", "=", name)]
        if product:
            domain.append(("product_id", "=", product.id))
        elif products:
            domain.append(("product_id", "in", products.ids))
        return self.env["stock.production.lot"].search(domain)

    @api.model
    def _lot_result(self, code, lots, parsed=None, product=None):
        if len(lots) > 1:
            return self._result(code, "ambiguous", lots=lots, parsed=parsed, message=_(
                "The code %(code)s is a lot of several products: %(products)s. Choose one.") % {
                    "code": lots[0].name,
                    "products": ", ".join(lots.mapped("product_id.display_name"))})
        return self._result(code, "lot", lots=lots, parsed=parsed, product=product)

    @api.model
    def _match_lot(self, code, products=None):
        lots = self._lots_by_name(code, products)
        return self._lot_result(code, lots) if lots else None

    @api.model
    def _products_by_barcode(self, code):
        candidates = {code}
        gtin = gs1.normalize_gtin(code)
        if gtin:
            # A GTIN is stored as 8, 12, 13 or 14 digits: the same number with leading zeros.
            candidates.update(gtin[14 - n:] for n in (8, 12, 13, 14)
                              if not gtin[:14 - n].strip("0"))
        return self.env["product.product"].search([("barcode", "in", sorted(candidates))])

    @api.model
    def _match_product(self, code, products=None):
        found = self._products_by_barcode(code)
        if len(found) == 1:
            return self._result(code, "product", product=found)
        return None

    @api.model
    def _match_lot_url(self, code, products=None):
        """A label URL ``.../lot/<product reference or id>/<lot>`` (lots GS1 cannot carry)."""
        parsed = labels.parse_lot_url(code)
        if not parsed:
            return None
        ref, name = parsed
        Product = self.env["product.product"].with_context(active_test=False)
        product = Product.search([("default_code", "=", ref)])
        if not product and ref.isdigit():
            product = Product.browse(int(ref)).exists()
        lots = self.env["stock.production.lot"]
        for candidate in product:
            lots |= self._lots_by_name(name, products, candidate)
        if lots:
            return self._lot_result(code, lots)
        return self._result(code, "unknown", message=_(
            "No lot %(lot)s of the product %(product)s.") % {"lot": name, "product": ref})

    @api.model
    def _gs_substitute(self):
        value = self.env["ir.config_parameter"].sudo().get_param(GS_SUBSTITUTE_PARAM)
        return value or None

    @api.model
    def _match_gs1(self, code, products=None):
        try:
            parsed = gs1.parse(code, gs_substitute=self._gs_substitute())
        except gs1.GS1Error as error:
            return self._result(code, "error", message=_(
                "Unreadable GS1 code %(code)s: %(error)s") % {"code": code, "error": error})
        product = self.env["product.product"]
        gtin = parsed.gtin or parsed.content_gtin
        if gtin:
            product = self._products_by_barcode(gtin)
            if len(product) != 1:
                return self._result(code, "unknown", parsed=parsed, message=_(
                    "No product has the GTIN %s.") % gtin)
        try:
            lot_code = gs1.item_code(parsed, product.tracking if product else None)
        except gs1.GS1Error:
            return self._tracking_mismatch(code, parsed, product)
        if lot_code:
            lots = self._lots_by_name(lot_code, products, product)
            if lots:
                return self._lot_result(code, lots, parsed=parsed, product=product or None)
        if product:
            return self._result(code, "product", product=product, parsed=parsed)
        return self._result(code, "unknown", parsed=parsed, message=_(
            "No lot or product matches the GS1 code %s.") % code)

    @api.model
    def _tracking_mismatch(self, code, parsed, product):
        """A GS1 code whose only lot or serial is not the one the product is tracked by
        (``gs1.item_code``): nothing matches, and the message says why."""
        if product.tracking == "serial":
            message = _("%(product)s is tracked by serial number: the code carries a batch "
                        "(10) but no serial (21).")
        else:
            message = _("%(product)s is tracked by lot: the code carries a serial (21) but "
                        "no batch (10).")
        return self._result(code, "unknown", product=product, parsed=parsed,
                            message=message % {"product": product.display_name})

    @api.model
    @check_arguments(code=Text(), product_id=Id("product.product"))
    def match_code(self, code, product_id=False):
        """JSON-RPC entry point: the match as plain data."""
        self._check_traceability_access()
        products = self.env["product.product"].browse(product_id) if product_id else None
        result = self._match(code, products)
        parsed = result["gs1"]
        return {
            "code": result["code"],
            "status": result["status"],
            "message": result["message"],
            "lot_ids": result["lots"].ids,
            "product_id": result["product"].id or False,
            "gs1": {ai: str(value) for ai, value in parsed.values.items()} if parsed else {},
        }
