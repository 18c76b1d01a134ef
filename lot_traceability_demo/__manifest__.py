# Copyright 2026 lot_traceability contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Lot Traceability: demo supply chain",
    "summary": "A small food and tools supply chain, made through Lot Traceability's own "
               "operations, to try every feature on. Never install it in production.",
    "version": "11.0.1.0.0",
    "category": "Warehouse",
    "author": "lot_traceability contributors",
    "maintainers": ["lot_traceability contributors"],
    "development_status": "Beta",
    "license": "AGPL-3",
    "installable": True,
    # OCA's web_responsive: the demo is tried on phones too (Scan screen, lot page, labels);
    # lot_traceability itself leaves the choice of the web client's look to the company.
    "depends": ["lot_traceability", "lot_traceability_hr", "web_responsive"],
    # The story is demo data: a database created without demo data loads none of it.
    "demo": [
        "demo/lot_traceability_demo.xml",
        "demo/receive_demo.xml",
        "demo/assembly_demo.xml",
        "demo/serials_demo.xml",
        "demo/labels_demo.xml",
        "demo/genealogy_demo.xml",
        "demo/fsma_demo.xml",
        "demo/custody_demo.xml",
    ],
}
