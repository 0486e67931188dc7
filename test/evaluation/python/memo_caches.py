"""Bearer-token verification with cached OpenID metadata and signing keys."""
import os
from functools import lru_cache

import jwt
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .http import get_json

app = FastAPI()
bearer = HTTPBearer()

ISSUER = os.environ.get("OIDC_ISSUER", "https://auth.example.com")
_openid_config: dict[str, dict] = {}
_jwks_by_kid: dict[str, dict] = {}


async def openid_configuration(issuer: str) -> dict:
    config = _openid_config.get(issuer)
    if config is None:
        config = await get_json(f"{issuer}/.well-known/openid-configuration")
        _openid_config[issuer] = config
    return config


async def signing_key(kid: str) -> dict:
    if kid not in _jwks_by_kid:
        config = await openid_configuration(ISSUER)
        jwks = await get_json(config["jwks_uri"])
        _jwks_by_kid.update({k["kid"]: k for k in jwks["keys"]})
    key = _jwks_by_kid.get(kid)
    if key is None:
        raise HTTPException(401, "unknown signing key")
    return key


@lru_cache(maxsize=1)
def expected_audience() -> str:
    return os.environ.get("JWT_AUDIENCE", "api")


async def current_claims(creds: HTTPAuthorizationCredentials = Depends(bearer)) -> dict:
    token = creds.credentials
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise HTTPException(401, "malformed token") from exc
    key = await signing_key(header["kid"])
    try:
        return jwt.decode(
            token,
            jwt.PyJWK(key).key,
            algorithms=[header["alg"]],
            audience=expected_audience(),
            issuer=ISSUER,
        )
    except jwt.PyJWTError as exc:
        raise HTTPException(401, str(exc)) from exc


@app.get("/me")
async def me(claims: dict = Depends(current_claims)):
    return {"sub": claims["sub"], "scopes": claims.get("scope", "").split()}
