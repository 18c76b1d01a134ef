#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Load: the addon served by Odoo multi-process (4 workers) against 1 worker, 20 clients.

    .venv/bin/python bench/bench_load.py [--db lot_load] [--lines 1000000] [--workers 1,4]
                                         [--clients 20] [--seconds 60] [--port 8125] [--proxy]
                                         [--think 0]

The database (default lot_load) is made once: the addon without demo data (``--template DB``
copies an existing one instead), then the trace benchmark's generator (bench_trace.Chain) writes
LINES done move lines in SQL. For each worker count the server is started (scripts/serve.sh with
WORKERS=N; queue_job's runner runs beside it) and, from 127.0.0.1 only, CLIENTS sessions of the
admin run for SECONDS: each in turn opens a lot page (the form's ``trace_html``), runs an engine
trace over JSON-RPC (``stock.lot.trace.trace``) and, every fifth time, starts a small recall,
which opens as a background job (the bench sets its threshold to 1 lot), so jobs run while
the pages are served. Prints per worker count::

    BENCH load workers=4 clients=20 requests=... errors=... p50_ms=... p95_ms=... p99_ms=... rps=...
    BENCH load_type workers=4 type=lot_page n=... p50_ms=... p95_ms=... ...

``--think S`` makes each client pause S seconds on average (0.5 S to 1.5 S) after each
answer, as a person reads a page before the next click; without it (the default) the clients
send their next request at once and saturate the server, so that by Little's law a request's
mean time is clients / throughput whatever a request costs.

For each request type it also prints where its time goes in one request served in-process
(PostgreSQL, QWeb rendering, the rest in Python), the slowest type of the last run (by p95)
marked ``slowest=yes``; ``recall_job`` is a recall with its job's work done in the request.
Odoo's prefork server listens with a backlog of 8 per worker (16 for 2 workers): clients
beyond it see dropped connects and 1 s retries.
``--proxy`` measures the same clients, in the same server run, through HAProxy (backlog 1024,
requests queued in the proxy, at most 2 per worker at a time sent to Odoo), as a deployment
puts a proxy in front (docs/background-jobs.md). HAProxy is found on PATH or where
``scripts/get-haproxy.sh`` unpacks Debian's package (no system service).
"""
import argparse
import os
import random
import subprocess
import sys
import threading
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="lot_load")
    parser.add_argument("--template", help="copy this database instead of installing")
    parser.add_argument("--config", default=os.path.join(ROOT, ".run", "odoo.conf"))
    parser.add_argument("--lines", "--scale", type=int, default=1000000)
    parser.add_argument("--workers", default="1,4")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8125)
    parser.add_argument("--proxy", action="store_true")
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds a client pauses after an answer, on average (0: none, "
                             "the clients saturate the server)")
    return parser.parse_args()


# --- the database, once ---------------------------------------------------------------
def psql(db, sql):
    return subprocess.check_output(["psql", "-d", db, "-tAc", sql], cwd=ROOT,
                                   env=pg_env()).decode().strip()


def pg_env():
    env = dict(os.environ)
    env.update(PGHOST=os.path.join(ROOT, ".pg", "run"), PGUSER=env.get("PGUSER", "odoo"))
    return env


def ensure_database(args):
    exists = psql("postgres", "SELECT 1 FROM pg_database WHERE datname = '%s'" % args.db)
    if not exists and args.template:
        subprocess.check_call(["createdb", "-T", args.template, args.db], env=pg_env())
    elif not exists:
        subprocess.check_call(["bash", os.path.join(ROOT, "scripts", "db.sh"), "ensure",
                               args.db, "nodemo"])
    done = int(psql(args.db, "SELECT count(*) FROM stock_move_line WHERE state = 'done'"))
    if done < args.lines * 0.9:
        generate(args)
    psql(args.db, "UPDATE ir_config_parameter SET value = '1' "
                  "WHERE key = 'lot_traceability.job_threshold.recall_open'")


def load_odoo(args):
    """Odoo with the benchmark's configuration, parsed once (Odoo 11 refuses a second
    parse: the database may be generated and the breakdown read in one run)."""
    import odoo
    if not odoo.tools.config.get("bench_load_parsed"):
        odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
        odoo.tools.config["bench_load_parsed"] = True
    return odoo


def generate(args):
    from bench_trace import Chain
    odoo = load_odoo(args)
    start = time.time()
    with odoo.api.Environment.manage(), odoo.registry(args.db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        Chain(env, args.lines).generate()
        cr.commit()  # the benchmark's own database, made once
    print("generated about %d done move lines in %.0f s" % (args.lines, time.time() - start))


def sample_lots(args):
    """Finished lots (pages, traces) and ingredient lots (recalls) of the generated chain."""
    def ids(level):
        return [int(i) for i in psql(args.db, (
            "SELECT id FROM stock_production_lot WHERE name LIKE 'B%%-%d-%%' "
            "ORDER BY random() LIMIT 200") % level).split()]
    return ids(4) + ids(3), ids(0)


# --- the proxy in front (HAProxy, run by the benchmark, no system service) -----------------
#: The launcher scripts/get-haproxy.sh writes beside Debian's unpacked haproxy.
LOCAL_HAPROXY = os.path.join(ROOT, ".run", "haproxy", "haproxy")
HAPROXY_CONFIG = """
global
    maxconn 4096
defaults
    mode http
    timeout connect 10s
    timeout client 300s
    timeout server 300s
    timeout queue 300s
frontend odoo
    bind 127.0.0.1:{listen} backlog 1024
    use_backend longpolling if {{ path_beg /longpolling/ }}
    default_backend odoo
backend odoo
    server odoo 127.0.0.1:{odoo} maxconn {limit}
backend longpolling
    server longpolling 127.0.0.1:{longpolling}
"""


def find_haproxy():
    """``haproxy`` on PATH, else the launcher scripts/get-haproxy.sh writes in .run/ (the
    unpacked binary with its libraries), else None."""
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if os.access(os.path.join(folder, "haproxy"), os.X_OK):
            return os.path.join(folder, "haproxy")
    return LOCAL_HAPROXY if os.access(LOCAL_HAPROXY, os.X_OK) else None


def start_proxy(args, workers):
    """HAProxy on PORT + 1 in front of Odoo: it takes every client's connection (backlog
    1024) and queues the requests, sending Odoo at most two per worker at a time, far
    below Odoo's listen backlog of 8 per worker; /longpolling/ goes to the long-polling
    port. Returns the process."""
    binary = find_haproxy()
    if not binary:
        sys.exit("--proxy needs haproxy: apt-get install haproxy, or bash scripts/"
                 "get-haproxy.sh (unpacks Debian's package into .run/, no service)")
    config = os.path.join(ROOT, ".run", "bench-haproxy-%d.cfg" % args.port)
    with open(config, "w") as handle:
        handle.write(HAPROXY_CONFIG.format(listen=args.port + 1, odoo=args.port,
                                           limit=2 * workers,
                                           longpolling=args.port + 1000))
    # -db: in the foreground, ended with the benchmark's server run.
    return subprocess.Popen([binary, "-f", config, "-db"],
                            stdout=subprocess.DEVNULL)


# --- the clients ------------------------------------------------------------------------
class Client(object):
    def __init__(self, url, db, pages, ingredients, seed, think=0.0):
        self.url, self.db, self.think = url, db, think
        self.pages, self.ingredients = pages, ingredients
        self.rng = random.Random(seed)
        self.session = requests.Session()
        self.samples = []  # (type, seconds, ok)

    def call(self, path, **params):
        response = self.session.post(self.url + path, json={
            "jsonrpc": "2.0", "method": "call", "id": 1, "params": params}, timeout=120)
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            raise RuntimeError(body["error"]["data"]["message"])
        return body["result"]

    def execute(self, model, method, *args, **kwargs):
        return self.call("/web/dataset/call_kw/%s/%s" % (model, method), model=model,
                         method=method, args=list(args), kwargs=kwargs)

    def lot_page(self):
        self.execute("stock.production.lot", "read", [self.rng.choice(self.pages)],
                     ["name", "product_id", "trace_html"])

    def trace(self):
        self.execute("stock.lot.trace", "trace", [self.rng.choice(self.pages)],
                     self.rng.choice(["upstream", "downstream"]))

    def recall(self):
        recall = self.execute("stock.lot.recall", "create", {
            "lot_ids": [(6, 0, [self.rng.choice(self.ingredients)])],
            "reason": "load benchmark"})
        self.execute("stock.lot.recall", "action_open", [recall])

    def login(self):
        self.call("/web/session/authenticate", db=self.db, login="admin", password="admin")
        self.logged_in = True

    def run(self, stop_at):
        turn, self.logged_in = 0, False
        while time.monotonic() < stop_at:
            if not self.logged_in:
                kind = "login"
            else:
                kind = "recall" if turn % 5 == 4 else ("lot_page", "trace")[turn % 2]
                turn += 1
            start = time.monotonic()
            try:
                getattr(self, kind)()
                ok = True
            except Exception:  # pylint: disable=broad-except
                ok = False  # any failed request counts as an error
                time.sleep(0.5)  # as a person retries, not in a tight loop
            self.samples.append((kind, time.monotonic() - start, ok))
            if self.think and ok:
                # A person reads the answer before the next click: THINK seconds on average.
                time.sleep(self.rng.uniform(0.5, 1.5) * self.think)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0


def figures(samples):
    times = [seconds for _kind, seconds, ok in samples if ok]
    return "p50_ms=%.0f p95_ms=%.0f p99_ms=%.0f" % (
        percentile(times, 0.5), percentile(times, 0.95), percentile(times, 0.99))


def load(args, workers, pages, ingredients):
    """Serve with ``workers``; the clients straight on Odoo's port, then (--proxy) through
    HAProxy, in the same server run."""
    env = dict(os.environ, WORKERS=str(workers), LONGPOLLING_PORT=str(args.port + 1000))
    pid = int(subprocess.check_output(["bash", os.path.join(ROOT, "scripts", "serve.sh"),
                                       args.db, str(args.port), "background"], env=env))
    try:
        run_clients(args, workers, pages, ingredients, args.port, False)
        if args.proxy:
            proxy = start_proxy(args, workers)
            time.sleep(1)
            try:
                run_clients(args, workers, pages, ingredients, args.port + 1, True)
            finally:
                proxy.terminate()
                proxy.wait()
    finally:
        os.kill(pid, 15)
        time.sleep(5)


def run_clients(args, workers, pages, ingredients, port, proxied):
    url = "http://127.0.0.1:%d" % port
    clients = [Client(url, args.db, pages, ingredients, seed, args.think)
               for seed in range(args.clients)]
    stop_at = time.monotonic() + args.seconds
    threads = [threading.Thread(target=client.run, args=(stop_at,)) for client in clients]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report(args, workers, proxied, [s for client in clients for s in client.samples],
           time.monotonic() - start)


#: requests/s per (workers, proxied) of this run, for the scaling line.
RPS = {}
#: The request type with the highest p95 in the last run reported (logins aside).
SLOWEST = {}


def report(args, workers, proxied, samples, elapsed):
    errors = sum(1 for _kind, _seconds, ok in samples if not ok)
    head = "workers=%d clients=%d think_s=%g proxy=%s" % (
        workers, args.clients, args.think, "yes" if proxied else "no")
    rps = len(samples) / elapsed
    print("BENCH load %s requests=%d errors=%d %s rps=%.1f" % (
        head, len(samples), errors, figures(samples), rps))
    RPS[(workers, proxied)] = rps
    p95 = {}
    for kind in ("lot_page", "trace", "recall", "login"):
        mine = [sample for sample in samples if sample[0] == kind]
        print("BENCH load_type %s type=%s n=%d errors=%d %s" % (
            head, kind, len(mine), sum(1 for s in mine if not s[2]), figures(mine)))
        if kind != "login":
            p95[kind] = percentile([seconds for _k, seconds, ok in mine if ok], 0.95)
    SLOWEST["type"] = max(p95, key=p95.get)
    sys.stdout.flush()


# --- where the time goes ---------------------------------------------------------------
def breakdown(args, pages, ingredients, slowest):
    """Each request type once in-process, as the server runs it: total, PostgreSQL, QWeb
    rendering (without its own queries), the rest (Python: the engine's and the ledger's
    code, the ORM); the recall also as its background job's work. ``slowest``: the type
    with the highest p95 of the last run, marked in the output."""
    odoo = load_odoo(args)
    from odoo.sql_db import Cursor

    from odoo.addons.lot_traceability.tools.internal_context import internal_context
    spent = {}
    execute = Cursor.execute

    def timed_execute(self, *a, **k):
        start = time.perf_counter()
        try:
            return execute(self, *a, **k)
        finally:
            took = time.perf_counter() - start
            spent["sql"] += took
            spent["queries"] += 1
            if spent["rendering"]:
                spent["render_sql"] += took
    with odoo.api.Environment.manage(), odoo.registry(args.db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        view_class = type(env["ir.ui.view"])
        render = view_class.render

        def timed_render(self, *a, **k):
            start = time.perf_counter()
            spent["rendering"] = True
            try:
                return render(self, *a, **k)
            finally:
                spent["rendering"] = False
                spent["render"] += time.perf_counter() - start
        Lot, Recall = env["stock.production.lot"], env["stock.lot.recall"]

        def recall(sync):
            created = Recall.create({"lot_ids": [(6, 0, [ingredients[0]])],
                                     "reason": "load benchmark"})
            return created.with_context(
                **internal_context(lot_traceability_sync=sync)).action_open()
        requests_ = [
            ("lot_page", lambda: Lot.browse(pages[0]).read(["trace_html"])),
            ("trace", lambda: env["stock.lot.trace"].trace([pages[1]], "downstream")),
            ("recall", lambda: recall(False)),  # the request: the job is queued
            ("recall_job", lambda: recall(True)),  # the request and the job's work
        ]
        for _kind, run in requests_:
            run()  # warm the registry's caches
        env.cache.invalidate()
        Cursor.execute, view_class.render = timed_execute, timed_render
        try:
            for kind, run in requests_:
                spent.update(sql=0.0, queries=0, render=0.0, render_sql=0.0, rendering=False)
                start = time.perf_counter()
                run()
                total = time.perf_counter() - start
                env.cache.invalidate()
                render_only = spent["render"] - spent["render_sql"]
                print("BENCH load_where type=%s slowest=%s total_ms=%.0f sql_ms=%.0f "
                      "queries=%d render_ms=%.0f python_ms=%.0f" % (
                          kind, "yes" if kind == slowest else "no", total * 1000,
                          spent["sql"] * 1000, spent["queries"], render_only * 1000,
                          (total - spent["sql"] - render_only) * 1000))
        finally:
            Cursor.execute, view_class.render = execute, render
        cr.rollback()


def main():
    args = parse_args()
    ensure_database(args)
    pages, ingredients = sample_lots(args)
    counts = [int(n) for n in args.workers.split(",")]
    for workers in counts:
        load(args, workers, pages, ingredients)
    for proxied in (False, True) if args.proxy else (False,):
        low, high = (RPS.get((n, proxied), 0.0) for n in (counts[0], counts[-1]))
        print("BENCH load_scaling proxy=%s rps_%d=%.1f rps_%d=%.1f ratio=%.2f" % (
            "yes" if proxied else "no", counts[0], low, counts[-1], high,
            high / low if low else 0.0))
    breakdown(args, pages, ingredients, SLOWEST.get("type"))


if __name__ == "__main__":
    main()
