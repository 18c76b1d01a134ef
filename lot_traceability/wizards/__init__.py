from . import stock_lot_fsma_export
from . import stock_lot_receive
from . import stock_lot_receive_line
from . import stock_lot_receive_value
from . import stock_lot_scanner
from . import stock_lot_split
from . import stock_serial_bulk_entry
from . import stock_lot_quality_change
