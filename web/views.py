"""Server-rendered pages. For now a home page that says where each role goes next."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    return render(request, "web/home.html", {"role": request.user.role_name})
