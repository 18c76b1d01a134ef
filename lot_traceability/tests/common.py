# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Test base with factories. Tests build their own data here; they never read demo data."""
from itertools import count

from odoo.tests.common import SavepointCase

_SEQ = count(1)


def unique(prefix):
    """A name no other record of this test run has (lot codes, references)."""
    return "%s-%05d" % (prefix, next(_SEQ))


class TraceabilityCase(SavepointCase):

    @classmethod
    def setUpClass(cls):
        super(TraceabilityCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.warehouse = cls.env.ref("stock.warehouse0")
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.supplier_location = cls.env.ref("stock.stock_location_suppliers")
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.receipt_type = cls.warehouse.in_type_id
        cls.delivery_type = cls.warehouse.out_type_id
        cls.uom_unit = cls.env.ref("product.product_uom_unit")
        cls.uom_kg = cls.env.ref("product.product_uom_kgm")
        cls.supplier = cls._create_partner("Test Supplier", supplier=True)
        cls.customer = cls._create_partner("Test Customer", customer=True)
        cls.trace_user = cls._create_user(
            "trace_user", "lot_traceability.lot_traceability_group_user")
        cls.trace_manager = cls._create_user(
            "trace_manager", "lot_traceability.lot_traceability_group_manager")

    # --- factories ---------------------------------------------------------------------
    @classmethod
    def _create_partner(cls, name, **vals):
        vals.setdefault("customer", False)
        return cls.env["res.partner"].create(dict(vals, name=unique(name), is_company=True))

    @classmethod
    def _create_user(cls, login, *group_xmlids):
        groups = [(4, cls.env.ref(xmlid).id) for xmlid in ("base.group_user",) + group_xmlids]
        return cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": login.replace("_", " ").title(),
            "login": unique(login),
            "email": "%s@example.com" % login,
            "groups_id": groups,
        })

    @classmethod
    def _create_product(cls, name="Product", tracking="lot", uom=None, **vals):
        uom = uom or cls.uom_unit
        vals.update(name=unique(name), type="product", tracking=tracking,
                    uom_id=uom.id, uom_po_id=uom.id)
        return cls.env["product.product"].create(vals)

    @classmethod
    def _create_location(cls, name, parent=None, usage="internal"):
        return cls.env["stock.location"].create({
            "name": unique(name),
            "usage": usage,
            "location_id": (parent or cls.stock_location).id,
        })

    @classmethod
    def _create_lot(cls, product, name=None, **vals):
        vals.update(product_id=product.id, name=name or unique("LOT"))
        return cls.env["stock.production.lot"].create(vals)

    @classmethod
    def _receive(cls, product, lots, location=None, partner=None):
        """Receive ``lots``, a list of ``(lot name or lot record, quantity)``; returns the transfer.

        For products without tracking, pass ``[(None, quantity)]``.
        """
        lines = []
        for lot, quantity in lots:
            if isinstance(lot, str):
                lot = cls._create_lot(product, lot)
            lines.append((product, quantity, lot or cls.env["stock.production.lot"]))
        return cls.env["stock.picking"]._create_done_transfer(
            cls.receipt_type, partner or cls.supplier, lines, location_dest=location)

    @classmethod
    def _deliver(cls, product, lots, location=None, partner=None):
        """Ship ``lots`` (a list of ``(lot record, quantity)``) to a customer."""
        lines = [(product, quantity, lot) for lot, quantity in lots]
        return cls.env["stock.picking"]._create_done_transfer(
            cls.delivery_type, partner or cls.customer, lines, location=location)

    def _on_hand(self, product, lot=None, location=None):
        return self.env["stock.quant"]._get_available_quantity(
            product, location or self.stock_location, lot_id=lot, strict=False)

    # --- bulk serial entry (issue 4) ----------------------------------------------------
    def _bulk_entry(self, product, serials_text, user=None, **vals):
        """A Bulk Serial Entry wizard for ``product`` (as ``user``, a Traceability user)."""
        vals.update(product_id=product.id, serials_text=serials_text)
        vals.setdefault("location_dest_id", self.stock_location.id)
        wizard_model = self.env["stock.serial.bulk.entry"].sudo(user or self.trace_user)
        return wizard_model.create(vals)
