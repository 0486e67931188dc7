import asyncio
import json
from decimal import Decimal

import httpx
from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponseNotAllowed, JsonResponse

from . import feeds, services
from .models import Article

HUB_BATCH = 10


async def article_detail(request: HttpRequest, pk: int) -> JsonResponse:
    views = await sync_to_async(services.record_view)(pk)
    article = await Article.objects.aget(pk=pk)
    return JsonResponse({"title": article.title, "views": views})


async def clap(request: HttpRequest, pk: int) -> JsonResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = await Article.objects.aget(pk=pk)
    article.claps += 1
    await article.asave(update_fields=["claps"])
    return JsonResponse({"claps": article.claps})


async def clap_many(request: HttpRequest, pk: int) -> JsonResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    count = int(json.loads(request.body).get("count", 1))
    await sync_to_async(services.add_claps)(pk, min(count, 50))
    return JsonResponse({"ok": True})


async def payout(request: HttpRequest, author_id: int) -> JsonResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    amount = Decimal(json.loads(request.body)["amount"])
    balance = await sync_to_async(services.pay_author)(author_id, amount)
    return JsonResponse({"balance": str(balance)})


async def payout_strict(request: HttpRequest, author_id: int) -> JsonResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    amount = Decimal(json.loads(request.body)["amount"])
    balance = await sync_to_async(services.pay_author_locked)(author_id, amount)
    return JsonResponse({"balance": str(balance)})


async def publish(request: HttpRequest, pk: int) -> JsonResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = await sync_to_async(services.publish)(pk)
    return JsonResponse({"status": article.status})


async def boost(request: HttpRequest, pk: int) -> JsonResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    claps = await sync_to_async(services.boost_claps)(pk, 10)
    return JsonResponse({"claps": claps})


async def ping_hubs(request: HttpRequest, pk: int) -> JsonResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    hubs = json.loads(request.body)["hubs"]
    feed_url = request.build_absolute_uri(f"/articles/{pk}/feed.xml")
    async with httpx.AsyncClient(timeout=5.0) as client:
        results = await asyncio.gather(*(feeds.ping(client, hub, feed_url) for hub in hubs))
    return JsonResponse({"pinged": sum(results), "hubs": len(hubs)})


async def ping_hubs_batched(request: HttpRequest, pk: int) -> JsonResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    hubs = json.loads(request.body)["hubs"]
    feed_url = request.build_absolute_uri(f"/articles/{pk}/feed.xml")
    results: list[bool] = []
    async with httpx.AsyncClient(timeout=5.0) as client:
        for batch in feeds.chunked(hubs, HUB_BATCH):
            results.extend(await asyncio.gather(*(feeds.ping(client, hub, feed_url) for hub in batch)))
    return JsonResponse({"pinged": sum(results), "hubs": len(hubs)})


async def article_stats(request: HttpRequest, pk: int) -> JsonResponse:
    article = await Article.objects.aget(pk=pk)
    url = request.build_absolute_uri(f"/articles/{article.slug}/")
    async with httpx.AsyncClient(timeout=5.0) as client:
        shares, comments = await asyncio.gather(
            feeds.share_count(client, url),
            feeds.comment_count(client, article.slug),
        )
    return JsonResponse({"views": article.views, "shares": shares, "comments": comments})
