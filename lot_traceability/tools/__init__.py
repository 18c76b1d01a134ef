# Pure Python helpers: no odoo import here, so they are tested and fuzzed without a database.
