# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one place that decides in which time zone a date is shown.

The rule, for every screen and export of the addon:

- an event (a receipt, a build, a split, a delivery...) is shown and exported in the time
  zone of the warehouse where it happened: the warehouse's address (partner) time zone, else
  the time zone of the company's address, else UTC. Odoo 11 companies have no time zone
  field: their address partner has one;
- a period given as days (FSMA 204 export) is read in the company's time zone (its main
  warehouse, by the same rule), and a wizard's default "today" is today in that zone;
- screens (the lot page) show dates in the user's time zone (the context's, else the user's,
  else the company's).

The engine and the ledger store and return UTC; presentation converts through this service.
"""
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.fields import DATETIME_LENGTH

from .lot_traceability_input import Integer, Record, check_arguments
from .stock_lot_sql_mixin import EVENT_LOCATION, IdArray

UTC = "UTC"


class StockLotTz(models.AbstractModel):
    _name = "stock.lot.tz"
    _description = "Time zones of traceability events and screens"

    # --- which zone ----------------------------------------------------------------------
    @api.model
    def _valid_tz(self, *names):
        """The first of ``names`` that is a time zone pytz knows, else UTC."""
        for name in names:
            if name and name in pytz.all_timezones_set:
                return name
        return UTC

    @api.model
    def _get_event_tz(self, where):
        """The time zone of an event at ``where`` (a stock.location or stock.warehouse,
        possibly empty): its warehouse's address, else its company's address, else UTC."""
        where = where.sudo()
        if where._name == "stock.location":
            warehouse = where.get_warehouse() if where else where.env["stock.warehouse"]
            company = warehouse.company_id or where.company_id
        else:
            warehouse, company = where, where.company_id
        company = company or self.env.user.company_id
        return self._valid_tz(warehouse.partner_id.tz, company.sudo().partner_id.tz)

    @api.model
    def _get_company_tz(self, company=None):
        """The time zone a company reads days in: the zone of its main warehouse (its first
        one) by :meth:`_get_event_tz`, else its address's, else UTC."""
        company = (company or self.env.user.company_id).sudo()
        warehouse = self.env["stock.warehouse"].sudo().search(
            [("company_id", "=", company.id)], limit=1)
        return self._get_event_tz(warehouse) if warehouse else self._valid_tz(
            company.partner_id.tz)

    @api.model
    def _get_user_tz(self):
        """The time zone of screens: the context's, else the user's, else the company's."""
        name = self.env.context.get("tz") or self.env.user.tz
        return self._valid_tz(name) if name else self._get_company_tz()

    @api.model
    def _get_lines_tz(self, lines, known=None):
        """Per done move line id, the time zone of its event: the warehouse at its internal
        end (where the stock arrived, else where it left from). One statement reads the two
        locations of the lines (an export passes 2,000 lines a page, 200,000 for a wide
        recall; through the ORM that cost 0.1 s a page), then each location's zone once
        (``known``: see :meth:`_get_locations_tz`)."""
        if not lines:
            return {}
        self.env.cr.execute("""
            SELECT line.id, {place}
              FROM stock_move_line line
              JOIN stock_location dst ON dst.id = line.location_dest_id
             WHERE line.id = ANY(%s)""".format(place=EVENT_LOCATION), [IdArray(lines.ids)])
        ends = dict(self.env.cr.fetchall())
        zones = self._get_locations_tz(self.env["stock.location"].browse(set(ends.values())),
                                       known)
        return {line_id: zones[location_id] for line_id, location_id in ends.items()}

    @api.model
    def _get_locations_tz(self, locations, known=None):
        """Per location id, the time zone of an event there (:meth:`_get_event_tz`, a
        warehouse lookup each). ``known``: a dict of the zones found so far, filled as
        locations are looked up, for a caller that asks page after page (an export)."""
        known = {} if known is None else known
        for location in locations:
            if location.id not in known:
                known[location.id] = self._get_event_tz(location)
        return {location.id: known[location.id] for location in locations}

    # --- conversions ---------------------------------------------------------------------
    @api.model
    def _to_local(self, utc_value, tz):
        """A UTC datetime (Odoo string or naive datetime) as a naive datetime in ``tz``;
        None when empty."""
        if not utc_value:
            return None
        value = _parse_datetime(utc_value) if isinstance(utc_value, str) else utc_value
        return pytz.utc.localize(value).astimezone(
            pytz.timezone(self._valid_tz(tz))).replace(tzinfo=None)

    @api.model
    def _to_local_string(self, utc_value, tz):
        """:meth:`_to_local` as an Odoo datetime string (False when empty)."""
        local = self._to_local(utc_value, tz)
        return fields.Datetime.to_string(local) if local else False

    @api.model
    def _to_event_local(self, utc_value, where):
        """A UTC datetime as a naive datetime in the time zone of the event at ``where``."""
        return self._to_local(utc_value, self._get_event_tz(where))

    @api.model
    def _to_user_local(self, utc_value):
        """A UTC datetime as an Odoo datetime string in the user's time zone."""
        return self._to_local_string(utc_value, self._get_user_tz())

    # --- days ----------------------------------------------------------------------------
    @api.model
    def _today(self, tz):
        """Today's date (an Odoo date string) in ``tz``."""
        return self._date_of(fields.Datetime.now(), tz)

    @api.model
    def _date_of(self, utc_value, tz):
        """The calendar date (an Odoo date string) of a UTC datetime in ``tz``."""
        return fields.Date.to_string(self._to_local(utc_value, tz).date())

    @api.model
    def _as_date(self, day):
        """A date from a date or an Odoo date string."""
        return fields.Date.from_string(day) if isinstance(day, str) else day

    @api.model
    def _day_start_utc(self, day, tz):
        """00:00 of ``day`` (a date or Odoo date string) in ``tz``, as a UTC Odoo string."""
        day = self._as_date(day)
        local = pytz.timezone(self._valid_tz(tz)).localize(datetime.combine(day, time.min))
        return fields.Datetime.to_string(local.astimezone(pytz.utc).replace(tzinfo=None))

    @api.model
    @check_arguments(warehouse=Record("stock.warehouse", optional=False),
                     days=Integer(-36600, 36600), hour=Integer(0, 23))
    def warehouse_time(self, warehouse, days=0, hour=0):
        """``hour``:00 at ``warehouse`` (in its time zone, by the rule above) on today plus
        ``days``, as a UTC Odoo datetime string: when a script dates an event in the
        warehouse's working hours, whatever the hour it runs."""
        tz = self._get_event_tz(warehouse)
        day = fields.Date.from_string(self._today(tz)) + timedelta(days=days)
        local = pytz.timezone(tz).localize(datetime.combine(day, time(hour)))
        return fields.Datetime.to_string(local.astimezone(pytz.utc).replace(tzinfo=None))

    @api.model
    def _period_utc(self, date_from, date_to, tz):
        """UTC bounds ``(start, stop)`` of the days ``date_from``..``date_to`` (both
        included) in ``tz``: start at 00:00 of the first, stop at 00:00 after the last."""
        stop = self._as_date(date_to) + timedelta(days=1)
        return self._day_start_utc(date_from, tz), self._day_start_utc(stop, tz)


def _parse_datetime(value):
    """An Odoo UTC datetime string as a naive datetime: ``fields.Datetime.from_string``,
    with its usual shape ``YYYY-MM-DD HH:MM:SS`` read by ``datetime.fromisoformat`` (C,
    about 20 times faster than ``strptime``; exports convert one date a row)."""
    text = value[:DATETIME_LENGTH]
    if len(text) == DATETIME_LENGTH and text[10] == " " and text[13] == text[16] == ":":
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            pass  # Odoo's parser raises its own error
    return fields.Datetime.from_string(value)
