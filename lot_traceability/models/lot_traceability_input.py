# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The input rules on the server: one check of every value written, one of every argument.

``lot.traceability.input`` is a mixin every model and wizard of the addon (and
``stock.production.lot``) inherits: its ``create`` and ``write`` check each value against
its field before anything is written (the rules of ``tools/inputs.py``): codes (fields
declared with ``lot_code=True``, or ``lot_code="affix"`` for a prefix/suffix), texts,
numbers, dates, selections and ids, the lines of one2many commands included, each error
naming the field, the row and the value.

:func:`check_arguments` is the decorator of the public methods: it checks the ids of the
records called and each named argument with a spec (:class:`Ids`, :class:`Choice`...),
turning what a caller got wrong into a UserError naming the argument.
"""
import functools
import inspect

from odoo import _, api, models
from odoo.exceptions import UserError, ValidationError

from ..tools import inputs
from .stock_lot_sql_mixin import IdArray

INPUT_ERRORS = (inputs.InputError, UserError)

#: How many values a refusal names; the others are counted.
SHOWN = 10


def named_first(values, total=None, shown=SHOWN):
    """``values`` as a refusal names them: the first ``shown`` joined, then how many more
    of ``total`` (default: all the values) there are ("A, B and 3 more")."""
    values = list(values)
    text = ", ".join(str(value) for value in values[:shown])
    more = (len(values) if total is None else total) - min(len(values), shown)
    if more > 0:
        text += _(" and %(count)d more") % {"count": more}
    return text


def _missing_ids(model, ids):
    """The ids of ``ids`` that no record of ``model`` has, in one query. Not Odoo's
    ``exists()``: it also marks every field of every missing record as failed in the cache,
    so that 100,000 unknown ids took a server thread 68 s and 1.8 GB to refuse."""
    if not ids:
        return []
    if model._abstract:  # no table, no record
        return list(ids)
    model.env.cr.execute('SELECT id FROM "%s" WHERE id = ANY(%%s)' % model._table,
                         [IdArray(ids)])
    found = {row[0] for row in model.env.cr.fetchall()}
    return [record_id for record_id in ids if record_id not in found]


# --- the check of field values ---------------------------------------------------------------
def _clean_relation_ids(env, field, ids, label):
    ids = inputs.clean_ids(ids, label)
    missing = _missing_ids(env[field.comodel_name], ids)
    if missing:
        raise ValidationError(_("%(field)s: there is no %(model)s with id %(ids)s.") % {
            "field": label, "model": env[field.comodel_name]._description,
            "ids": named_first(sorted(missing))})
    return ids


def _clean_x2many(env, field, commands, label):
    """Ids of x2many commands exist; lines given with (0, 0, vals) are checked as rows."""
    if not isinstance(commands, (list, tuple)):
        raise inputs.InputError("invalid_type", field=label, value=inputs.show(commands),
                                expected="a list of commands")
    comodel = env[field.comodel_name]
    for row, command in enumerate(commands, 1):
        if not isinstance(command, (list, tuple)) or not command or command[0] not in range(7):
            raise inputs.InputError("invalid_type", field=label, value=inputs.show(command),
                                    expected="an x2many command")
        if command[0] in (0, 1):
            comodel.check_access_rights("create" if command[0] == 0 else "write")
        if command[0] in (0, 1) and len(command) > 2 and isinstance(command[2], dict) \
                and hasattr(comodel, "_clean_input_vals"):
            comodel._clean_input_vals(command[2], _("%(field)s, line %(row)s") % {
                "field": label, "row": row})
        if command[0] in (1, 2, 3, 4):
            _clean_relation_ids(env, field, [command[1]] if len(command) > 1 else [], label)
        elif command[0] == 6:
            _clean_relation_ids(env, field, command[2] if len(command) > 2 else [], label)
    return commands


def _clean_field_value(env, field, value, label):
    """The clean value of ``field`` (a stored or writable field) or raise InputError."""
    code = getattr(field, "lot_code", False)
    if code and value is not False and value is not None and (value or code != "affix"):
        return inputs.clean_code(value, label, affix=code == "affix")
    if code or value is False or value is None or isinstance(value, models.BaseModel):
        return value
    if field.type in ("char", "text", "html"):
        return inputs.clean_text(value, label, multiline=field.type != "char",
                                 max_length=getattr(field, "size", None))
    if field.type in ("float", "monetary"):
        return inputs.clean_number(value, label)
    if field.type == "integer":
        return inputs.clean_integer(value, label)
    if field.type in ("date", "datetime"):
        return inputs.clean_date(value, label, with_time=field.type == "datetime")
    if field.type == "selection":
        return inputs.clean_choice(value, [key for key, _name in field.get_description(
            env)["selection"]], label)
    if field.type == "many2one":
        return _clean_relation_ids(env, field, value, label)[0]
    if field.type in ("one2many", "many2many"):
        return _clean_x2many(env, field, value, label)
    return value


class LotTraceabilityInput(models.AbstractModel):
    _name = "lot.traceability.input"
    _description = "Checks of the values written to the addon's records"

    @api.model
    def _clean_input_vals(self, vals, row=None):
        """``vals`` with clean values (NFC codes, normalised dates), or a ValidationError
        naming the row, the field and the value. Nothing is written here."""
        if not isinstance(vals, dict):
            raise ValidationError(_("%(model)s: the values must be a dictionary, got "
                                    "%(value)s.") % {"model": self._description,
                                                     "value": inputs.show(vals)})
        clean = dict(vals)
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None:
                continue
            label = "%s (%s)" % (field.string, name)
            try:
                clean[name] = _clean_field_value(self.env, field, value, label)
            except inputs.InputError as error:
                prefix = "%s, %s: " % (self._description, row) if row else \
                    "%s: " % self._description
                raise ValidationError(prefix + str(error))
        return clean

    @api.multi
    def name_get(self):
        """A wizard is named by what it is ("Split Into Units"), not "stock.lot.split,3": the
        name the web client's breadcrumb shows."""
        if self._transient and self._rec_name not in self._fields:
            return [(record.id, self._description) for record in self]
        return super(LotTraceabilityInput, self).name_get()

    #: For a model that is not transient this is Odoo's own name_get: the bulk writer may read
    #: the names by SQL (stock.lot.bulk.writer._record_names).
    name_get.base_unless_transient = True

    @api.model
    def _get_result_target(self):
        """Where a wizard opens what it made: over the screen it was opened from (a lot's
        page: the breadcrumb leads back to it), or, opened from a menu, as a new screen, so
        that no breadcrumb leads back to a wizard already applied."""
        return "current" if self.env.context.get("active_id") else "main"

    @api.multi
    def _get_input_row(self):
        """How a message names the records written."""
        names = ", ".join(name for _id, name in self[:3].sudo().name_get())
        return _("record %(names)s") % {"names": names}

    @api.model
    def create(self, vals):
        # Rights first: a caller who may not create learns nothing of the values' rules.
        self.check_access_rights("create")
        return super(LotTraceabilityInput, self).create(self._clean_input_vals(vals))

    @api.multi
    def write(self, vals):
        self.check_access_rights("write")
        _check_self_ids(self)
        return super(LotTraceabilityInput, self).write(
            self._clean_input_vals(vals, self._get_input_row()))


