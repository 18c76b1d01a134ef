from . import stock_picking
from . import lot_traceability_demo
