from collections.abc import Iterator, Sequence

import httpx

SHARES_API = "https://shares.example.net/v1/count"
COMMENTS_API = "https://comments.quillpost.example/api/threads"


def chunked(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def ping(client: httpx.AsyncClient, hub_url: str, feed_url: str) -> bool:
    try:
        resp = await client.post(hub_url, data={"hub.mode": "publish", "hub.url": feed_url})
    except httpx.HTTPError:
        return False
    return resp.status_code in (200, 202, 204)


async def share_count(client: httpx.AsyncClient, url: str) -> int:
    resp = await client.get(SHARES_API, params={"url": url})
    resp.raise_for_status()
    return int(resp.json()["count"])


async def comment_count(client: httpx.AsyncClient, slug: str) -> int:
    resp = await client.get(f"{COMMENTS_API}/{slug}")
    resp.raise_for_status()
    return int(resp.json()["total"])
