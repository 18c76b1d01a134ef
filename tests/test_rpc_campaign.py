# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The input campaign, table-driven, over JSON-RPC and HTTP against the live server.

Every case is a bad input (a value no user means, a wrong argument, a forged write, an action
the role may not run) sent to a wizard, a document action, the engine, an export or a route,
as each of four roles: the Traceability manager (admin), the Traceability user (demo), a plain
Inventory user and a portal user (both created here, uniquely named). Each run asserts the
exact kind of refusal (AccessError, UserError or ValidationError; an HTTP status for routes),
that the message names the bad value, and that the counts of lots, move lines, quants,
recalls and hold lines are the same before and after.

``admin`` is Odoo 11's superuser: cases whose rule exempts the superuser (forged states,
evidence writes, system lines) run as the three other roles only.
"""
import collections
import io
import json
import uuid

import openpyxl
import pytest

from .odoo_client import OdooClient, RPCError

ACCESS, USER, VALID = "AccessError", "UserError", "ValidationError"
KINDS = {ACCESS: "odoo.exceptions.AccessError", USER: "odoo.exceptions.UserError",
         VALID: "odoo.exceptions.ValidationError"}
ROLES = ("manager", "user", "stock", "portal")
NOT_SUPERUSER = ("user", "stock", "portal")
COUNTED = ("stock.production.lot", "stock.move.line", "stock.quant", "stock.lot.recall",
           "stock.lot.recall.hold")
BIDI, NUL = "\u202e", "\x00"

Case = collections.namedtuple("Case", "name kinds needle call roles")


def everyone(kind):
    return dict.fromkeys(ROLES, kind)


def gated(kind):
    """Traceability users get ``kind``; the others may not run it at all."""
    return dict(everyone(ACCESS), manager=kind, user=kind)


def managers(kind):
    return dict(everyone(ACCESS), manager=kind)


def case(name, kinds, needle, call, roles=ROLES):
    return Case(name, kinds, needle, call, roles)


# --- calls: each takes (client, data) ---------------------------------------------------------
def execute(client, model, method, *args, **kwargs):
    """``client.execute`` that can send NaN and Infinity: Python's json writes them (as
    JavaScript does not), and Odoo's JSON-RPC reads them."""
    payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
        "model": model, "method": method, "args": list(args), "kwargs": kwargs}}
    response = client.session.post(
        "%s/web/dataset/call_kw/%s/%s" % (client.url, model, method), data=json.dumps(payload),
        headers={"Content-Type": "application/json"}, timeout=120)
    response.raise_for_status()
    body = response.json()
    if body.get("error"):
        raise RPCError(body["error"])
    return body["result"]


def rpc(model, method, *args, **kwargs):
    def call(client, data):
        resolved = [arg(data) if callable(arg) else arg for arg in args]
        return execute(client, model, method, *resolved, **kwargs)
    return call


def create(model, vals, context=None):
    def call(client, data):
        values = vals(data) if callable(vals) else vals
        return execute(client, model, "create", values, context=context or {})
    return call


def wizard(model, vals, method="action_apply", context=None):
    """Create a wizard with ``vals`` and run ``method`` on it (both as the role)."""
    def call(client, data):
        values = vals(data) if callable(vals) else vals
        ctx = context(data) if callable(context) else (context or {})
        wizard_id = execute(client, model, "create", values, context=ctx)
        return execute(client, model, method, [wizard_id], context=ctx)
    return call


def write(model, record, vals):
    def call(client, data):
        values = vals(data) if callable(vals) else vals
        return execute(client, model, "write", [data[record]], values)
    return call


def route(path, status):
    """An HTTP GET answering ``status`` (a dict role -> status)."""
    def call(client, data):
        return client.session.get(client.url + path(data), allow_redirects=False, timeout=120)
    call.http = status
    return call


def recv_line(data, **vals):
    line = {"product_id": data["apples"], "lot_name": "CAMPAIGN-1", "quantity": 1.0}
    line.update(vals)
    return {"picking_id": data["receipt"], "line_ids": [(0, 0, line)]}


def split_vals(data, **vals):
    return dict({"location_id": data["stock"], "unit_count": 2, "split_qty": 2.0}, **vals)


def bulk_vals(data, **vals):
    return dict({"product_id": data["drills"], "location_dest_id": data["stock"],
                 "serials_text": ""}, **vals)


