from . import stock_lot_trace_xlsx
