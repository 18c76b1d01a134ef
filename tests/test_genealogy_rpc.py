"""The genealogy engine answers over JSON-RPC, on the demo chain."""


def _lot(admin, name):
    return admin.execute("stock.production.lot", "search_read", [("name", "=", name)],
                         ["id", "name"])[0]


def test_trace_over_rpc(admin):
    """Downstream of the demo apples: both compote batches, one level down."""
    apple = _lot(admin, "APL-0005")
    result = admin.execute("stock.lot.trace", "trace", [apple["id"]], "downstream")
    names = {row["lot_id"]: row["depth"] for row in result["lots"]}
    compotes = [_lot(admin, name)["id"] for name in ("CMP-0001", "CMP-0002")]
    assert names == {apple["id"]: 0, compotes[0]: 1, compotes[1]: 1}
    assert len(result["edges"]) == 2
    limited = admin.execute("stock.lot.trace", "trace", [apple["id"]], "downstream",
                            max_depth=0)
    assert [row["lot_id"] for row in limited["lots"]] == [apple["id"]]


def test_lot_details_over_rpc(admin):
    """The compote's page as data: its apples and sugar, and its two customers."""
    compote = _lot(admin, "CMP-0001")
    details = admin.execute("stock.lot.trace", "lot_details", compote["id"])
    made_from = {row["name"] for row in details["made_from"]["lots"]}
    assert made_from == {"CMP-0001", "APL-0005", "SUG-0004"}
    assert sorted(row["customer"] for row in details["shipped_to"]) == [
        "Corner Deli Co.", "Green Grocer Ltd"]
    assert details["in_stock"][0]["qty"] == 120.0


def test_lot_page_answer_names_the_jars_customers(admin):
    """APL-0001's page as data: the jam made from it was split into jars, and the jars
    reached both customers; each group carries the path from the apples to a jar."""
    apple = _lot(admin, "APL-0001")
    details = admin.execute("stock.lot.trace", "lot_details", apple["id"])
    went = details["downstream"]
    assert {"Green Grocer Ltd", "Corner Deli Co."} <= set(went["customers"])
    jam = [row for row in went["by_customer"] + went["rows"]
           if row["customer"] == "Corner Deli Co."]
    assert jam and all(row["path"][0] == "APL-0001" for row in jam)
    assert any("JAM-0001" in row["path"] for row in jam)
    units = {row["product"]: row for row in details["units"]}
    assert sum(row["lot_count"] for row in units.values()) >= 40
    assert details["used_in"]["count"] > 1