SPLIT_CTX = lambda data: {"active_model": "stock.production.lot", "active_id": data["jam"]}  # noqa


def _engine_cases():
    lot = lambda data: [data["apl1"]]  # noqa: E731
    trace = "stock.lot.trace"
    return [
        case("trace lot id over int4", gated(USER), "2147483648",
             rpc(trace, "trace", [2 ** 31], "upstream")),
        case("trace lot id text", gated(USER), "'abc'", rpc(trace, "trace", ["abc"], "upstream")),
        case("trace lot ids a string", gated(USER), "'12'", rpc(trace, "trace", "12", "upstream")),
        case("trace unknown lot", gated(USER), "987654321",
             rpc(trace, "trace", [987654321], "upstream")),
        case("trace direction", gated(USER), "sideways", rpc(trace, "trace", lot, "sideways")),
        case("trace depth over int4", gated(USER), "2147483648",
             rpc(trace, "trace", lot, "upstream", 2 ** 31)),
        case("trace depth text", gated(USER), "'3'", rpc(trace, "trace", lot, "upstream", "3")),
        case("trace depth negative", gated(USER), "-1", rpc(trace, "trace", lot, "upstream", -1)),
        case("trace without direction", gated(USER), "direction", rpc(trace, "trace", lot)),
        case("lot_details text id", gated(USER), "'abc'", rpc(trace, "lot_details", "abc")),
        case("lot_details id over int4", gated(USER), "2147483648",
             rpc(trace, "lot_details", 2 ** 31)),
        case("lot_details list", gated(USER), "[1, 2]", rpc(trace, "lot_details", [1, 2])),
        case("lot_details unknown", gated(USER), "987654321",
             rpc(trace, "lot_details", 987654321)),
        # the server-side generators (exports, Open Recall) are private: refused by name
        case("trace pages over RPC", everyone(ACCESS), "_trace_pages",
             rpc(trace, "_trace_pages", lot, "downstream")),
        case("deliveries pages over RPC", everyone(ACCESS), "_deliveries_pages",
             rpc("stock.lot.ledger", "_deliveries_pages", lot)),
        case("balances pages over RPC", everyone(ACCESS), "_balances_pages",
             rpc("stock.lot.ledger", "_balances_pages", lot)),
        # ... and so are the lot page's and the recall's server-side summaries
        case("trace summary over RPC", everyone(ACCESS), "_get_summary",
             rpc(trace, "_get_summary", lot, "downstream", 500)),
        case("trace depths over RPC", everyone(ACCESS), "_get_depths",
             rpc(trace, "_get_depths", lot, "downstream")),
        case("fan totals over RPC", everyone(ACCESS), "_get_fan_totals",
             rpc("stock.lot.ledger", "_get_fan_totals", lot, lot)),
        case("customer summaries over RPC", everyone(ACCESS), "_get_customer_summaries",
             rpc("stock.lot.ledger", "_get_customer_summaries", lot)),
        case("difference count over RPC", everyone(ACCESS), "_count_differences",
             rpc("stock.lot.recall.lot", "_count_differences", [])),
        case("page format over RPC", everyone(ACCESS), "_get_format",
             rpc("stock.lot.page", "_get_format")),
        # the job service runs the method it is given: private
        case("job start over RPC", everyone(ACCESS), "_start",
             rpc("lot.traceability.job", "_start", [1], "pop", "recall_open", 0, "x")),
    ]


def _fsma_cases():
    fsma, export = "stock.lot.fsma", "stock.lot.fsma.export"
    return [
        case("fsma impossible date", gated(USER), "2024-02-30",
             rpc(fsma, "fsma_events", "2024-02-30", "2024-03-01")),
        case("fsma period 0001-9999", gated(USER), "0001-01-01",
             rpc(fsma, "fsma_events", "0001-01-01", "9999-12-31")),
        case("fsma date as number", gated(USER), "20240101",
             rpc(fsma, "fsma_events", 20240101, "2024-01-02")),
        case("fsma product ids text", gated(USER), "'x'",
             rpc(fsma, "fsma_events", "2024-01-01", "2024-01-02", ["x"])),
        case("fsma lot id over int4", gated(USER), "2147483648",
             rpc(fsma, "fsma_events", "2024-01-01", "2024-01-02", None, [2 ** 31])),
        case("fsma wizard period 0001-9999", everyone(VALID), "0001-01-01",
             create(export, {"date_from": "0001-01-01", "date_to": "9999-12-31"})),
        case("fsma wizard impossible date", everyone(VALID), "2024-02-30",
             create(export, {"date_from": "2024-02-01", "date_to": "2024-02-30"})),
        case("fsma wizard lot codes NUL", everyone(VALID), "U+0000",
             create(export, {"date_from": "2024-02-01", "date_to": "2024-02-02",
                             "lot_codes": "A" + NUL})),
    ]


