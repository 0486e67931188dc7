from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.article_detail),
    path("<int:pk>/clap/", views.clap),
    path("<int:pk>/claps/", views.clap_many),
    path("<int:pk>/boost/", views.boost),
    path("<int:pk>/publish/", views.publish),
    path("<int:pk>/ping/", views.ping_hubs),
    path("<int:pk>/ping/batched/", views.ping_hubs_batched),
    path("<int:pk>/stats/", views.article_stats),
    path("authors/<int:author_id>/payout/", views.payout),
    path("authors/<int:author_id>/payout/strict/", views.payout_strict),
]
