# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The checks every model of the addon shares, each written once.

* :meth:`_check_traceability_access`: the group an action's menu requires and the record's
  company. Menus and buttons carry ``groups`` for the screen only; every action reachable over
  JSON-RPC (wizards' ``action_apply``, documents' actions, labels, exports) calls it first.
* :meth:`_check_internal_location`: a location a user picks for stock to come from or go to
  (a build's, a split's, Bulk Serial Entry's, a recall's quarantine) is an internal location
  of the record's company: a domain in the view is no rule.
* :meth:`_get_window_action`: a window action of the addon's buttons, made from an existing
  one: its title set as the web client shows it (Odoo 11 shows ``display_name`` before
  ``name``, and ``read()`` gives both).
* :meth:`_clean_boolean_search`, :meth:`_clean_number_search`,
  :meth:`_clean_many2one_search`: the operator and value a search method of a computed
  field is given (a search domain is input, JSON-RPC's too).
"""
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import inputs

USER_GROUP = "lot_traceability.lot_traceability_group_user"
MANAGER_GROUP = "lot_traceability.lot_traceability_group_manager"
#: What a search on a computed many2one may ask: its record (an id, or unset), some of
#: them (ids), those under one (child_of), or by name.
MANY2ONE_OPERATORS = ("=", "!=", "in", "not in", "child_of", "like", "ilike", "not like",
                      "not ilike", "=like", "=ilike")


class Base(models.AbstractModel):
    _inherit = "base"

    @api.multi
    def _check_traceability_access(self, manager=False, records=None):
        """Refuse (AccessError) a user without Traceability / User (or Manager), and these
        records or ``records`` when they belong to a company other than the user's."""
        if self.env.uid == SUPERUSER_ID:
            return
        user = self.env.user
        if not user.has_group(MANAGER_GROUP if manager else USER_GROUP):
            raise AccessError(_("%(user)s is not a Traceability %(group)s: %(what)s is "
                                "refused.") % {
                "user": user.name, "group": _("Manager") if manager else _("User"),
                "what": self._description or self._name})
        allowed = self.env["res.company"].sudo().search(
            [("id", "child_of", user.company_id.ids)])
        for checked in (self, records):
            if checked is not None:
                checked._check_traceability_company(allowed, user)

    @api.multi
    def _check_traceability_company(self, allowed, user):
        """AccessError unless every record is of a company in ``allowed`` (those of
        ``user``, named in the message: the records may come with another user's rights)."""
        if "company_id" not in self._fields \
                or self._fields["company_id"].comodel_name != "res.company":
            return
        for record in self.sudo():
            if record.company_id and record.company_id not in allowed:
                raise AccessError(_("%(record)s belongs to %(company)s, not to the company of "
                                    "%(user)s.") % {
                    "record": record.display_name, "company": record.company_id.name,
                    "user": user.name})

    @api.model
    def _get_window_action(self, xmlid, **values):
        """The action ``xmlid`` as the web client is handed it, with ``values`` written over
        it; a ``name`` is the title (breadcrumb) too: the read action's ``display_name``,
        which Odoo 11's action manager prefers, is set to it."""
        action = self.env.ref(xmlid).read()[0]
        action.update(values)
        if "name" in values:
            action["display_name"] = values["name"]
        return action

    @api.multi
    def _check_internal_location(self, field_name):
        """Raise a ValidationError naming the field and the location unless the location in
        ``field_name`` is internal (and, when the record has a company, of that company)."""
        field = self._fields[field_name]
        for record in self:
            location = record[field_name].sudo()
            if not location:
                continue
            if location.usage != "internal":
                usage = dict(location._fields["usage"]._description_selection(self.env))
                raise ValidationError(_("%(field)s must be an internal location: %(location)s "
                                        "is of type %(usage)s.") % {
                    "field": field.string, "location": location.display_name,
                    "usage": usage.get(location.usage, location.usage)})
            company = record.company_id if "company_id" in record._fields else None
            if company and location.company_id and location.company_id != company:
                raise ValidationError(_("%(field)s: %(location)s belongs to %(other)s, not to "
                                        "%(company)s.") % {
                    "field": field.string, "location": location.display_name,
                    "other": location.company_id.name, "company": company.name})

    @api.model
    def _clean_boolean_search(self, name, operator, value):
        """Whether a search on the computed boolean ``name`` asks for True: ``=`` or
        ``!=`` a boolean, ``in`` or ``not in`` a list of them; else a UserError naming
        the field (the search methods of computed booleans read their domain here)."""
        label = self._fields[name].string
        if operator in ("in", "not in") and isinstance(value, (list, tuple)) \
                and all(isinstance(one, bool) for one in value) and len(set(value)) == 1:
            return (operator == "in") == value[0]
        if operator in ("=", "!=") and isinstance(value, bool):
            return (operator == "=") == value
        raise UserError(_("%(field)s is searched with = or != and True or False, not "
                          "%(operator)s %(value)s.") % {
            "field": label, "operator": inputs.show(operator), "value": inputs.show(value)})

    @api.model
    def _clean_many2one_search(self, name, operator, value, operators=MANY2ONE_OPERATORS):
        """``(operator, value)`` of a search on the computed many2one ``name``, as Odoo
        reads a many2one's: ``=`` or ``!=`` an id, False (unset) or a name; ``in`` or
        ``not in`` ids; ``child_of`` an id, ids or a name (the search view's ``child_of
        self`` gives the text typed); a ``like`` operator and a text; the operator one of
        ``operators``. Else a UserError naming the field. Ids are ids the database can
        hold (a dict or 10**12 reached PostgreSQL: an internal error)."""
        label = self._fields[name].string
        try:
            if operator not in operators or not isinstance(operator, str):
                pass
            elif operator in ("=", "!=") and (value is False or value is None):
                return operator, False
            elif isinstance(value, str) and operator not in ("in", "not in"):
                return operator, value
            elif operator in ("=", "!="):
                return operator, inputs.clean_id(value, label)
            elif operator in ("in", "not in", "child_of"):
                return operator, inputs.clean_ids(value, label)
        except inputs.InputError as error:
            raise UserError(str(error))
        raise UserError(_("%(field)s is searched with %(operators)s and a record, not "
                          "%(operator)s %(value)s.") % {
            "field": label, "operators": ", ".join(operators),
            "operator": inputs.show(operator), "value": inputs.show(value)})

    @api.model
    def _clean_number_search(self, name, operator, value, operators):
        """``value`` as a float for a search on the computed number ``name`` with one of
        ``operators``; else a UserError naming the field."""
        if operator in operators and not isinstance(value, bool) \
                and isinstance(value, (int, float)):
            return float(value)
        raise UserError(_("%(field)s is searched with %(operators)s and a number, not "
                          "%(operator)s %(value)s.") % {
            "field": self._fields[name].string, "operators": ", ".join(sorted(operators)),
            "operator": inputs.show(operator), "value": inputs.show(value)})