def _scan_cases():
    scan, build = "stock.lot.scan", "stock.assembly"
    draft = lambda data: [data["build"]]  # noqa: E731
    return [
        case("match_code number", gated(USER), "12345", rpc(scan, "match_code", 12345)),
        case("match_code NUL", gated(USER), "U+0000", rpc(scan, "match_code", "A" + NUL + "B")),
        case("match_code list", gated(USER), "['APL-0001']",
             rpc(scan, "match_code", ["APL-0001"])),
        case("match_code None", gated(USER), "None", rpc(scan, "match_code", None)),
        case("match_code product text", gated(USER), "'abc'",
             rpc(scan, "match_code", "APL-0001", "abc")),
        case("match_code product unknown", gated(USER), "987654321",
             rpc(scan, "match_code", "APL-0001", 987654321)),
        case("action_scan number", gated(USER), "42", rpc(build, "action_scan", draft, 42)),
        case("action_scan NUL", gated(USER), "U+0000",
             rpc(build, "action_scan", draft, NUL)),
        case("action_scan dict", gated(USER), "{}", rpc(build, "action_scan", draft, {})),
        case("action_scan unknown build", gated(USER), "2147483646",
             rpc(build, "action_scan", [2 ** 31 - 2], "APL-0001")),
    ]


def _build_cases():
    build = "stock.assembly"

    def vals(**extra):
        return lambda data: dict({"product_id": data["jam_product"], "product_qty": 1.0}, **extra)
    return [
        case("build result lot bidi", gated(VALID), "U+202E",
             create(build, vals(lot_name="JAM" + BIDI + "1"))),
        case("build result lot 65 chars", gated(VALID), "65 characters",
             create(build, vals(lot_name="J" * 65))),
        case("build result lot blank", gated(VALID), "blank",
             create(build, vals(lot_name="   "))),
        case("build quantity NaN", gated(VALID), "nan",
             create(build, vals(product_qty=float("nan")))),
        case("build quantity Infinity", gated(VALID), "inf",
             create(build, vals(product_qty=float("inf")))),
        case("build quantity 1e300", gated(VALID), "1e+300",
             create(build, vals(product_qty=1e300))),
        case("build product id text", gated(VALID), "'abc'",
             create(build, {"product_id": "abc"})),
        case("build location over int4", gated(VALID), "2147483648",
             create(build, vals(location_id=2 ** 31))),
        case("build done on text id", gated(USER), "'abc'", rpc(build, "action_done", ["abc"])),
        case("build done unknown", gated(USER), "2147483646",
             rpc(build, "action_done", [2 ** 31 - 2])),
        case("build cancel unknown", gated(USER), "2147483646",
             rpc(build, "action_cancel", [2 ** 31 - 2])),
        case("build forged state done", everyone(ACCESS), "(state)",
             write(build, "build", {"state": "done"}), NOT_SUPERUSER),
        # The state mixin refuses any user write of state before its value is read.
        case("build state not a value", dict(gated(VALID), user=ACCESS), "(state)",
             write(build, "build", {"state": "finished"})),
    ]


