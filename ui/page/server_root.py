"""Where the server's root is, told to the browser in the page it loads, so that a page other
than the overview connects at once.

Streamlit's browser code does not know which part of a page's address is the app's root: on
``/activations`` it first asks ``/activations/_stcore/health``, which answers 404 (a page is
not the root), waits its retry delay (100 ms), and only then asks ``/_stcore/health`` and opens
the connection. Every first load of a page other than the overview (a lesson link, a new tab,
a shared experiment) waits for that delay before the script even starts.

The browser code reads the settings of a host that embeds Streamlit from ``window.__streamlit``
before it starts; ``BACKEND_BASE_URL`` there is the server's root. :class:`ServerRootHint`, an
ASGI middleware for ``st.App`` (``streamlit_app.py``), adds to the HTML page the server sends a
script that sets it to the page's address without its last segment when that segment is one of
the app's pages. Under any other address (a root, a prefix a proxy adds, an unknown segment) the
script leaves the address as it is, and the browser code's own search (that address, then its
parent) finds the root as before. A host that sets ``window.__streamlit`` itself is left alone.
"""

from __future__ import annotations

import json

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .site import PAGES

#: The last segment of every page's address (the overview's too: Streamlit also serves it as
#: ``/overview``).
PAGE_SEGMENTS = tuple(sorted({page.url_path or "overview" for page in PAGES}))

#: The script, first in the page's ``<head>`` (it runs before Streamlit's module scripts).
SCRIPT = (
    "<script>(() => {"
    "if (window.__streamlit && window.__streamlit.BACKEND_BASE_URL) return;"
    f"const pages = {json.dumps(PAGE_SEGMENTS)};"
    "const parts = location.pathname.replace(/\\/+$/, '').split('/');"
    "if (pages.includes(parts[parts.length - 1])) parts.pop();"
    "window.__streamlit = Object.assign({}, window.__streamlit,"
    " {BACKEND_BASE_URL: location.origin + parts.join('/') + '/'});"
    "})();</script>"
)
HEAD = b"<head>"


def is_page_request(scope: Scope) -> bool:
    """True for a GET whose answer may be the app's HTML page: not a file (no dot in the last
    segment) and not one of Streamlit's own routes."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    path = scope["path"]
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return "." not in last and "/_stcore/" not in f"{path}/" and "/media/" not in path


def with_hint(html: bytes) -> bytes:
    """``html`` with :data:`SCRIPT` right after its ``<head>`` (unchanged without one)."""
    at = html.find(HEAD)
    if at < 0:
        return html
    at += len(HEAD)
    return html[:at] + SCRIPT.encode() + html[at:]


class ServerRootHint:
    """ASGI middleware: the HTML page the app answers with carries :data:`SCRIPT` (see the
    module docstring). A page request is asked for uncompressed, as Streamlit serves its root
    document anyway (the page is a few kilobytes). Every other answer, and an HTML answer that
    is compressed or not successful, passes through unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not is_page_request(scope):
            await self.app(scope, receive, send)
            return
        plain = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
        scope = {**scope, "headers": plain}
        start: Message | None = None
        body: list[bytes] = []

        async def hinted(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=message["headers"])
                html = headers.get("content-type", "").startswith("text/html")
                if message["status"] == 200 and html and "content-encoding" not in headers:
                    start = message  # held until the whole body is here
                    return
            elif start is not None and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                page = with_hint(b"".join(body))
                headers = MutableHeaders(raw=list(start["headers"]))
                headers["content-length"] = str(len(page))
                await send({**start, "headers": headers.raw})
                await send({"type": "http.response.body", "body": page})
                return
            await send(message)

        await self.app(scope, receive, hinted)
