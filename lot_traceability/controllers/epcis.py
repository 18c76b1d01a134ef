# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""``GET /epcis/events``: the events resource of the EPCIS 2.0 REST binding, read-only.

Who asks decides what is seen:

- HTTP basic authentication with an Odoo login and password: the events of what that user
  may read (a Traceability user; record rules apply). Run it behind HTTPS.
- ``Authorization: Bearer <token>``: a partner's token (``stock.lot.epcis.token``), showing
  only the events of the lots that the token's company shipped to that partner, of that
  company's moves only; a revoked token is refused.

The answer is an ``EPCISQueryDocument``; a next page is announced by a ``Link`` header
(``rel="next"``) carrying ``nextPageToken``. Problems are answered as the standard's RFC 7807
errors: 400 ``epcisException:QueryParameterException``, 401 / 403
``epcisException:SecurityException``; never a 500.
"""
import base64
import binascii
import json
from urllib.parse import urlencode

from odoo import SUPERUSER_ID, api, fields, http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..tools import epcis
from .errors import answer_errors

QUERY_ERROR = "epcisException:QueryParameterException"
SECURITY_ERROR = "epcisException:SecurityException"


class Unauthorized(Exception):
    """Missing, malformed or wrong credentials (Odoo 11's AccessDenied carries no text)."""


def _problem(status, kind, detail, headers=()):
    body = json.dumps({"type": kind, "title": detail, "status": status})
    response = request.make_response(
        body, headers=[("Content-Type", "application/problem+json")] + list(headers))
    response.status_code = status
    return response


class EpcisQuery(http.Controller):

    @http.route("/epcis/events", type="http", auth="none", methods=["GET"], csrf=False)
    @answer_errors
    def epcis_events(self, **params):
        if not request.db:
            return _problem(400, QUERY_ERROR, "No database: name it with ?db= or a db filter.")
        params.pop("db", None)
        try:
            env, partner_id, company_id = self._authenticate()
        except Unauthorized as error:
            return _problem(401, SECURITY_ERROR, str(error) or "Authentication required.",
                            [("WWW-Authenticate", 'Basic realm="epcis"')])
        try:
            result = env["stock.lot.epcis"].query_events(params, partner_id, company_id)
        except epcis.EpcisError as error:
            request.env.cr.rollback()
            return _problem(400, QUERY_ERROR, "%s: %s" % (error.path, error.reason))
        except AccessError as error:
            request.env.cr.rollback()
            return _problem(403, SECURITY_ERROR, error.name)
        except UserError as error:
            request.env.cr.rollback()
            return _problem(400, QUERY_ERROR, error.name)
        return self._answer(result, params)

    def _authenticate(self):
        """(environment, partner id or None, company id or None) of the caller, or
        Unauthorized. A token reads as the system, restricted to its partner and company."""
        header = request.httprequest.headers.get("Authorization") or ""
        scheme, _sep, value = header.partition(" ")
        cr = request.env.cr
        if scheme.lower() == "bearer":
            system = api.Environment(cr, SUPERUSER_ID, {})
            token = system["stock.lot.epcis.token"]._find(value.strip())
            if not token or not token.active:
                raise Unauthorized("Unknown or revoked token.")
            return system, token.partner_id.commercial_partner_id.id, token.company_id.id
        if scheme.lower() == "basic":
            try:
                login, _sep, password = base64.b64decode(value.strip()).decode(
                    "utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                raise Unauthorized("Malformed basic credentials.")
            uid = api.Environment(cr, 1, {})["res.users"]._login(request.db, login, password)
            if uid:
                return api.Environment(cr, uid, {}), None, None
            raise Unauthorized("Wrong login or password.")
        raise Unauthorized("Authentication required (basic or bearer token).")

    def _answer(self, result, params):
        document = {
            "@context": [epcis.CONTEXT], "type": "EPCISQueryDocument", "schemaVersion": "2.0",
            "creationDate": epcis.format_time(fields.Datetime.from_string(
                fields.Datetime.now())),
            "epcisBody": {"queryResults": {"queryName": "SimpleEventQuery",
                                           "resultsBody": {"eventList": result["events"]}}},
        }
        headers = [("Content-Type", "application/ld+json"), ("GS1-EPCIS-Version", "2.0.0")]
        if result["next_token"]:
            query = dict(params, nextPageToken=result["next_token"])
            headers.append(("Link", '<%s?%s>; rel="next"' % (
                request.httprequest.base_url, urlencode(sorted(query.items())))))
        return request.make_response(json.dumps(document), headers=headers)
