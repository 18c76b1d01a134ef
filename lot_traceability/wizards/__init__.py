from . import stock_serial_bulk_entry
