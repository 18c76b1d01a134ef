# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Documents whose state is evidence: it changes only through their action methods.

What a user (every user but the superuser, JSON-RPC included) may write follows the field
declarations: a field ``readonly`` in the document's state (``readonly=True`` unless its
``states`` say otherwise) is refused, and so is every field in a locked state (a done build,
a closed recall) but the chatter and ``_state_open_fields``. Documents outside
``_deletable_states`` are never deleted. Lines inherit the rule of their document (the
document's one2many of them decides). The action methods write what they compute through
:meth:`_set_state` / :meth:`_write_system`, which no caller can forge: the permission is held
per record for the duration of the call, outside the context and the values.
"""
from odoo import SUPERUSER_ID, _, api, models
from odoo.exceptions import AccessError

CHATTER_PREFIXES = ("message_", "activity_", "website_message_")


class LotTraceabilityStateMixin(models.AbstractModel):
    _name = "lot.traceability.state.mixin"
    _inherit = ["lot.traceability.system.write"]
    _description = "Document whose state changes only through its actions"

    #: States in which the document is evidence: nothing but the chatter and
    #: ``_state_open_fields`` changes, and it is never deleted.
    _locked_states = ()
    #: States in which a document may be deleted.
    _deletable_states = ("draft", "cancel")
    #: The state a new document starts in.
    _initial_state = "draft"
    #: Fields users may still write in a locked state (notes).
    _state_open_fields = ()
    #: On lines: the many2one to the document whose state rules them.
    _state_document_field = None
    #: Documents: the ir.sequence code a new document's ``name`` comes from.
    _sequence_code = None

    # --- the system's writes (lot.traceability.system.write) ---------------------------
    @api.multi
    def _set_state(self, state, vals=None):
        """The one way an action method changes the state."""
        return self._write_system(dict(vals or {}, state=state))

    # --- what a user may write -------------------------------------------------------------
    @api.model
    def _is_writable_in(self, name, state):
        """May a user write field ``name`` of a document in ``state``?"""
        if name.startswith(CHATTER_PREFIXES) or name in self._state_open_fields:
            return True
        if state in self._locked_states:
            return False
        field = self._fields.get(name)
        if field is None:
            return True  # not a field: Odoo answers for it
        readonly = field.readonly
        for attribute, value in (field.states or {}).get(state, ()):
            if attribute == "readonly":
                readonly = value
        return not readonly

    @api.multi
    def _get_state_document(self):
        """(document, its field holding these lines) ruling this record, or (self, None)."""
        if not self._state_document_field:
            return self, None
        document = self[self._state_document_field]
        lines_field = next((name for name, field in document._fields.items()
                            if field.type == "one2many" and field.comodel_name == self._name
                            and field.inverse_name == self._state_document_field), None)
        return document, lines_field

    @api.multi
    def _check_state_writable(self, names):
        """Refuse (AccessError naming the fields) what the user may not write here."""
        if not names or self._is_system_write():
            return
        for record in self:
            document, lines_field = record._get_state_document()
            if not document:
                continue
            if lines_field:
                refused = [] if document._is_writable_in(lines_field, document.state) \
                    else names
            else:
                refused = [name for name in names
                           if not document._is_writable_in(name, document.state)]
            if refused:
                raise AccessError(_(
                    "%(document)s is %(state)s: %(fields)s cannot be changed by a user (the "
                    "document's actions change it).") % {
                    "document": document.display_name, "state": document._get_state_label(),
                    "fields": record._describe_fields(refused)})

    @api.multi
    def _get_state_label(self):
        selection = dict(self._fields["state"]._description_selection(self.env))
        return selection.get(self.state, self.state)

    @api.model
    def _describe_fields(self, names):
        return ", ".join("%s (%s)" % (self._fields[name].string, name)
                         if name in self._fields else name for name in names)

    # --- ORM -----------------------------------------------------------------------------
    @api.model
    def create(self, vals):
        if self.env.uid != SUPERUSER_ID:
            self._check_state_create(vals)
        if self._sequence_code and vals.get("name", "/") == "/":
            vals = dict(vals, name=self.env["ir.sequence"].next_by_code(self._sequence_code)
                        or "/")
        return super(LotTraceabilityStateMixin, self).create(vals)

    @api.model
    def _check_state_create(self, vals):
        if self._state_document_field:
            document = self.env[self._fields[self._state_document_field].comodel_name].browse(
                vals.get(self._state_document_field))
            self.new({self._state_document_field: document.id})._check_state_writable(
                list(vals))
            return
        suspicious = [name for name, value in vals.items()
                      if value and not self._is_writable_in(name, self._initial_state)]
        defaults = self.default_get(suspicious) if suspicious else {}
        refused = [name for name in suspicious if vals[name] != defaults.get(name)]
        if refused:
            raise AccessError(_("A new %(model)s starts as %(state)s: %(fields)s are set by "
                                "its actions, not by a user.") % {
                "model": self._description, "state": self._initial_state,
                "fields": self._describe_fields(refused)})

    @api.multi
    def write(self, vals):
        self._check_state_writable(list(vals))
        if self._state_document_field and vals.get(self._state_document_field):
            self.browse()._check_state_create(vals)
        return super(LotTraceabilityStateMixin, self).write(vals)

    @api.multi
    def unlink(self):
        if not self._is_system_write():
            self._check_state_unlink()
        return super(LotTraceabilityStateMixin, self).unlink()

    @api.multi
    def _check_state_unlink(self):
        for record in self:
            document, lines_field = record._get_state_document()
            if lines_field and document._is_writable_in(lines_field, document.state):
                continue
            if not lines_field and document.state in self._deletable_states:
                continue
            raise AccessError(_("%(document)s is %(state)s: %(record)s is evidence and cannot "
                                "be deleted.") % {
                "document": document.display_name, "state": document._get_state_label(),
                "record": record.display_name})