# --- the check of method arguments -----------------------------------------------------------
def _check_self_ids(records):
    """The records a method runs on are ids that exist (AccessError stays Odoo's)."""
    given = [i for i in records._ids if not isinstance(i, models.NewId)]
    if not given:
        return
    try:
        ids = inputs.clean_ids(given, "ids")
    except inputs.InputError as error:
        raise UserError(str(error))
    missing = _missing_ids(records, ids)
    if missing:
        raise UserError(_("%(model)s: there is no record with id %(ids)s.") % {
            "model": records._description, "ids": named_first(sorted(missing))})


def _raise_one_record(records, method, error):
    """A method that works on one record, called on none or several: Odoo's
    ``ensure_one`` on the very records called raises a ValueError, an internal error over
    JSON-RPC; this is the UserError naming the method and the records."""
    if len(records) != 1 and str(error) == "Expected singleton: %s" % records:
        raise UserError(_("%(method)s works on one %(model)s at a time, not on %(count)d "
                          "(ids: %(ids)s).") % {
            "method": method.__name__, "model": records._description, "count": len(records),
            "ids": named_first(records.ids) or "-"})


def check_arguments(access="user", **specs):
    """Decorator of a public method: each named argument goes through its spec
    (``spec(env, name, value)`` returns the clean value or raises), the records through
    :func:`_check_self_ids`; a wrong call becomes a UserError naming the argument.

    Rights come before arguments, so that a caller without them learns nothing from the
    answer: ``access`` "user" (the default) or "manager" requires that Traceability group
    (``_check_traceability_access``); None leaves it to the method (methods Odoo's own
    screens call for every stock user, such as a lot's ``default_get``)."""
    def decorate(method):
        signature = inspect.signature(method)

        @functools.wraps(method)
        def checked(self, *args, **kwargs):
            if access:  # the group first (no record read yet)
                self.browse()._check_traceability_access(manager=access == "manager")
            # Then the read right on the model called and the models of the ids it is given.
            for model in [self._name] * (not self._abstract) + [
                    spec.model for spec in specs.values() if isinstance(spec, Ids)]:
                if model in self.env:
                    self.env[model].check_access_rights("read")
            _check_self_ids(self)
            if access:  # the records exist: their company
                self._check_traceability_access(manager=access == "manager")
            try:
                bound = signature.bind(self, *args, **kwargs)
            except TypeError as error:
                raise UserError(_("%(method)s: %(error)s.") % {
                    "method": method.__name__, "error": error})
            for name, spec in specs.items():
                if name in bound.arguments:
                    try:
                        bound.arguments[name] = spec(self.env, name, bound.arguments[name])
                    except inputs.InputError as error:
                        raise UserError(_("%(method)s: %(error)s") % {
                            "method": method.__name__, "error": error})
            try:
                return method(*bound.args, **bound.kwargs)
            except ValueError as error:
                _raise_one_record(self, method, error)
                raise
        # Odoo finds the positional ``context`` argument of an RPC call from the method's
        # signature (api.split_context): show it the method's own.
        checked.__signature__ = signature
        return checked
    return decorate


