# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the EPCIS tests share: GTINs, GLNs, the schema check and a small supply chain."""
import io
import json
import os

import jsonschema

from ..tools import epcis, gs1
from .common import TraceabilityCase, unique

DATA = os.path.join(os.path.dirname(__file__), "data")
SCHEMA = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data",
                      "epcis_document.schema.json")


def with_check_digit(body):
    """A GTIN or GLN: ``body`` and its GS1 check digit."""
    return body + str(gs1.check_digit(body))


def load_schema():
    with open(SCHEMA) as handle:
        return json.load(handle)


def document_errors(document, schema):
    """The schema's and the standard's rule errors of a document, as strings (empty: valid)."""
    validator = jsonschema.Draft7Validator(schema)
    errors = ["%s: %s" % ("/".join(str(p) for p in error.absolute_path), error.message)
              for error in validator.iter_errors(document)]
    for index, event in enumerate(document.get("epcisBody", {}).get("eventList", [])):
        errors += [str(error) for error in epcis.rule_errors(
            event, "epcisBody.eventList[%s]" % index)]
    return errors


class EpcisCase(TraceabilityCase):

    @classmethod
    def setUpClass(cls):
        super(EpcisCase, cls).setUpClass()
        cls.schema = load_schema()
        cls.warehouse.partner_id.tz = "America/New_York"
        cls.gln_ours = with_check_digit("061414100001")
        cls.gln_supplier = with_check_digit("061414100002")
        cls.gln_customer = with_check_digit("061414100003")
        cls.warehouse.gln = cls.gln_ours
        cls.env.user.company_id.partner_id.gln = with_check_digit("061414100009")
        cls.supplier.gln = cls.gln_supplier
        cls.customer.gln = cls.gln_customer
        cls.apple = cls._create_product("Apples", uom=cls.uom_kg,
                                        barcode=cls._new_gtin())
        cls.jam = cls._create_product("Jam", barcode=cls._new_gtin())

    @classmethod
    def _new_gtin(cls):
        return with_check_digit("0614141" + unique("")[-5:])

    def _export(self, lots=None, date_from=None, date_to=None, chain=False, **context):
        stream = io.BytesIO()
        summary = self.env["stock.lot.epcis"].with_context(**context).export_document(
            stream, lots.ids if lots else None, date_from, date_to, chain)
        return json.loads(stream.getvalue().decode("utf-8")), summary

    @classmethod
    def _chain(cls):
        """Apples received from the supplier, jam made of them, jam shipped: (apple lot,
        jam lot, receipt, delivery)."""
        receipt = cls._receive(cls.apple, [(unique("APL"), 40.0)])
        apple_lot = receipt.move_line_ids.lot_id
        apple_lot.write({"supplier_lot_code": unique("VO")})
        jam_name = unique("JAM")
        cls._transform([(cls.apple, apple_lot, 30.0)], [(cls.jam, jam_name, 60.0)])
        jam_lot = cls.env["stock.production.lot"].search([("name", "=", jam_name)])
        delivery = cls._deliver(cls.jam, [(jam_lot, 24.0)])
        return apple_lot, jam_lot, receipt, delivery
