from . import lot_label_report