class Ids(object):
    """Ids (or one id) of existing records of ``model``: a list of ints (None stays None
    when the argument is optional)."""

    def __init__(self, model, optional=True):
        self.model, self.optional = model, optional

    def __call__(self, env, name, value):
        if isinstance(value, models.BaseModel):
            value = value.ids
        if self.optional and (value is None or value is False):
            return None
        ids = inputs.clean_ids(value, name)
        if self.model not in env:
            raise UserError(_("%(name)s: the model %(model)s is not installed.") % {
                "name": name, "model": self.model})
        # Rights first: a caller who may not read these records learns nothing of their ids.
        env[self.model].check_access_rights("read")
        missing = _missing_ids(env[self.model], ids)
        if missing:
            raise UserError(_("%(name)s: there is no %(model)s with id %(ids)s.") % {
                "name": name, "model": env[self.model]._description,
                "ids": named_first(sorted(missing))})
        return ids


class Id(Ids):
    """One id of an existing record of ``model`` (an int, False when optional)."""

    def __call__(self, env, name, value):
        if isinstance(value, models.BaseModel) and len(value) <= 1:
            value = value.id
        if self.optional and (value is None or value is False):
            return False
        return super(Id, self).__call__(env, name, inputs.clean_id(value, name))[0]


class Records(Ids):
    """Records of ``model``, given as a recordset or as ids: a recordset."""

    def __call__(self, env, name, value):
        return env[self.model].browse(super(Records, self).__call__(env, name, value) or [])


class Record(Id):
    """One record of ``model`` (a recordset of at most one), given as itself or its id."""

    def __call__(self, env, name, value):
        return env[self.model].browse(super(Record, self).__call__(env, name, value) or [])


def Choice(*choices):
    return lambda env, name, value: inputs.clean_choice(value, choices, name)


def Integer(minimum=inputs.INT4_MIN, maximum=inputs.INT4_MAX, optional=False):
    def check(env, name, value):
        if optional and (value is None or value is False):
            return None
        return inputs.clean_integer(value, name, minimum, maximum)
    return check


def Text(optional=False, code=False):
    """A text argument (a scan, a code): no NUL, no control character; ``code``: the
    rules of codes."""
    def check(env, name, value):
        if optional and (value is None or value is False):
            return value
        if code:
            return inputs.clean_code(value, name)
        return inputs.clean_text(value, name, multiline=False, max_length=inputs.MAX_SCAN_LENGTH)
    return check


def Date(optional=False):
    def check(env, name, value):
        if optional and (value is None or value is False):
            return value
        return inputs.clean_date(value, name)
    return check


def OfType(*types):
    """An argument only Python callers can give (e.g. an xlsxwriter workbook)."""
    def check(env, name, value):
        if not isinstance(value, types):
            raise inputs.InputError("invalid_type", field=name, value=inputs.show(value),
                                    expected=" or ".join(t.__name__ for t in types))
        return value
    return check


def AnyValue(env, name, value):
    return value
