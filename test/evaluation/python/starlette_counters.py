"""Tiny Starlette service for short-link redirects with click counting."""
from collections import defaultdict

from starlette.applications import Starlette
from starlette.endpoints import HTTPEndpoint
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

LINKS = {
    "docs": "https://docs.example.com",
    "status": "https://status.example.com",
    "careers": "https://example.com/jobs",
}
clicks: defaultdict[str, int] = defaultdict(int)
unknown_slugs: set[str] = set()


def redirect(request):
    slug = request.path_params["slug"]
    target = LINKS.get(slug)
    if target is None:
        unknown_slugs.add(slug)
        raise HTTPException(status_code=404)
    clicks[slug] += 1
    return RedirectResponse(target, status_code=302)


class ClickStats(HTTPEndpoint):
    def get(self, request):
        return JSONResponse({"clicks": dict(clicks), "unknown": sorted(unknown_slugs)})

    def delete(self, request):
        slug = request.path_params["slug"]
        clicks[slug] = max(clicks[slug] - 1, 0)
        return JSONResponse({"clicks": clicks[slug]})


routes = [
    Route("/r/{slug}", redirect),
    Route("/stats", ClickStats),
    Route("/stats/{slug}", ClickStats),
]

app = Starlette(routes=routes)
