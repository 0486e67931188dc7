import httpx
from fastapi import Request


def get_http(request: Request) -> httpx.AsyncClient:
    return request.app.state.http
