"""The hint of the server's root in the app's HTML page (ui/page/server_root.py), as ASGI
middleware over a stand-in app. The browser reading it is tested in tests/test_browser.py."""

import pytest

from ui.page import server_root
from ui.page.site import PAGES

PAGE = b"<!DOCTYPE html><html><head><meta charset='UTF-8'></head><body></body></html>"


def request(path: str, method: str = "GET", encoding: bytes | None = b"gzip, br") -> dict:
    headers = [(b"host", b"example.org")]
    if encoding is not None:
        headers.append((b"accept-encoding", encoding))
    return {"type": "http", "method": method, "path": path, "headers": headers}


def answer(chunks: list[bytes], content_type: bytes, status: int = 200, gzip: bool = False):
    """A stand-in app answering every request with ``chunks``; it records the request."""
    seen = {}

    async def app(scope, receive, send):
        seen["scope"] = scope
        headers = [(b"content-type", content_type),
                   (b"content-length", str(sum(map(len, chunks))).encode())]  # fmt: skip
        if gzip:
            headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for i, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk,
                        "more_body": i < len(chunks) - 1})  # fmt: skip

    return app, seen


def finish(coroutine) -> None:
    """Run ``coroutine`` to its end without an event loop (another test may have left one
    running in this thread): the middleware over the stand-in app never waits for anything,
    so one step ends it."""
    with pytest.raises(StopIteration):
        coroutine.send(None)


def through(app, scope) -> tuple[dict, bytes]:
    """The middleware's answer to ``scope``: (its start message, the whole body)."""
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    finish(server_root.ServerRootHint(app)(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0], body


def test_the_script_goes_first_in_the_head_and_the_length_follows():
    hinted = server_root.with_hint(PAGE)
    assert hinted.startswith(b"<!DOCTYPE html><html><head><script>")
    assert hinted.endswith(b"</script><meta charset='UTF-8'></head><body></body></html>")
    assert hinted.replace(server_root.SCRIPT.encode(), b"") == PAGE
    assert server_root.with_hint(b"no head here") == b"no head here"


def test_every_page_of_the_site_is_named_in_the_script():
    for page in PAGES:
        assert f'"{page.url_path or "overview"}"' in server_root.SCRIPT


@pytest.mark.parametrize(
    "path, page",
    [("/", True), ("/activations", True), ("/gl/lab", True), ("/lab/", True),
     ("/static/js/index.js", False), ("/favicon.png", False), ("/_stcore/health", False),
     ("/activations/_stcore/host-config", False), ("/_stcore/stream", False),
     ("/media/abc", False)],
)  # fmt: skip
def test_only_a_get_of_a_page_address_is_a_page_request(path, page):
    assert server_root.is_page_request(request(path)) is page
    assert not server_root.is_page_request(request(path, method="POST"))
    assert not server_root.is_page_request({**request(path), "type": "websocket"})


def test_a_page_comes_uncompressed_with_the_hint_whole_in_several_chunks():
    app, seen = answer([PAGE[:20], PAGE[20:50], PAGE[50:]], b"text/html; charset=utf-8")
    start, body = through(app, request("/activations"))
    assert body == server_root.with_hint(PAGE)
    headers = dict(start["headers"])
    assert headers[b"content-length"] == str(len(body)).encode()
    assert start["status"] == 200
    asked = dict(seen["scope"]["headers"])
    assert b"accept-encoding" not in asked and asked[b"host"] == b"example.org"


@pytest.mark.parametrize(
    "path, content_type, status, gzip",
    [("/activations", b"text/html", 404, False),  # not the page: left as it is
     ("/activations", b"text/html", 200, True),  # compressed by someone else: left as it is
     ("/activations", b"application/json", 200, False),
     ("/static/js/index.js", b"text/html", 200, False)],  # not a page request at all
)  # fmt: skip
def test_any_other_answer_passes_unchanged(path, content_type, status, gzip):
    app, seen = answer([PAGE], content_type, status, gzip)
    start, body = through(app, request(path))
    assert body == PAGE
    assert dict(start["headers"])[b"content-length"] == str(len(PAGE)).encode()
    assert start["status"] == status
