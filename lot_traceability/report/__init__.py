from . import lot_label_report
from . import stock_lot_trace_xlsx
