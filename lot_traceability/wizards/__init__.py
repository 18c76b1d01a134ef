from . import stock_lot_split
