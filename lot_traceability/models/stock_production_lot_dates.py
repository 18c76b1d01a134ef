# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one rule for a lot's expiry dates (life, use, removal, alert).

Registered before the lot's other extensions so that its ``create`` runs after the input
checks of ``lot.traceability.input``: the production date it reads is already clean.
"""
from datetime import datetime, time, timedelta

from odoo import api, fields, models

EXPIRY_FIELDS = (("life_date", "life_time"), ("use_date", "use_time"),
                 ("removal_date", "removal_time"), ("alert_date", "alert_time"))


class StockProductionLot(models.Model):
    _inherit = "stock.production.lot"

    @api.model
    def create(self, vals):
        """A lot created with its production date counts the expiry dates it is not given
        from that day (:meth:`_get_dates`), not from now as product_expiry does."""
        if vals.get("production_date") and vals.get("product_id"):
            dates = self._get_dates(vals["product_id"], production_date=vals["production_date"])
            vals = dict(vals, **{name: value for name, value in dates.items()
                                 if value and not vals.get(name)})
        return super(StockProductionLot, self).create(vals)

    def _get_dates(self, product_id=None, production_date=None, known_dates=None):
        """THE expiry dates of a lot (product_expiry's hook, used by its ``create``): the
        product's days all counted from one start (``_get_expiry_start``). ``known_dates``
        ({field: 'YYYY-MM-DD'}, e.g. the expiry a label gives) are kept as given, at noon UTC
        like every date a clerk enters."""
        known_dates = {field: value for field, value in (known_dates or {}).items() if value}
        if not production_date and not known_dates:
            return super(StockProductionLot, self)._get_dates(product_id)
        product = self.env["product.product"].browse(product_id) or self.product_id
        start = self._get_expiry_start(product, production_date, known_dates)
        dates = {}
        for date_field, days_field in EXPIRY_FIELDS:
            if known_dates.get(date_field):
                dates[date_field] = fields.Datetime.to_string(datetime.combine(
                    fields.Date.from_string(known_dates[date_field]), time(12, 0)))
            else:
                dates[date_field] = fields.Datetime.to_string(
                    start + timedelta(days=product[days_field])) \
                    if product and product[days_field] else False
        return dates

    @api.model
    def _get_expiry_start(self, product, production_date, known_dates):
        """The day the product's days count from: the production date; else the day a known
        date implies (an expiry of 2027-01-15 with 60 days of life: 2026-11-16, so 45 days of
        use end on 2026-12-31, never after the expiry); else now, as product_expiry does."""
        if production_date:
            return datetime.combine(fields.Date.from_string(production_date), time(12, 0))
        for date_field, days_field in EXPIRY_FIELDS:
            if known_dates.get(date_field) and product[days_field]:
                return datetime.combine(fields.Date.from_string(known_dates[date_field]),
                                        time(12, 0)) - timedelta(days=product[days_field])
        return datetime.now()
