# Copyright 2026 lot_traceability contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Lot Traceability",
    "summary": "End-to-end lot and serial traceability: receive lots, bulk serials, "
               "assemblies, splits, genealogy, recall, labels and exports",
    "version": "11.0.1.0.0",
    "category": "Warehouse",
    "website": "https://example.com/lot_traceability",
    "author": "lot_traceability contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "stock",
        "barcodes",
        "product_expiry",
        "report_xlsx",
    ],
    "external_dependencies": {"python": ["qrcode", "xlsxwriter"]},
    "data": [
        "security/lot_traceability_security.xml",
        "security/ir.model.access.csv",
        "views/lot_traceability_menus.xml",
        "report/stock_lot_trace_xlsx.xml",
        "views/stock_production_lot_views.xml",
        "data/stock_lot_recall_data.xml",
        "security/stock_lot_recall_security.xml",
        "report/stock_lot_recall_report.xml",
        "views/stock_lot_recall_views.xml",
    ],
    "demo": [
        "demo/lot_traceability_demo.xml",
        "demo/genealogy_demo.xml",
    ],
}
