# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One answer of the addon's routes to what a caller got wrong: a 4xx page, never a 500.

:func:`answer_errors` wraps a route: the Odoo refusals raised while it runs (rights,
missing records, rules, argument checks) become a small page with the message and a 4xx
status (403 rights, 404 missing record, 400 anything else), the request's transaction rolled
back.
"""
import functools
from html import escape

from odoo.exceptions import AccessDenied, AccessError, MissingError, except_orm
from odoo.http import request

from ..tools import inputs

STATUS = ((AccessError, 403), (AccessDenied, 403), (MissingError, 404))


def error_response(message, status):
    """A plain page saying ``message`` with HTTP ``status``."""
    body = ("<html><body><p>%s</p><p><a href=\"/web\">Back</a></p></body></html>"
            % escape(message))
    response = request.make_response(
        body, headers=[("Content-Type", "text/html; charset=utf-8")])
    response.status_code = status
    return response


def answer_errors(route):
    """Decorator of a route method (under ``@http.route``): refusals answer 4xx."""
    @functools.wraps(route)
    def answered(*args, **kwargs):
        try:
            return route(*args, **kwargs)
        except (except_orm, AccessDenied, inputs.InputError) as error:
            # The request's work is undone whole (a savepoint would not do: rendering a PDF
            # may release it).
            request.env.cr.rollback()
            status = next((code for kind, code in STATUS if isinstance(error, kind)), 400)
            message = error.name if isinstance(error, except_orm) else str(error)
            return error_response(message, status)
    return answered
