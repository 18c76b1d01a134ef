# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The resolver of label URLs: a phone scanning a label lands on the lot's page.

Answers this server's GS1 Digital Link URIs (``/01/<gtin>/10/<lot>``, ``/01/<gtin>/21/<serial>``,
optionally ``?17=...``) and the plain label URLs ``/lot/<product ref or id>/<lot>``. The URL is
read as it was sent (the raw request URI, so ``%2F`` in a lot stays inside its path segment) and
handed to the same matcher as every scan. A visitor who is not logged in goes through the
login page and comes back here.
"""
from html import escape
from urllib.parse import quote

import werkzeug
from werkzeug.urls import url_encode

from odoo import http
from odoo.http import request

from .errors import answer_errors


class DigitalLinkResolver(http.Controller):

    @http.route(["/01/<path:rest>", "/lot/<path:rest>"], type="http", auth="public",
                methods=["GET"], csrf=False)
    @answer_errors
    def resolve_label_url(self, rest=None, **kwargs):
        path = self._get_raw_path()
        if not request.session.uid:
            return werkzeug.utils.redirect("/web/login?" + url_encode({"redirect": path}), 303)
        result = request.env["stock.lot.scan"]._match(request.httprequest.host_url + path[1:])
        if result["status"] == "lot":
            return werkzeug.utils.redirect(result["lots"]._get_page_url(), 303)
        if result["status"] == "product":
            return werkzeug.utils.redirect("/web#" + url_encode({
                "model": "product.product", "id": result["product"].id,
                "view_type": "form"}), 303)
        return self._render_miss(result)

    @staticmethod
    def _get_raw_path():
        """Path and query as the client sent them (PATH_INFO has %2F decoded to '/')."""
        environ = request.httprequest.environ
        raw = environ.get("REQUEST_URI") or environ.get("RAW_URI")
        if raw and raw.startswith("/"):
            return raw
        query = environ.get("QUERY_STRING")
        return quote(request.httprequest.path) + ("?" + query if query else "")

    @staticmethod
    def _render_miss(result):
        """An ambiguous code lists its lots; an unknown or unreadable one says so."""
        items = "".join('<li><a href="%s">%s</a></li>' % (
            escape(lot._get_page_url()), escape(lot.display_name + " - "
                                                + lot.product_id.display_name))
            for lot in result["lots"])
        body = "<html><body><p>%s</p>%s<p><a href=\"/web\">Back</a></p></body></html>" % (
            escape(result["message"] or ""), "<ul>%s</ul>" % items if items else "")
        response = request.make_response(
            body, headers=[("Content-Type", "text/html; charset=utf-8")])
        response.status_code = 200 if result["status"] == "ambiguous" else 404
        return response