def _receive_cases():
    receive = "stock.lot.receive"

    def line(**vals):
        return lambda data: recv_line(data, **vals)
    return [
        case("receive lot bidi", everyone(VALID), "U+202E",
             create(receive, line(lot_name="APL" + BIDI))),
        case("receive lot control character", everyone(VALID), "U+0007",
             create(receive, line(lot_name="APL\x07"))),
        case("receive lot 10,000 chars", everyone(VALID), "10000 characters",
             create(receive, line(lot_name="L" * 10000))),
        case("receive supplier code 65 chars", everyone(VALID), "65 characters",
             create(receive, line(supplier_lot_code="S" * 65))),
        case("receive quantity NaN", everyone(VALID), "nan",
             create(receive, line(quantity=float("nan")))),
        case("receive quantity 1e300", everyone(VALID), "1e+300",
             create(receive, line(quantity=1e300))),
        case("receive quantity text", everyone(VALID), "'many'",
             create(receive, line(quantity="many"))),
        case("receive impossible expiry", everyone(VALID), "2024-02-30",
             create(receive, line(life_date="2024-02-30"))),
        case("receive production year 0", everyone(VALID), "'0000-01-01'",
             create(receive, line(production_date="0000-01-01"))),
        case("receive product over int4", everyone(VALID), "2147483648",
             create(receive, line(product_id=2 ** 31))),
        case("receive attribute NaN", gated(USER), "nan",
             wizard(receive, lambda data: recv_line(data, value_ids=[
                 (0, 0, {"attribute_id": data["brix"], "value": "nan"})]))),
        case("receive attribute 1e309", gated(USER), "1e309",
             wizard(receive, lambda data: recv_line(data, value_ids=[
                 (0, 0, {"attribute_id": data["brix"], "value": "1e309"})]))),
        case("receive attribute twice", gated(USER), "Brix",
             wizard(receive, lambda data: recv_line(data, value_ids=[
                 (0, 0, {"attribute_id": data["brix"], "value": "12"}),
                 (0, 0, {"attribute_id": data["brix"], "value": "13"})]))),
        case("receive on a delivery order", gated(USER), "not a receipt",
             wizard(receive, lambda data: dict(recv_line(data), picking_id=data["delivery"]))),
        case("receive() picking type text", gated(USER), "'abc'",
             rpc("stock.lot.receipt", "receive", "abc", [])),
        case("receive() rows not a list", gated(USER), "'rows'",
             rpc("stock.lot.receipt", "receive", lambda data: data["receipt_type"], "rows")),
        case("receive() row quantity NaN", gated(USER), "nan",
             rpc("stock.lot.receipt", "receive", lambda data: data["receipt_type"],
                 lambda data: [{"product": data["apples"], "quantity": float("nan")}])),
    ]


def _split_cases():
    split = "stock.lot.split"

    def run(**vals):
        return wizard(split, lambda data: split_vals(data, **vals), context=SPLIT_CTX)
    return [
        case("split prefix bidi", everyone(VALID), "U+202E", run(name_prefix="J" + BIDI)),
        case("split prefix 65 chars", everyone(VALID), "65 characters", run(name_prefix="P" * 65)),
        case("split count over int4", everyone(VALID), "2147483648", run(unit_count=2 ** 31)),
        case("split quantity Infinity", everyone(VALID), "inf", run(split_qty=float("inf"))),
        case("split digits text", everyone(VALID), "'3'", run(name_padding="3")),
        case("split more than the batch has", gated(USER), "100000",
             run(split_qty=100000.0, unit_count=2)),
        case("split into an untracked unit product", gated(USER), "Jar Lid",
             wizard(split, lambda data: split_vals(data, unit_product_id=data["lid"]),
                    context=SPLIT_CTX)),
    ]


def _bulk_cases():
    bulk = "stock.serial.bulk.entry"

    def vals(**extra):
        return lambda data: bulk_vals(data, **extra)
    return [
        case("bulk prefix bidi", everyone(VALID), "U+202E",
             create(bulk, vals(range_prefix="S" + BIDI))),
        case("bulk suffix 65 chars", everyone(VALID), "65 characters",
             create(bulk, vals(range_suffix="X" * 65))),
        case("bulk first over int4", everyone(VALID), "2147483648",
             create(bulk, vals(range_first=2 ** 31))),
        case("bulk serials NUL", everyone(VALID), "U+0000",
             create(bulk, vals(serials_text="SN-1\n" + NUL))),
        case("bulk impossible warranty", everyone(VALID), "2024-02-30",
             create(bulk, vals(warranty_date="2024-02-30"))),
        case("bulk end of life year 0", everyone(VALID), "'0000-01-01 00:00:00'",
             create(bulk, vals(life_date="0000-01-01 00:00:00"))),
        case("bulk destination customers", dict(everyone(VALID), stock=ACCESS, portal=ACCESS),
             "Customers",
             wizard(bulk, lambda data: bulk_vals(
                 data, location_dest_id=data["customers"],
                 serials_text="CMP-" + uuid.uuid4().hex[:8]))),
        case("bulk serial with bidi", gated(USER), "U+202E",
             wizard(bulk, vals(serials_text="SN" + BIDI + "1"))),
        case("bulk range of 0", gated(USER), "0",
             wizard(bulk, vals(range_prefix="R-", range_count=0), "action_generate_range")),
    ]


