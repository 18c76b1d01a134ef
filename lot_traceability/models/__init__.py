from . import lot_traceability_demo
from . import stock_lot_scan
from . import stock_picking
from . import stock_production_lot
from . import stock_serial_intake
from . import stock_move_line
from . import stock_move
from . import stock_asset
