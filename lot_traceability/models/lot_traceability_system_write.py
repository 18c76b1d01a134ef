# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fields only the system writes: the one permission :meth:`_write_system` grants.

An action method that computes values (a document's state, a lot's quality state) writes
them through :meth:`_write_system`; the permission is held per record for the duration of
the call, outside the context and the values, so no caller can forge it. A model lists in
``_system_fields`` the fields no user may write otherwise (JSON-RPC included).
"""
import threading

from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

_SYSTEM_WRITES = threading.local()


class LotTraceabilitySystemWrite(models.AbstractModel):
    _name = "lot.traceability.system.write"
    _description = "Fields written only by the system's actions"

    #: Fields users never write: only the actions, through :meth:`_write_system`.
    _system_fields = ()

    @api.multi
    def _write_system(self, vals):
        """Write values an action computes (state, dates, results)."""
        held = getattr(_SYSTEM_WRITES, "keys", frozenset())
        _SYSTEM_WRITES.keys = held | {(self._name, record_id) for record_id in self.ids}
        try:
            return self.write(vals)
        finally:
            _SYSTEM_WRITES.keys = held

    @api.model
    def _create_system(self, vals):
        """Create a record with values an action computes (system fields included)."""
        held = getattr(_SYSTEM_WRITES, "keys", frozenset())
        _SYSTEM_WRITES.keys = held | {(self._name, "create")}
        try:
            return self.create(vals)
        finally:
            _SYSTEM_WRITES.keys = held

    @api.multi
    def _is_system_write(self):
        if self.env.uid == SUPERUSER_ID:
            return True
        held = getattr(_SYSTEM_WRITES, "keys", frozenset())
        ids = [record.id for record in self]
        return all(isinstance(record_id, int) and (self._name, record_id) in held
                   for record_id in ids)

    @api.model
    def _check_system_fields(self, names, records=None):
        """Refuse (AccessError naming the fields) a user's value for a system field."""
        refused = [name for name in names if name in self._system_fields]
        if not refused or (records is not None and records._is_system_write()):
            return
        if records is None and self.env.uid == SUPERUSER_ID:
            return
        raise AccessError(_("%(model)s: %(fields)s cannot be changed by a user (the "
                            "actions change it).") % {
            "model": self._description, "fields": ", ".join(
                "%s (%s)" % (self._fields[name].string, name) for name in refused)})

    @api.model
    def create(self, vals):
        given = [name for name in vals if name in self._system_fields]
        if (self._name, "create") in getattr(_SYSTEM_WRITES, "keys", frozenset()):
            given = []
        defaults = self.default_get(given) if given else {}
        self._check_system_fields([name for name in given
                                   if vals[name] and vals[name] != defaults.get(name)])
        return super(LotTraceabilitySystemWrite, self).create(vals)

    @api.multi
    def write(self, vals):
        self._check_system_fields(list(vals), self)
        return super(LotTraceabilitySystemWrite, self).write(vals)
