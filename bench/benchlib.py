"""What every benchmark shares: the command line `make bench` passes (--config, --db, --scale),
a rolled-back Odoo environment on the benchmark database, and the growth of the process's
peak memory during one step."""
import argparse
import ctypes
import ctypes.util
import gc
import os
import re
import resource
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


def internal_context(**values):
    """The addon's internal context keys (``tools/internal_context.py``), imported once Odoo's
    configuration has put the addons on ``odoo.addons``' path (a module-level import of
    ``odoo.addons.lot_traceability`` fails before it)."""
    from odoo.addons.lot_traceability.tools.internal_context import internal_context as make
    return make(**values)


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


def _status_mb(key):
    with open("/proc/self/status") as status:
        return int(re.search(r"^%s:\s+(\d+) kB" % key, status.read(), re.M).group(1)) / 1024.0


def start_peak():
    """Free what can be freed, reset the peak; the resident size to compare the peak with."""
    gc.collect()
    try:
        ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim(0)
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return _status_mb("VmRSS"), "VmHWM"
    except (OSError, AttributeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, "ru_maxrss"


def peak_growth_mb(before, how):
    if how == "VmHWM":
        return _status_mb("VmHWM") - before
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0 - before