def _lot_cases():
    lot = "stock.production.lot"

    def vals(**extra):
        return lambda data: dict({"product_id": data["apples"]}, **extra)
    stock_may = dict(everyone(VALID), portal=ACCESS)
    return [
        case("lot name bidi", stock_may, "U+202E", create(lot, vals(name="APL" + BIDI + "9"))),
        case("lot name zero-width", stock_may, "U+200B", create(lot, vals(name="APL\u200b9"))),
        case("lot name 2,800 chars", stock_may, "2800 characters",
             create(lot, vals(name="N" * 2800))),
        case("lot name blank", stock_may, "blank", create(lot, vals(name=" "))),
        case("lot name not text", stock_may, "12", create(lot, vals(name=12))),
        case("lot supplier code NUL", stock_may, "U+0000",
             write(lot, "apl1", {"supplier_lot_code": "S" + NUL})),
        case("lot product text", stock_may, "'abc'",
             create(lot, {"name": "X", "product_id": "abc"})),
        case("lot impossible life date", stock_may, "2024-02-30",
             create(lot, vals(name="D-" + uuid.uuid4().hex[:6], life_date="2024-02-30 00:00:00"))),
        case("lot production date text", stock_may, "'soon'",
             create(lot, vals(name="D-" + uuid.uuid4().hex[:6], production_date="soon"))),
        case("label payload text id", dict(everyone(USER), stock=ACCESS, portal=ACCESS), "'abc'",
             rpc(lot, "get_label_payload", ["abc"])),
        case("label payload unknown", dict(everyone(USER), stock=ACCESS, portal=ACCESS),
             "2147483646",
             rpc(lot, "get_label_payload", [2 ** 31 - 2])),
        case("attribute value NaN", gated(VALID), "nan",
             write(lot, "apl1", lambda data: {"attribute_value_ids": [(0, 0, {
                 "attribute_id": data["brix"], "value_number": float("nan")})]})),
    ]


def _recall_cases():
    recall = "stock.lot.recall"

    def vals(**extra):
        return lambda data: dict({"lot_ids": [(6, 0, [data["apl1"]])]}, **extra)
    return [
        case("recall impossible start", gated(VALID), "2024-02-30",
             create(recall, vals(date_start="2024-02-30 10:00:00"))),
        case("recall lot over int4", gated(VALID), "2147483648",
             create(recall, {"lot_ids": [(6, 0, [2 ** 31])]})),
        case("recall reason NUL", gated(VALID), "U+0000", create(recall, vals(reason=NUL))),
        case("recall quarantine customers", gated(VALID), "Customers",
             create(recall, lambda data: dict(vals()(data),
                                              quarantine_location_id=data["customers"]))),
        case("recall open unknown", gated(USER), "2147483646",
             rpc(recall, "action_open", [2 ** 31 - 2])),
        case("closed recall reason rewritten", everyone(ACCESS), "(reason)",
             write(recall, "closed_recall", {"reason": "rewritten"}), NOT_SUPERUSER),
        case("closed recall mock flag", everyone(ACCESS), "(is_mock)",
             write(recall, "closed_recall", {"is_mock": False}), NOT_SUPERUSER),
        case("hold line forged", everyone(ACCESS), "stock.lot.recall.hold",
             create("stock.lot.recall.hold", lambda data: {
                 "recall_id": data["closed_recall"], "lot_id": data["apl1"],
                 "location_id": data["stock"], "qty": 500.0}), NOT_SUPERUSER),
        case("release a recall that holds nothing", managers(USER),
             lambda data: data["held_recall_name"],
             rpc(recall, "action_release", lambda data: [data["held_recall"]]), ("manager",)),
        # releasing is a manager's decision, as releasing a lot on hold is
        case("release by a plain user", everyone(ACCESS), "Traceability Manager",
             rpc(recall, "action_release", lambda data: [data["held_recall"]]),
             ("user", "stock", "portal")),
    ]


