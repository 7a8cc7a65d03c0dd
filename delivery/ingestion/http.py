"""Pulling records from HTTP JSON APIs: Socrata (SODA), CKAN ``datastore_search``, and any JSON
document with a path to its records (optionally a path to the next page's link).

Every request goes through the source's Retrier: a timeout, a refused connection, HTTP 5xx, 408
or 429 is tried again with backoff; any other HTTP error, or an answer that is not the JSON
expected, fails the pull at once with the reason.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Mapping
from contextlib import suppress
from functools import partial
from typing import Any, Protocol
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urljoin, urlsplit
from urllib.request import (
    HTTPHandler,
    HTTPSHandler,
    OpenerDirector,
    Request,
    build_opener,
)

from delivery.i18n.worded import Number, w_
from delivery.ingestion.errors import Retrier, SourceError, TransientError

USER_AGENT = "delivery-tracker-ingestion/1"
RETRY_STATUSES = {408, 429}


class HttpClient(Protocol):
    def get_json(self, url: str, *, params: Mapping[str, str], headers: Mapping[str, str],
                 timeout: float) -> Any: ...


class UrllibClient:
    """GET a JSON document with the standard library; errors become Source/TransientError.

    ``timeout`` bounds the whole request, not each read: a server that trickles its answer a
    byte at a time is cut off when it runs out (a timer shuts the connection's socket, which
    ends any read in progress, headers included). An answer longer than ``max_bytes`` is
    refused as it arrives.
    """

    def __init__(self, max_bytes: int = 200 << 20) -> None:
        self.max_bytes = max_bytes

    def get_json(self, url: str, *, params: Mapping[str, str], headers: Mapping[str, str],
                 timeout: float) -> Any:
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
        request = Request(url, headers={"Accept": "application/json",
                                        "User-Agent": USER_AGENT, **headers})
        host = urlsplit(url).netloc
        sockets: list[socket.socket] = []
        expired = threading.Event()
        cut_off = threading.Timer(timeout, _shut, (sockets, expired))
        cut_off.daemon = True
        cut_off.start()
        try:
            with _opener(sockets).open(request, timeout=timeout) as response:
                body = _read_at_most(response, self.max_bytes, host)
        except (OSError, http.client.HTTPException) as exc:
            if expired.is_set():
                raise _too_slow(host, timeout) from None
            raise _failure(exc, host, timeout) from None
        finally:
            cut_off.cancel()
        if expired.is_set():  # the socket was shut at the very end of the answer
            raise _too_slow(host, timeout)
        try:
            return json.loads(body)
        except ValueError:
            raise SourceError(w_("{host} answered with something that is not JSON: "
                                "{excerpt}", host=host, excerpt=repr(_excerpt(body)))
                              ) from None


def _opener(sockets: list[socket.socket]) -> OpenerDirector:
    """An opener that notes the socket of each connection it opens, so it can be shut."""

    class Http(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            sockets.append(self.sock)

    class Https(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            sockets.append(self.sock)

    class HttpHandler(HTTPHandler):
        def http_open(self, req: Request) -> http.client.HTTPResponse:
            return self.do_open(Http, req)

    class HttpsHandler(HTTPSHandler):
        def https_open(self, req: Request) -> http.client.HTTPResponse:
            return self.do_open(Https, req, context=self._context)  # type: ignore[attr-defined]

    return build_opener(HttpHandler, HttpsHandler)


def _failure(exc: BaseException, host: str, timeout: float) -> SourceError:
    if isinstance(exc, HTTPError):
        excerpt = _excerpt(exc.read())
        reason = (w_("HTTP {code} from {host}: {excerpt}", code=exc.code, host=host,
                     excerpt=excerpt) if excerpt else
                  w_("HTTP {code} from {host}", code=exc.code, host=host))
        if exc.code >= 500 or exc.code in RETRY_STATUSES:
            return TransientError(reason)
        return SourceError(reason)
    if isinstance(exc, TimeoutError) or (isinstance(exc, URLError)
                                         and isinstance(exc.reason, TimeoutError)):
        return _too_slow(host, timeout)
    if isinstance(exc, URLError):
        return TransientError(w_("cannot reach {host}: {reason}", host=host,
                                                                         reason=exc.reason))
    return TransientError(w_("{host} broke off the answer: {reason}", host=host,
                                                                             reason=repr(exc)))


def _too_slow(host: str, timeout: float) -> TransientError:
    return TransientError(w_("{host} did not answer within {seconds}s",
        host=host, seconds=Number(timeout)))


def _shut(sockets: list[socket.socket], expired: threading.Event) -> None:
    expired.set()
    for sock in sockets:
        with suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)


def _read_at_most(response: http.client.HTTPResponse, limit: int, host: str) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise SourceError(w_("{host} announced an answer of {size} MB; at most {limit} MB is "
                            "read", host=host,
                                           size=Number(int(declared) / (1 << 20),
                                                               decimals=1),
                                           limit=Number(limit / (1 << 20))))
    chunks, size = [], 0
    while chunk := response.read1(1 << 16):
        size += len(chunk)
        if size > limit:
            raise SourceError(w_("{host} sent more than {limit} MB; the answer was not "
                                "read", host=host, limit=Number(limit / (1 << 20))))
        chunks.append(chunk)
    return b"".join(chunks)


def socrata_records(client: HttpClient, config: Mapping[str, Any], *, headers: Mapping[str, str],
                    params: Mapping[str, str], timeout: float, retrier: Retrier) -> list[Any]:
    """Every record of a SODA query, page by page with ``$limit``/``$offset`` (ordered, so
    that pages do not overlap), filtered by ``$where``."""
    limit = int(config["page_size"])
    query = {"$order": str(config["order"]), **dict(params)}
    if config.get("where"):
        query["$where"] = str(config["where"])
    if config.get("select"):
        query["$select"] = str(config["select"])
    records: list[Any] = []
    while True:
        offset = len(records)
        page = retrier.call(w_("page at offset {offset}", offset=offset), partial(
            client.get_json, str(config["url"]), headers=headers, timeout=timeout,
            params={**query, "$limit": str(limit), "$offset": str(offset)}))
        if not isinstance(page, list):
            raise SourceError(w_("the page at offset {offset} is not a list of records: "
                                "{excerpt}", offset=offset,
                                                    excerpt=repr(_excerpt(json.dumps(page)))))
        records += page
        if len(page) < limit:
            return records


def ckan_records(client: HttpClient, config: Mapping[str, Any], *, headers: Mapping[str, str],
                 params: Mapping[str, str], timeout: float, retrier: Retrier) -> list[Any]:
    """Every record of a CKAN datastore resource, page by page with ``limit``/``offset``.

    CKAN's own ``_id`` (and ``_full_text``) columns are dropped: they are not data.
    """
    url = str(config["url"]).rstrip("/")
    if not url.endswith("datastore_search"):
        url += "/api/3/action/datastore_search"
    limit = int(config["page_size"])
    query = {"resource_id": str(config["resource_id"]), "sort": str(config["sort"]),
             **dict(params)}
    if config.get("filters"):
        query["filters"] = json.dumps(config["filters"], ensure_ascii=False)
    if config.get("q"):
        query["q"] = str(config["q"])
    records: list[Any] = []
    while True:
        offset = len(records)
        answer = retrier.call(w_("page at offset {offset}", offset=offset), partial(
            client.get_json, url, headers=headers, timeout=timeout,
            params={**query, "limit": str(limit), "offset": str(offset)}))
        page, total = _ckan_page(answer, offset)
        records += [{k: v for k, v in r.items() if k not in ("_id", "_full_text")}
                    if isinstance(r, dict) else r for r in page]
        if len(page) < limit or (total is not None and len(records) >= total):
            return records


def json_records(client: HttpClient, config: Mapping[str, Any], *, headers: Mapping[str, str],
                 params: Mapping[str, str], timeout: float, retrier: Retrier) -> list[Any]:
    """The records at ``records`` (a dotted path; empty: the document is the list), following
    the link at ``next`` page after page when the source gives one."""
    url: str | None = str(config["url"])
    query = {**{k: str(v) for k, v in (config.get("params") or {}).items()}, **dict(params)}
    records: list[Any] = []
    for page_number in range(1, int(config["max_pages"]) + 1):
        assert url is not None
        document = retrier.call(w_("page {number}", number=page_number), partial(
            client.get_json, url, params=query, headers=headers, timeout=timeout))
        page = dig(document, str(config.get("records") or ""))
        if not isinstance(page, list):
            raise SourceError(
                w_("page {number}: {where} is not a list of records",
                    number=page_number, where=config.get("records") or w_("the document")))
        records += page
        link = dig(document, str(config["next"])) if config.get("next") else None
        if not link:
            return records
        # A next link carries its own query; only the credentials are sent again.
        url, query = urljoin(url, str(link)), dict(params)
    raise SourceError(w_("more than max_pages ({pages}) pages: is `next` right?",
        pages=config["max_pages"]))


def dig(document: Any, path: str) -> Any:
    """The value at a dotted path (``data.items``; a number picks from a list), else None."""
    value = document
    for part in filter(None, path.split(".")):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _ckan_page(answer: Any, offset: int) -> tuple[list[Any], int | None]:
    if not isinstance(answer, dict) or "success" not in answer:
        raise SourceError(w_("the page at offset {offset} is not a CKAN action answer",
            offset=offset))
    if not answer["success"]:
        error = answer.get("error") or {}
        message = error.get("message") if isinstance(error, dict) else error
        raise SourceError(w_("CKAN refused the query: {reason}",
            reason=message or answer.get("error")))
    result = answer.get("result") or {}
    page = result.get("records")
    if not isinstance(page, list):
        raise SourceError(w_("the page at offset {offset} has no list of records",
            offset=offset))
    total = result.get("total")
    return page, total if isinstance(total, int) else None


def _excerpt(body: bytes | str, size: int = 200) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size] + "..."
