"""Article reactions and views. Sync endpoints guarded by threading locks."""
import threading
from collections import Counter

from fastapi import FastAPI, HTTPException

from .db import fetch_article

app = FastAPI()

_stats_lock = threading.Lock()
_reactions_lock = threading.RLock()

views: Counter[int] = Counter()
likes: dict[int, int] = {}
reactions: dict[int, dict[str, int]] = {}
assigned_editor: dict[int, str] = {}


@app.get("/articles/{article_id}")
def get_article(article_id: int):
    article = fetch_article(article_id)
    if article is None:
        raise HTTPException(404)
    with _stats_lock:
        views[article_id] += 1
    return article


@app.post("/articles/{article_id}/like")
def like_article(article_id: int):
    current = likes.get(article_id, 0)
    with _stats_lock:
        likes[article_id] = current + 1
    return {"likes": likes[article_id]}


@app.post("/articles/{article_id}/react/{emoji}")
def react(article_id: int, emoji: str):
    with _reactions_lock:
        per_article = reactions.setdefault(article_id, {})
        per_article[emoji] = per_article.get(emoji, 0) + 1
        total = sum(per_article.values())
    return {"emoji": emoji, "total": total}


@app.put("/articles/{article_id}/editor")
def set_editor(article_id: int, editor: str):
    assigned_editor[article_id] = editor
    return {"ok": True}


@app.get("/articles/{article_id}/stats")
def article_stats(article_id: int):
    with _stats_lock:
        return {"views": views[article_id], "likes": likes.get(article_id, 0)}