def _route_cases():
    label = "/report/pdf/lot_traceability.report_lot_label_small/"
    xlsx = "/report/xlsx/lot_traceability.stock_lot_trace_xlsx/"
    logged = {"manager": 400, "user": 400, "stock": 400, "portal": 400}
    return [
        case("label ids text", logged, "abc", route(lambda data: label + "abc", logged)),
        case("label id over int4", logged, "2147483648",
             route(lambda data: label + str(2 ** 31), logged)),
        # Rights come first: a user without the Traceability group learns nothing more.
        case("label unknown lot", dict(logged, stock=403, portal=403), "987654321",
             route(lambda data: label + "987654321", dict(logged, stock=403, portal=403))),
        case("xlsx page size -1", dict(logged, stock=403, portal=403), "-1",
             route(lambda data: xlsx + "%s?context=%s" % (
                 data["apl1"], json.dumps({"lot_trace_page_size": -1})),
                 dict(logged, stock=403, portal=403))),
        case("xlsx page size abc", dict(logged, stock=403, portal=403), "abc",
             route(lambda data: xlsx + "%s?context=%s" % (
                 data["apl1"], json.dumps({"lot_trace_page_size": "abc"})),
                 dict(logged, stock=403, portal=403))),
        case("xlsx context not JSON", logged, "{oops",
             route(lambda data: xlsx + "%s?context={oops" % data["apl1"], logged)),
        # GS1 resolver rules: Traceability users get the backend page, everyone else the
        # lot's public page; an unknown lot is the same 404 for all.
        case("resolver as portal", {"manager": 303, "user": 303, "stock": 200, "portal": 200},
             "", route(lambda data: "/lot/%s/APL-0001" % data["apples_ref"],
                       {"manager": 303, "user": 303, "stock": 200, "portal": 200})),
        case("resolver unknown lot", {"manager": 404, "user": 404, "stock": 404, "portal": 404},
             "", route(lambda data: "/lot/%s/NO-SUCH-LOT" % data["apples_ref"],
                       {"manager": 404, "user": 404, "stock": 404, "portal": 404})),
    ]


CASES = (_engine_cases() + _fsma_cases() + _scan_cases() + _build_cases() + _receive_cases()
         + _split_cases() + _bulk_cases() + _lot_cases() + _recall_cases() + _route_cases())
RUNS = [(role, item) for item in CASES for role in ROLES if role in item.roles]


# --- the session's data and roles -------------------------------------------------------------
def _make_user(admin, role, groups):
    login = "campaign-%s-%s" % (role, uuid.uuid4().hex[:8])
    admin.execute("res.users", "create", {
        "name": "Campaign %s %s" % (role, login[-8:]), "login": login, "password": login,
        "groups_id": [(6, 0, [admin.ref(xmlid) for xmlid in groups])]},
        context={"no_reset_password": True})
    return login


def _lot_id(admin, name):
    return admin.execute("stock.production.lot", "search", [("name", "=", name)], limit=1)[0]


def _prepare_recalls(admin, data):
    """A closed recall and a recall whose held stock then moved (as the admin)."""
    recall_id = admin.execute("stock.lot.recall", "create", {
        "lot_ids": [(6, 0, [data["apl1"]])], "is_mock": True, "reason": "campaign"})
    admin.execute("stock.lot.recall", "action_open", [recall_id])
    admin.execute("stock.lot.recall", "action_close", [recall_id])
    data["closed_recall"] = recall_id
    data["held_recall"] = admin.execute("stock.lot.recall", "create", {
        "lot_ids": [(6, 0, [data["apl1"]])], "is_mock": True, "reason": "campaign draft"})
    data["held_recall_name"] = admin.execute("stock.lot.recall", "read", [data["held_recall"]],
                                             ["name"])[0]["name"]


