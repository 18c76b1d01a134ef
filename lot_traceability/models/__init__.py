    lot_traceability_demo,
    product_template,
    stock_assembly,
    stock_assembly_line,
    stock_composition,
    stock_composition_line,
    stock_lot_attribute,
    stock_lot_attribute_value,
    stock_lot_recall,
    stock_lot_recall_customer,
    stock_lot_recall_hold,
    stock_lot_recall_lot,
    stock_lot_receipt,
    stock_lot_scan,
    stock_lot_trace,
    stock_move,
    stock_picking,
    stock_production_lot,
    stock_traceability_report,
    stock_warehouse_orderpoint,
)
from . import (
from . import lot_traceability_demo
from . import stock_asset
from . import stock_lot_scan
from . import stock_move
from . import stock_move_line
from . import stock_picking
from . import stock_production_lot
from . import stock_serial_intake
