from . import stock_lot_scanner
