from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    return {"site_name": "Linkwell"}
