# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The custody table before the Assets view that joins it (models are initialised in order).
from . import stock_asset_custody  # isort:skip
from . import (
    hr_employee,
    maintenance_equipment,
    stock_asset,
    stock_production_lot,
    stock_warehouse,
)
