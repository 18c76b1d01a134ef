# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The public acknowledge page of a recall notice: the link in the customer's e-mail.

No login: the notice's token (random, one per notice) is the key, and the page shows only
that customer's lots. The customer enters what they still hold of each lot and what they
did; every value is checked before anything is written (a wrong value: the page again with
the message, status 400).
"""
from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .errors import answer_errors

TEMPLATE = "lot_traceability.stock_lot_recall_notice_page"


class RecallNoticeController(http.Controller):

    @http.route("/recall/notice/<string:token>", type="http", auth="public",
                methods=["GET"], website=False)
    @answer_errors
    def notice_page(self, token, **kwargs):
        notice = request.env["stock.lot.recall.notice"]._find_by_token(token)
        return self._render(notice)

    @http.route("/recall/notice/<string:token>", type="http", auth="public",
                methods=["POST"], website=False)
    @answer_errors
    def notice_acknowledge(self, token, **post):
        notice = request.env["stock.lot.recall.notice"]._find_by_token(token)
        quantities = {line.id: post.get("qty_%d" % line.id) for line in notice.line_ids}
        try:
            notice._acknowledge(quantities, post.get("action"), post.get("comment"))
        except UserError as error:
            request.env.cr.rollback()
            return self._render(notice, error=error.name, values=post, status=400)
        return self._render(notice, done=True)

    @staticmethod
    def _render(notice, error=None, values=None, done=False, status=200):
        response = request.render(TEMPLATE, {
            "notice": notice, "recall": notice.recall_id, "error": error,
            "values": values or {}, "done": done,
            "actions": notice._fields["ack_action"]._description_selection(request.env),
        })
        response.status_code = status
        return response
