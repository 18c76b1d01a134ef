# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The resolver behind every label, following the parts of GS1's resolver standard listed below.

It answers this server's GS1 Digital Link URIs (every primary key of the standard, e.g.
``/01/<gtin>/10/<lot>?17=...``) and the plain label URLs ``/lot/<product ref or id>/<lot>``.
The URL is read as it was sent (the raw request URI, so ``%2F`` in a lot stays inside its path
segment) and handed to the same matcher as every scan.

A Digital Link URI that is not valid (a path that is no key-qualifier sequence, qualifiers out
of order, a wrong check digit, a forbidden query-string attribute) answers 400 with what is
wrong; a valid one this server does not know answers 404.

What it answers depends on ``linkType`` (``gs1:pip`` or its full URI
``https://gs1.org/voc/pip`` alike) and on who asks:

* ``gs1:pip`` (product information) and ``gs1:recallStatus``: the public page of the lot, for
  everyone: product, lot, best-before date and recall status in plain words, nothing else;
* ``gs1:traceability``: the lot's backend page, for Traceability users ("employees"); a visitor
  who is not logged in goes through the login page; any other user (a portal partner, an
  employee without traceability rights) gets the default link;
* ``linkType=linkset`` (or the deprecated ``all``), or no ``linkType`` and an ``Accept`` header
  that prefers ``application/linkset+json`` (or ``application/json``): the link set of the code
  (RFC 9264), never a redirect;
* no ``linkType`` or ``gs1:defaultLink``: the default link: the backend page for employees, the
  public page for everyone else;
* a ``linkType`` this resolver never offers (``gs1:nosuchlt``): 404, whatever the code; a
  known one the requester may not follow (a partner asking ``gs1:traceability``): the default.

A code that names a lot this server does not know gets a 404 page that says so, and never tells
whether the product exists. Every redirect carries a ``Link`` header to the link set. Every
answer allows any origin (CORS); GET, HEAD and OPTIONS are answered. ``/.well-known/gs1resolver``
describes the resolver (JSON).
"""
import json
import re
from html import escape
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import werkzeug
from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

from ..tools import gs1, labels
from .errors import answer_errors

PIP, RECALL, TRACEABILITY, ALL = "gs1:pip", "gs1:recallStatus", "gs1:traceability", "all"
LINKSET, DEFAULT_LINK = "linkset", "gs1:defaultLink"
#: linkType values that ask for the link set (``all``: its name before resolver 1.0).
LINKSET_REQUESTS = (LINKSET, ALL)
VOCABULARY = "https://gs1.org/voc/"
VOCABULARY_URIS = (VOCABULARY, "http://gs1.org/voc/")
LINK_TITLES = {
    PIP: "Product information",
    RECALL: "Recall status",
    TRACEABILITY: "Traceability (staff)",
}
#: Every linkType this resolver knows; any other one answers 404.
KNOWN_LINK_TYPES = frozenset(LINKSET_REQUESTS + (DEFAULT_LINK,) + tuple(LINK_TITLES))
LINKSET_TYPE = "application/linkset+json"
JSON_TYPE = "application/json"
METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_HEADERS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", ", ".join(METHODS)),
    ("Access-Control-Allow-Headers", "Accept, Accept-Language"),
    ("Access-Control-Expose-Headers", "Link, Location"),
]
DESCRIPTION_NAME = "Lot traceability resolver"
_INVALID_TITLE = "Invalid GS1 Digital Link"
_NO_LINK_TITLE = "No such link"
_NO_LINK_MESSAGE = "This resolver has no link of the type %s."
_NO_LINK_ANY = "This resolver has no link of that type."
# A link type named back to the reader only when it looks like one (gs1:pip): a page of the
# label's domain does not repeat any text a link carries ("THIS LOT IS RECALLED, call...").
_LINK_TYPE_SHOWN = re.compile(r"^[a-z][a-z0-9]{0,9}:[A-Za-z][A-Za-z0-9]{0,39}$")
ROUTES = ["/lot/<path:rest>"] + ["/%s/<path:rest>" % key for key in sorted(gs1.DL_PRIMARY_KEYS)]


class DigitalLinkResolver(http.Controller):

    @http.route(ROUTES, type="http", auth="public", methods=METHODS, csrf=False)
    def resolve_label_url(self, rest=None, **kwargs):
        if request.httprequest.method == "OPTIONS":
            return self._with_cors(self._options_response())
        return self._with_cors(self._resolve(self._read_link_type(kwargs.get("linkType"))))

    @http.route("/.well-known/gs1resolver", type="http", auth="public", methods=METHODS,
                csrf=False)
    def resolver_description(self, **kwargs):
        """The resolver description file of GS1's resolver standard."""
        if request.httprequest.method == "OPTIONS":
            return self._with_cors(self._options_response())
        description = {
            "name": DESCRIPTION_NAME,
            "resolverRoot": request.httprequest.host_url.rstrip("/"),
            "supportedPrimaryKeys": ["01"],
            "supportedLinkType": [{"namespace": VOCABULARY, "prefix": "gs1:"}],
            "linkTypeDefaultCanBeLinkset": False,
        }
        return self._with_cors(request.make_response(
            json.dumps(description, indent=1), headers=[("Content-Type", JSON_TYPE)]))

    @answer_errors
    def _resolve(self, link_type):
        path = self._get_raw_path()
        uri = request.httprequest.host_url + path[1:]
        invalid = self._syntax_error(uri)
        if invalid:
            return self._render_error(_INVALID_TITLE, invalid, 400)
        if link_type and link_type not in KNOWN_LINK_TYPES:
            message = _NO_LINK_MESSAGE % link_type if _LINK_TYPE_SHOWN.match(link_type) \
                else _NO_LINK_ANY
            return self._render_error(_NO_LINK_TITLE, message, 404)
        audience = self._get_audience()
        result = self._match(uri, audience)
        if result["gs1"] is not None and result["gs1"].key not in (None, "01"):
            # Other GS1 keys (SSCC, GLN, GIAI...) have no page here.
            result = dict(result, status="unknown")
        if link_type in LINKSET_REQUESTS or (not link_type and self._wants_json()):
            return self._linkset_response(uri, result, audience)
        if result["status"] == "lot":
            return self._lot_response(uri, result["lots"], link_type, audience)
        if result["status"] == "product" and not self._names_a_lot(result):
            return self._product_response(uri, result["product"], link_type, audience)
        if result["status"] == "ambiguous" and audience == "employee":
            return self._render_ambiguous(result)
        return self._render_unknown(result)

    # --- who asks, what was asked -----------------------------------------------------------
    @staticmethod
    def _read_link_type(value):
        """``linkType`` as a CURIE: ``https://gs1.org/voc/pip`` is ``gs1:pip``;
        ``gs1:defaultLink`` asks for the default, as no ``linkType`` does."""
        value = (value or "").strip()
        for namespace in VOCABULARY_URIS:
            if value.startswith(namespace) and len(value) > len(namespace):
                value = "gs1:" + value[len(namespace):]
        return "" if value == DEFAULT_LINK else value

    @staticmethod
    def _wants_json():
        """True when the Accept header prefers the link set (JSON) to a page."""
        accept = request.httprequest.accept_mimetypes
        return accept.best_match(["text/html", LINKSET_TYPE, JSON_TYPE],
                                 default="text/html") != "text/html"

    @staticmethod
    def _syntax_error(uri):
        """What is wrong with a Digital Link URI (any route but /lot/), or None when valid."""
        if request.httprequest.path.startswith("/lot/"):
            return None
        try:
            gs1.parse(uri)
        except gs1.GS1Error as error:
            return str(error)
        return None

    @staticmethod
    def _get_audience():
        """'employee' (a Traceability user), 'partner' (any other logged-in user: a portal
        partner, an employee without traceability rights) or 'anonymous'."""
        if not request.session.uid:
            return "anonymous"
        try:
            request.env["stock.lot.scan"]._check_traceability_access()
        except AccessError:
            return "partner"
        return "employee"

    @staticmethod
    def _match(uri, audience):
        """The matcher's answer; visitors and partners read through the resolver's sudo,
        which only ever shows the public page."""
        scan = request.env["stock.lot.scan"]
        return (scan if audience == "employee" else scan.sudo())._match(uri)

    @staticmethod
    def _names_a_lot(result):
        parsed = result["gs1"]
        return bool(parsed is None or parsed.lot or parsed.serial)

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
    def _with_link_type(uri, link_type):
        """``uri`` with its ``linkType`` replaced by ``link_type``."""
        parts = urlsplit(uri)
        query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True)
                 if key != "linkType"] + [("linkType", link_type)]
        return parts._replace(query=urlencode(query), fragment="").geturl()

    # --- links -----------------------------------------------------------------------------
    @staticmethod
    def _available_links(found, audience):
        """Link types this requester can follow for a found lot or product, default first."""
        public = [PIP, RECALL]
        if not found:
            return []
        if audience == "employee":
            return [TRACEABILITY] + public
        return public + ([TRACEABILITY] if audience == "anonymous" else [])

    def _linkset_response(self, uri, result, audience):
        found = result["status"] in ("lot", "product") and not (
            result["status"] == "product" and self._names_a_lot(result))
        links = self._available_links(found, audience)
        anchor = self._with_link_type(uri, LINKSET).split("?")[0]
        entry = {"anchor": anchor}
        for link_type in links:
            entry[VOCABULARY + link_type.split(":")[1]] = [{
                "href": self._with_link_type(uri, link_type), "title": LINK_TITLES[link_type],
                "type": "text/html"}]
        if links:
            entry[VOCABULARY + "defaultLink"] = [{
                "href": self._with_link_type(uri, links[0]), "title": LINK_TITLES[links[0]],
                "type": "text/html"}]
        # Only a client that prefers plain JSON gets it labelled so.
        content_type = request.httprequest.accept_mimetypes.best_match(
            [LINKSET_TYPE, JSON_TYPE], default=LINKSET_TYPE)
        response = request.make_response(json.dumps({"linkset": [entry]}, indent=1),
                                         headers=[("Content-Type", content_type)])
        response.status_code = 200 if links else 404
        return response

    def _redirect(self, uri, location):
        response = werkzeug.utils.redirect(location, 303)
        response.headers["Link"] = '<%s>; rel="linkset"; type="%s"' % (
            self._with_link_type(uri, LINKSET), LINKSET_TYPE)
        return response

    @staticmethod
    def _options_response():
        return werkzeug.wrappers.Response(status=204, headers=[("Allow", ", ".join(METHODS))])

    @staticmethod
    def _with_cors(response):
        """Any origin may read the resolver's answers (GS1: a resolver supports CORS)."""
        for name, value in CORS_HEADERS:
            response.headers[name] = value
        response.headers["Vary"] = "Accept"
        return response

    def _chosen(self, link_type, audience):
        """The link type served: the one asked if this requester has it, else the default."""
        links = self._available_links(True, audience)
        return link_type if link_type in links else links[0]

    def _lot_response(self, uri, lot, link_type, audience):
        chosen = self._chosen(link_type, audience)
        if chosen == TRACEABILITY and audience == "anonymous":
            return self._redirect(uri, "/web/login?" + url_encode({
                "redirect": self._get_raw_path()}))
        if chosen == TRACEABILITY:
            return self._redirect(uri, lot._get_page_url())
        return self._render_public(request.env["stock.production.lot"].sudo().browse(lot.id),
                                   chosen)

    def _product_response(self, uri, product, link_type, audience):
        chosen = self._chosen(link_type, audience)
        if chosen == TRACEABILITY and audience == "anonymous":
            return self._redirect(uri, "/web/login?" + url_encode({
                "redirect": self._get_raw_path()}))
        if chosen == TRACEABILITY:
            return self._redirect(uri, "/web#" + url_encode({
                "model": "product.product", "id": product.id, "view_type": "form"}))
        return request.render("lot_traceability.lot_public_page", {
            "product_name": product.sudo().name, "lot": None, "link_type": chosen})

    # --- pages -----------------------------------------------------------------------------
    @staticmethod
    def _render_public(lot, link_type):
        """The public page: product, lot, best before, recall status; nothing else."""
        status = request.env["stock.lot.recall"].sudo().get_public_status(lot.ids)[lot.id]
        return request.render("lot_traceability.lot_public_page", dict(
            status, product_name=lot.product_id.name, lot=lot.name,
            serial=lot.product_id.tracking == "serial", link_type=link_type,
            best_before=lot.use_date and lot.use_date[:10],
            use_by=lot.life_date and lot.life_date[:10]))

    @staticmethod
    def _render_unknown(result):
        """404 that tells nothing about what exists: the same page for an unknown lot of a
        known product, an unknown product or an unreadable code."""
        parsed, lot_url = result["gs1"], labels.parse_lot_url(result["code"])
        code = (parsed and (parsed.lot or parsed.serial)) or (lot_url and lot_url[1]) or ""
        response = request.render("lot_traceability.lot_public_unknown", {"code": code})
        response.status_code = 404
        return response

    @staticmethod
    def _render_error(title, message, status):
        """A public page saying ``message`` (what is wrong with the request, nothing stored)."""
        response = request.render("lot_traceability.lot_public_error",
                                  {"title": title, "message": message})
        response.status_code = status
        return response

    @staticmethod
    def _render_ambiguous(result):
        """For employees: the lots the code names, each linking to its page."""
        items = "".join('<li><a href="%s">%s</a></li>' % (
            escape(lot._get_page_url()), escape(lot.display_name + " - "
                                                + lot.product_id.display_name))
            for lot in result["lots"])
        body = "<html><body><p>%s</p><ul>%s</ul><p><a href=\"/web\">Back</a></p></body>" \
               "</html>" % (escape(result["message"] or ""), items)
        return request.make_response(body, headers=[("Content-Type", "text/html; charset=utf-8")])
