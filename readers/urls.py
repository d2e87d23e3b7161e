from django.urls import path

from . import views

app_name = "readers"
urlpatterns = [
    path("guides/<slug:slug>/comments/", views.send_comment, name="send-comment"),
    path("guides/<slug:slug>/comment/", views.comment_page, name="comment-page"),
    path("comments/token/", views.comment_token, name="comment-token"),
    path("comments/forget/", views.forget_comments, name="forget-comments"),
    path(
        "comments/forget/<str:token>/",
        views.forget_comments_confirm,
        name="forget-comments-confirm",
    ),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscriptions/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscriptions/<str:key>/", views.manage, name="manage"),
    path("subscriptions/<str:key>/unsubscribe/", views.unsubscribe, name="unsubscribe"),
]