@pytest.fixture(scope="module")
def campaign(odoo_url, odoo_db):
    admin = OdooClient(odoo_url, odoo_db).login("admin", "admin")
    logins = {"stock": _make_user(admin, "stock", ["base.group_user", "stock.group_stock_user"]),
              "portal": _make_user(admin, "portal", ["base.group_portal"])}
    clients = {"manager": admin, "user": OdooClient(odoo_url, odoo_db).login("demo", "demo")}
    for role, login in logins.items():
        clients[role] = OdooClient(odoo_url, odoo_db).login(login, login)
    ref = admin.ref
    apples = ref("lot_traceability_demo.product_apples_demo")
    data = {
        "apples": apples, "apl1": _lot_id(admin, "APL-0001"), "jam": _lot_id(admin, "JAM-0001"),
        "jam_product": ref("lot_traceability_demo.product_apple_jam_demo"),
        "drills": ref("lot_traceability_demo.product_drill_demo"),
        "lid": ref("lot_traceability_demo.product_lid_demo"),
        "stock": ref("stock.stock_location_stock"),
        "customers": ref("stock.stock_location_customers"),
        "receipt_type": ref("stock.picking_type_in"),
        "brix": ref("lot_traceability_demo.lot_attribute_brix_demo"),
        "apples_ref": admin.execute("product.product", "read", [apples],
                                    ["default_code"])[0]["default_code"] or str(apples),
    }
    data["build"] = admin.execute("stock.assembly", "create", {
        "product_id": data["jam_product"], "product_qty": 1.0})
    data["receipt"] = admin.execute("stock.picking", "create", {
        "picking_type_id": data["receipt_type"], "location_dest_id": data["stock"],
        "location_id": ref("stock.stock_location_suppliers")})
    data["delivery"] = admin.execute("stock.picking", "create", {
        "picking_type_id": ref("stock.picking_type_out"), "location_id": data["stock"],
        "location_dest_id": data["customers"]})
    _prepare_recalls(admin, data)
    return {"admin": admin, "clients": clients, "data": data}


def _counts(admin):
    return {model: admin.execute(model, "search_count", []) for model in COUNTED}


def _assert_refused(item, role, client, data):
    needle = item.needle(data) if callable(item.needle) else item.needle
    try:
        result = item.call(client, data)
    except RPCError as error:
        expected = item.kinds[role]
        assert error.name == KINDS[expected], "%s as %s: %s" % (item.name, role, error)
        assert error.message.strip(), "%s as %s: an empty refusal" % (item.name, role)
        # Odoo's own access refusal (no access right at all) names the model, not the value.
        if expected != ACCESS or role in ("manager", "user"):
            assert needle in error.message, "%s as %s: %r does not name %r" % (
                item.name, role, error.message, needle)
        return
    status = getattr(item.call, "http", None)
    assert status is not None, "%s as %s was not refused: %r" % (item.name, role, result)
    assert result.status_code == status[role], "%s as %s: HTTP %s %s" % (
        item.name, role, result.status_code, result.text[:300])
    if result.status_code >= 400 and result.status_code != 403 and needle:
        assert needle in result.text, result.text[:300]


@pytest.mark.parametrize("role, item", RUNS, ids=["%s: %s" % (item.name, role)
                                                  for role, item in RUNS])
def test_campaign(campaign, role, item):
    admin, data = campaign["admin"], campaign["data"]
    before = _counts(admin)
    _assert_refused(item, role, campaign["clients"][role], data)
    assert _counts(admin) == before, "%s as %s changed the counts" % (item.name, role)


def test_campaign_is_wide():
    """At least 200 runs, every role in most of them."""
    assert len(RUNS) >= 200, len(RUNS)


def _summary_question(response):
    assert response.status_code == 200, response.text[:300]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)["Summary"]
    return next(row[1] for row in sheet.iter_rows(values_only=True) if row[0] == "Question")


def test_recall_trace_xlsx_exports_the_recalls_lots(campaign):
    """The recall's XLSX has its own report name: its ids are recalls, the lot trace's ids
    are lots, whatever the two ids happen to be."""
    admin, data = campaign["admin"], campaign["data"]
    recall = admin.execute("stock.lot.recall", "read", [data["held_recall"]], ["lot_ids"])[0]
    names = admin.execute("stock.production.lot", "read", recall["lot_ids"], ["name"])
    question = _summary_question(admin.get(
        "/report/xlsx/lot_traceability.stock_lot_recall_trace_xlsx/%s" % data["held_recall"]))
    assert all(lot["name"] in question for lot in names), question
    lot_name = admin.execute("stock.production.lot", "read", [data["held_recall"]], ["name"])
    if lot_name:
        question = _summary_question(admin.get(
            "/report/xlsx/lot_traceability.stock_lot_trace_xlsx/%s" % data["held_recall"]))
        assert question == "Trace of lots %s" % lot_name[0]["name"]
