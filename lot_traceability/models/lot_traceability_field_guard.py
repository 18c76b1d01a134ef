# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fields kept to some groups stay out of searches, orders and groupings of other users.

Odoo 11 checks a field's ``groups`` when it is read (``read``, ``export_data``), not when
it is searched, sorted or grouped by: a user outside the groups could list every value of a
secret with ``read_group`` (a recall notice's acknowledge token, an employee's badge) or
guess it one character at a time with ``search``. A model that holds such a field inherits
this mixin: its ``_search`` (behind ``search``, ``search_count``, ``search_read``,
``name_search`` and searches through a relation) and ``read_group`` refuse a field the user
may not read, with an AccessError naming it.
"""
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError
from odoo.osv import expression


class LotTraceabilityFieldGuard(models.AbstractModel):
    _name = "lot.traceability.field.guard"
    _description = "Fields kept to some groups stay out of searches and groupings"

    @api.model
    def _check_field_groups(self, names):
        """AccessError when a field of ``names`` (field names, or paths whose first part is
        one) is kept to groups the user is not in."""
        if self.env.uid == SUPERUSER_ID:
            return
        hidden = sorted({
            name for name in (str(path).split(".")[0].strip() for path in names)
            if name in self._fields and self._fields[name].groups
            and not self.user_has_groups(self._fields[name].groups)})
        if hidden:
            raise AccessError(_("%(model)s cannot be searched, sorted or grouped by "
                                "%(fields)s: you may not read it.") % {
                "model": self._description,
                "fields": ", ".join(self._fields[name].string for name in hidden)})

    @api.model
    def _get_domain_field_names(self, domain):
        return [leaf[0] for leaf in domain or []
                if isinstance(leaf, (list, tuple)) and len(leaf) == 3
                and not expression.is_operator(leaf)]

    @api.model
    def _get_order_field_names(self, order):
        if not isinstance(order, str):
            return []
        return [part.split()[0] for part in order.split(",") if part.split()]

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        if access_rights_uid != SUPERUSER_ID:
            self._check_field_groups(self._get_domain_field_names(args)
                                     + self._get_order_field_names(order))
        return super(LotTraceabilityFieldGuard, self)._search(
            args, offset=offset, limit=limit, order=order, count=count,
            access_rights_uid=access_rights_uid)

    @api.model
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False,
                   lazy=True):
        groupby_list = [groupby] if isinstance(groupby, str) else list(groupby or [])
        # "name", "name:sum", "alias:sum(name)", "date:month": the field is the name, or the
        # one in parentheses
        names = [spec.split("(")[-1].rstrip(")") if "(" in spec else spec.split(":")[0]
                 for spec in list(fields or []) + groupby_list if isinstance(spec, str)]
        self._check_field_groups(names + self._get_domain_field_names(domain)
                                 + self._get_order_field_names(orderby))
        return super(LotTraceabilityFieldGuard, self).read_group(
            domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy)
