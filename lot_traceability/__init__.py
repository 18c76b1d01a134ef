from . import controllers
from . import models
from . import report
from . import wizards


def uninstall_hook(cr, registry):
    """Drop what PostgreSQL keeps for the addon outside Odoo's models: the lot graph's
    edge table and its triggers."""
    models.stock_lot_trace_edge.drop_edges(cr)
