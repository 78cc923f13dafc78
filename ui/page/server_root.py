"""Where the server's root is, told to the browser in the page it loads, so that a page other
than the overview connects at once.

Streamlit's browser code does not know which part of a page's address is the app's root: on
``/activations`` it first asks ``/activations/_stcore/health``, which answers 404 (a page is
not the root), waits its retry delay (100 ms), and only then asks ``/_stcore/health`` and opens
the connection. Every first load of a page other than the overview (a lesson link, a new tab,
a shared experiment) waits for that delay before the script even starts.

The browser code reads the settings of a host that embeds Streamlit from ``window.__streamlit``
before it starts; ``BACKEND_BASE_URL`` there is the server's root. :class:`ServerRootHint`, an
ASGI middleware for ``st.App`` (``streamlit_app.py``), adds to the HTML page the server sends
for one of the app's pages a script that sets it to the page's address without its last
segment, the page's own. The server, not the browser, decides that the request names a page:
under a prefix a proxy adds, the prefix's last segment may be spelled like a page (``/lab``),
and the root under it must stay the root. Any other answer (the root, an unknown address) gets
no script, and the browser code's own search (that address, then its parent) finds the root as
before. A host that sets ``window.__streamlit`` itself is left alone.
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config

from .site import PAGES

#: The last segment of every page's address (see :attr:`ui.page.site.Page.segment`).
PAGE_SEGMENTS = frozenset(page.segment for page in PAGES)
HEAD = b"<head>"


def script(segment: str) -> str:
    """The script for the page whose address ends in ``segment``: first in the ``<head>``, it
    runs before Streamlit's module scripts."""
    return (
        "<script>(() => {"
        "if (window.__streamlit && window.__streamlit.BACKEND_BASE_URL) return;"
        "const parts = location.pathname.replace(/\\/+$/, '').split('/');"
        f"if (parts.pop() !== {json.dumps(segment)}) return;"
        "window.__streamlit = Object.assign({}, window.__streamlit,"
        " {BACKEND_BASE_URL: location.origin + parts.join('/') + '/'});"
        "})();</script>"
    )


def page_segment(scope: Scope) -> str | None:
    """The page a GET of ``/<page>`` asks for (the server's ``server.baseUrlPath`` left out of
    the address), or None for anything else: the root, a file, one of Streamlit's own routes,
    an unknown or longer address."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return None
    path = scope["path"].strip("/")
    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    if base:
        if path != base and not path.startswith(f"{base}/"):
            return None
        path = path[len(base) :].strip("/")
    return path if path in PAGE_SEGMENTS else None


def with_hint(html: bytes, segment: str) -> bytes:
    """``html`` with :func:`script` for ``segment`` right after its ``<head>`` (unchanged
    without one)."""
    at = html.find(HEAD)
    if at < 0:
        return html
    at += len(HEAD)
    return html[:at] + script(segment).encode() + html[at:]


class ServerRootHint:
    """ASGI middleware: the HTML page the app answers a page's address with carries
    :func:`script` (see the module docstring). A page request is asked for uncompressed, as
    Streamlit serves its root document anyway (the page is a few kilobytes). Every other
    answer, and an HTML answer that is compressed or not successful, passes through
    unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        segment = page_segment(scope)
        if segment is None:
            await self.app(scope, receive, send)
            return
        plain = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
        scope = {**scope, "headers": plain}
        start: Message | None = None
        body: list[bytes] = []

        async def hinted(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                html = headers.get("content-type", "").startswith("text/html")
                if message["status"] == 200 and html and "content-encoding" not in headers:
                    start = message  # held until the whole body is here
                    return
            elif start is not None and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                page = with_hint(b"".join(body), segment)
                headers = MutableHeaders(raw=list(start["headers"]))
                headers["content-length"] = str(len(page))
                await send({**start, "headers": headers.raw})
                await send({"type": "http.response.body", "body": page})
                return
            await send(message)

        await self.app(scope, receive, hinted)
