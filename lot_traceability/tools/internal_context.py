# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Context values the addon passes between its own methods, which no caller can forge.

Odoo hands every caller's context to the methods it calls: JSON-RPC and XML-RPC calls,
buttons, onchanges, report URLs. A context key is therefore an input like any argument.
The addon's own state travels in the context too: the lines the bulk writer has already
completed, a job's progress reporter, reserving without the lots on hold, work run in the
request instead of a background job, the path a test forces. Such a value is wrapped in
:class:`Internal`, which a caller cannot build (JSON and XML-RPC make only plain values),
and read with :func:`get_internal`, which ignores anything else under the key. So a plain
``{"lot_bulk_done_line_ids": [...]}`` or ``{"lot_traceability_sync": true}`` sent over
RPC changes nothing.

    records.with_context(**internal_context(lot_traceability_sync=True))
    get_internal(self.env.context, "lot_traceability_sync")  # True, or None if forged
"""

#: The keys of the addon's internal context (what a test checks the addon reads only so).
INTERNAL_KEYS = frozenset({
    "lot_bulk_done_line_ids", "lot_traceability_sync", "lot_traceability_progress",
    "lot_traceability_reserving", "lot_transform_bulk", "lot_transform_bulk_strict",
    "serial_intake_path", "lot_receipt_path", "fsma_page_size", "epcis_page_size",
})


class Internal(object):
    """A context value set by the addon's own code."""
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return "Internal(%r)" % (self.value,)


def internal_context(**values):
    """Keyword arguments for ``with_context``: each value wrapped as the addon's own."""
    unknown = set(values) - INTERNAL_KEYS
    if unknown:
        raise KeyError("not internal context keys: %s" % ", ".join(sorted(unknown)))
    return {key: Internal(value) for key, value in values.items()}


def get_internal(context, key, default=None):
    """The value the addon's own code put under ``key``; ``default`` when the key is
    missing or holds anything else (a caller's plain value)."""
    value = context.get(key)
    return value.value if isinstance(value, Internal) else default
