# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The bridge's Odoo tests, imported here for Odoo's own runner as well as pytest-odoo."""
from . import test_asset_custody
