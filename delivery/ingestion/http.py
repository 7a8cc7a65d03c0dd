"""Pulling records from HTTP JSON APIs: Socrata (SODA), CKAN ``datastore_search``, and any JSON
document with a path to its records (optionally a path to the next page's link).

Every request goes through the source's Retrier: a timeout, a refused connection, HTTP 5xx, 408
or 429 is tried again with backoff; any other HTTP error, or an answer that is not the JSON
expected, fails the pull at once with the reason.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Mapping
from functools import partial
from typing import Any, Protocol
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urljoin, urlsplit
from urllib.request import Request, urlopen

from delivery.ingestion.errors import Retrier, SourceError, TransientError

USER_AGENT = "delivery-tracker-ingestion/1"
RETRY_STATUSES = {408, 429}


class HttpClient(Protocol):
    def get_json(self, url: str, *, params: Mapping[str, str], headers: Mapping[str, str],
                 timeout: float) -> Any: ...


class UrllibClient:
    """GET a JSON document with the standard library; errors become Source/TransientError."""

    def get_json(self, url: str, *, params: Mapping[str, str], headers: Mapping[str, str],
                 timeout: float) -> Any:
        if params:
            url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
        request = Request(url, headers={"Accept": "application/json",
                                        "User-Agent": USER_AGENT, **headers})
        host = urlsplit(url).netloc
        try:
            with urlopen(request, timeout=timeout) as response:
                body = response.read()
        except HTTPError as exc:
            excerpt = _excerpt(exc.read())
            reason = f"HTTP {exc.code} from {host}" + (f": {excerpt}" if excerpt else "")
            if exc.code >= 500 or exc.code in RETRY_STATUSES:
                raise TransientError(reason) from None
            raise SourceError(reason) from None
        except TimeoutError:
            raise TransientError(f"{host} did not answer within {timeout:g}s") from None
        except URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise TransientError(f"{host} did not answer within {timeout:g}s") from None
            raise TransientError(f"cannot reach {host}: {exc.reason}") from None
        except (ConnectionError, http.client.HTTPException) as exc:
            raise TransientError(f"{host} broke off the answer: {exc!r}") from None
        try:
            return json.loads(body)
        except ValueError:
            raise SourceError(f"{host} answered with something that is not JSON: "
                              f"{_excerpt(body)!r}") from None


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
        page = retrier.call(f"page at offset {offset}", partial(
            client.get_json, str(config["url"]), headers=headers, timeout=timeout,
            params={**query, "$limit": str(limit), "$offset": str(offset)}))
        if not isinstance(page, list):
            raise SourceError(f"the page at offset {offset} is not a list of records: "
                              f"{_excerpt(json.dumps(page))!r}")
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
        answer = retrier.call(f"page at offset {offset}", partial(
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
        document = retrier.call(f"page {page_number}", partial(
            client.get_json, url, params=query, headers=headers, timeout=timeout))
        page = dig(document, str(config.get("records") or ""))
        if not isinstance(page, list):
            raise SourceError(f"page {page_number}: {config.get('records') or 'the document'!s} "
                              f"is not a list of records")
        records += page
        link = dig(document, str(config["next"])) if config.get("next") else None
        if not link:
            return records
        # A next link carries its own query; only the credentials are sent again.
        url, query = urljoin(url, str(link)), dict(params)
    raise SourceError(f"more than max_pages ({config['max_pages']}) pages: is `next` right?")


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
        raise SourceError(f"the page at offset {offset} is not a CKAN action answer")
    if not answer["success"]:
        error = answer.get("error") or {}
        message = error.get("message") if isinstance(error, dict) else error
        raise SourceError(f"CKAN refused the query: {message or answer.get('error')}")
    result = answer.get("result") or {}
    page = result.get("records")
    if not isinstance(page, list):
        raise SourceError(f"the page at offset {offset} has no list of records")
    total = result.get("total")
    return page, total if isinstance(total, int) else None


def _excerpt(body: bytes | str, size: int = 200) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size] + "..."
