from . import lot_traceability_demo
from . import stock_lot_scan
from . import stock_lot_trace
from . import stock_picking
from . import stock_production_lot
