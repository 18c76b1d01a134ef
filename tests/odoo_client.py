"""A small JSON-RPC client for the live end-to-end server (the same calls the web client makes)."""
import itertools

import requests


class RPCError(Exception):
    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name", "")
        self.message = data.get("message") or error.get("message", "")
        super(RPCError, self).__init__("%s: %s" % (self.name, self.message))


class OdooClient(object):
    _ids = itertools.count(1)

    def __init__(self, url, db, host=None):
        """``host``: the Host header to send (a server serving several databases picks one
        by it, through its db filter), else the URL's."""
        self.url = url.rstrip("/")
        self.db = db
        self.session = requests.Session()
        if host:
            self.session.headers["Host"] = host
        self.uid = None

    def call(self, path, **params):
        payload = {"jsonrpc": "2.0", "method": "call", "id": next(self._ids), "params": params}
        response = self.session.post(self.url + path, json=payload, timeout=120)
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            raise RPCError(body["error"])
        return body.get("result")  # Odoo leaves "result" out when a method returns None

    def login(self, login, password):
        result = self.call("/web/session/authenticate", db=self.db, login=login, password=password)
        self.uid = result["uid"]
        if not self.uid:
            raise RPCError({"message": "login refused for %s" % login})
        return self

    def execute(self, model, method, *args, **kwargs):
        return self.call("/web/dataset/call_kw/%s/%s" % (model, method), model=model,
                         method=method, args=list(args), kwargs=kwargs)

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.execute("ir.model.data", "search_read",
                            [("module", "=", module), ("name", "=", name)], ["model", "res_id"])
        return rows[0]["res_id"] if rows else None

    def get(self, path):
        response = self.session.get(self.url + path, timeout=180)
        response.raise_for_status()
        return response
