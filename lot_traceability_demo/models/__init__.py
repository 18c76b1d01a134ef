# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import lot_traceability_demo, lot_traceability_demo_custody
