from . import lot_traceability_demo
from . import res_config_settings
from . import stock_lot_scan
from . import stock_picking
from . import stock_production_lot
