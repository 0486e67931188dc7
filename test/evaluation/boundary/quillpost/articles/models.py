from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=120)
    balance = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    articles_published = models.PositiveIntegerField(default=0)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="articles")
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    body = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    views = models.PositiveIntegerField(default=0)
    claps = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
