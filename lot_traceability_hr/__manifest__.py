# Copyright 2026 lot_traceability contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Lot Traceability - Employees",
    "summary": "Serialized assets checked out to employees and checked in, with custody history",
    "version": "11.0.1.0.0",
    "category": "Warehouse",
    "author": "lot_traceability contributors",
    "maintainers": ["lot_traceability contributors"],
    "development_status": "Beta",
    "license": "AGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": [
        "lot_traceability",
        "hr",
        "maintenance",
        # Odoo's own bridge (auto-installed with hr and maintenance): equipment assigned to
        # employees.
        "hr_maintenance",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/stock_asset_custody_security.xml",
        "data/ir_cron_data.xml",
        "views/stock_asset_custody_views.xml",
        "wizards/stock_asset_checkout_views.xml",
        "views/stock_production_lot_views.xml",
        "views/stock_asset_views.xml",
        "views/hr_employee_views.xml",
    ],
}
