"""What every benchmark shares: the command line `make bench` passes (--config, --db, --scale)
and a rolled-back Odoo environment on the benchmark database."""
import argparse
import os
from contextlib import contextmanager

import odoo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args(doc, size_name, default, size_help="how much to generate"):
    """--config, --db and the size, given as --scale (what `make bench SCALE=` passes) or
    under the benchmark's own name (e.g. --rows)."""
    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    parser.add_argument("--db", default="lot_bench")
    parser.add_argument("--config", default=os.path.join(ROOT, ".run", "odoo.conf"))
    parser.add_argument("--scale", "--" + size_name, dest=size_name, type=int, default=default,
                        help=size_help)
    return parser.parse_args()


@contextmanager
def bench_env(args, context=None):
    """An environment on the benchmark database, rolled back when the benchmark is done."""
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = odoo.registry(args.db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        try:
            yield odoo.api.Environment(cr, odoo.SUPERUSER_ID,
                                       context or {"tracking_disable": True})
        finally:
            cr.rollback()
