from django.contrib import admin
from django.urls import path

from shop import views

urlpatterns = [
    path("orders", views.orders),
    path("report", views.report),
    path("partner", views.partner),
    path("digest", views.digest),
    path("admin/", admin.site.urls),
]
