from . import lot_label_report
from . import stock_lot_trace_xlsx
from . import stock_lot_fsma_xlsx
from . import stock_lot_recall_report
