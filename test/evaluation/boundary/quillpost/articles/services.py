from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Article, Author


def record_view(article_id: int) -> int:
    article = Article.objects.get(pk=article_id)
    article.views += 1
    article.save(update_fields=["views"])
    return article.views


def pay_author(author_id: int, amount: Decimal) -> Decimal:
    author = Author.objects.get(pk=author_id)
    author.balance = author.balance + amount
    author.save()
    return author.balance


def pay_author_locked(author_id: int, amount: Decimal) -> Decimal:
    with transaction.atomic():
        author = Author.objects.select_for_update().get(pk=author_id)
        author.balance += amount
        author.save(update_fields=["balance"])
    return author.balance


def add_claps(article_id: int, count: int) -> None:
    Article.objects.filter(pk=article_id).update(claps=F("claps") + count)


def boost_claps(article_id: int, count: int) -> int:
    article = Article.objects.get(pk=article_id)
    article.claps = F("claps") + count
    article.save(update_fields=["claps"])
    article.refresh_from_db(fields=["claps"])
    return article.claps


def publish(article_id: int) -> Article:
    article = Article.objects.get(pk=article_id)
    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now()
    article.save(update_fields=["status", "published_at"])
    Author.objects.filter(pk=article.author_id).update(
        articles_published=F("articles_published") + 1
    )
    return article
