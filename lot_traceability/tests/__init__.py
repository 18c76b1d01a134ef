# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon's Odoo tests, for Odoo's own runner (`odoo-bin --test-enable`) as well as pytest-odoo.

Every module with an Odoo test case is imported here (test_install checks that none is missing);
the pure `test_tools_*` modules need no database and run under pytest only.
"""
from . import (
    test_assembly,
    test_conservation,
    test_input_checks,
    test_install,
    test_lot_attributes,
    test_lot_label_payload,
    test_lot_label_report,
    test_lot_split,
    test_lot_split_concurrency,
    test_lot_trace,
    test_lot_views,
    test_low_stock,
    test_receive_lots,
    test_receive_lots_client,
    test_rights,
    test_scan_matcher,
    test_serial_bulk_entry,
    test_serial_bulk_path,
    test_shop_floor,
    test_state_machine,
    test_stock_asset,
    test_stock_conservation_stateful,
    test_stock_lot_bulk_writer,
    test_stock_lot_fsma,
    test_stock_lot_ledger,
    test_stock_lot_page,
    test_stock_lot_recall,
    test_stock_lot_recall_call_list,
    test_stock_lot_recall_sets,
    test_stock_lot_scanner,
    test_stock_lot_trace_xlsx,
    test_stock_lot_tz,
    test_transform,
    test_transform_bulk,
    test_with_mrp,
)
