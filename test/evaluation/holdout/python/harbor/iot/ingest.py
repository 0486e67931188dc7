"""Device readings, command delivery and OTA rollouts."""
import asyncio
import gzip
import json
import multiprocessing
import queue
import socket
import subprocess
import threading

from aiohttp import ClientSession, web

routes = web.RouteTableDef()

MAX_CONCURRENT_ROLLOUTS = 50

_spool_lock = threading.Lock()
_spool: list[bytes] = []
_outbound: "queue.Queue[dict]" = queue.Queue(maxsize=10_000)
_config_lock = asyncio.Lock()
ROLLOUTS_IN_FLIGHT = 0


def replay_capture(path: str, speed: float) -> None:
    subprocess.run(["tcpreplay", f"--multiplier={speed}", "--intf1=iot0", path], check=True)


async def _validate_with_registry(app: web.Application, key: str, value: dict) -> dict:
    async with app["registry"].post("/config/validate", json={key: value}) as resp:
        resp.raise_for_status()
        return await resp.json()


@routes.post("/devices/{device_id}/readings")
async def post_readings(request: web.Request) -> web.Response:
    device_id = request.match_info["device_id"]
    payload = await request.read()
    seen = request.app["device_counts"].get(device_id, 0)
    await request.app["producer"].send_and_wait("readings", payload, key=device_id.encode())
    request.app["device_counts"][device_id] = seen + 1
    return web.json_response({"seq": seen + 1}, status=202)


@routes.post("/devices/{device_id}/batch")
async def post_batch(request: web.Request) -> web.Response:
    body = await request.read()
    archived = gzip.compress(body, compresslevel=9)
    with _spool_lock:
        _spool.append(archived)
    return web.json_response({"spooled": len(archived)}, status=202)


@routes.get("/devices/{device_id}/commands/next")
async def next_command(request: web.Request) -> web.Response:
    try:
        cmd = _outbound.get(timeout=25)
    except queue.Empty:
        return web.Response(status=204)
    return web.json_response(cmd)


@routes.get("/devices/commands/peek")
async def peek_command(request: web.Request) -> web.Response:
    try:
        cmd = _outbound.get_nowait()
    except queue.Empty:
        return web.Response(status=204)
    return web.json_response(cmd)


@routes.post("/devices/{device_id}/reboot")
async def reboot(request: web.Request) -> web.Response:
    device_id = request.match_info["device_id"]
    await request.app["producer"].send_and_wait("commands", json.dumps({"device": device_id, "cmd": "reboot"}).encode())
    asyncio.sleep(0.5)
    return web.json_response({"queued": True})


@routes.post("/devices/{device_id}/ping")
async def ping_device(request: web.Request) -> web.Response:
    device_id = request.match_info["device_id"]
    send = asyncio.create_task(request.app["producer"].send_and_wait("commands", json.dumps({"device": device_id, "cmd": "ping"}).encode()))
    async with request.app["registry"].get(f"/devices/{device_id}") as resp:
        info = await resp.json()
    await send
    return web.json_response({"device": info, "pinged": True})


@routes.post("/devices/register")
async def register(request: web.Request) -> web.Response:
    body = await request.json()
    broker_ip = socket.gethostbyname(body.get("broker", "mqtt.iot.internal"))
    return web.json_response({"broker": broker_ip}, status=201)


@routes.put("/config/{key}")
async def put_config(request: web.Request) -> web.Response:
    key = request.match_info["key"]
    value = await request.json()
    async with _config_lock:
        current = request.app["config"].get(key, {})
        checked = await _validate_with_registry(request.app, key, value)
        request.app["config"][key] = {**current, **checked}
    return web.json_response(request.app["config"][key])


@routes.post("/rollouts/{version}/start")
async def start_rollout(request: web.Request) -> web.Response:
    global ROLLOUTS_IN_FLIGHT
    if ROLLOUTS_IN_FLIGHT >= MAX_CONCURRENT_ROLLOUTS:
        raise web.HTTPTooManyRequests()
    await request.app["producer"].send_and_wait("rollouts", request.match_info["version"].encode())
    ROLLOUTS_IN_FLIGHT += 1
    return web.json_response({"in_flight": ROLLOUTS_IN_FLIGHT})


@routes.post("/rollouts/{version}/finish")
async def finish_rollout(request: web.Request) -> web.Response:
    global ROLLOUTS_IN_FLIGHT
    await request.app["producer"].send_and_wait("rollouts-done", request.match_info["version"].encode())
    ROLLOUTS_IN_FLIGHT = max(ROLLOUTS_IN_FLIGHT - 1, 0)
    return web.json_response({"in_flight": ROLLOUTS_IN_FLIGHT})


@routes.post("/captures/{capture_id}/replay")
async def replay(request: web.Request) -> web.Response:
    capture = f"/srv/captures/{request.match_info['capture_id']}.pcap"
    multiprocessing.Process(target=replay_capture, args=(capture, 4.0), daemon=True).start()
    return web.json_response({"replaying": capture}, status=202)


@routes.get("/registry/{device_id}")
async def registry_lookup(request: web.Request) -> web.Response:
    async with ClientSession() as session:
        async with session.get(f"http://registry.iot.internal/devices/{request.match_info['device_id']}") as resp:
            return web.json_response(await resp.json(), status=resp.status)


@routes.get("/registry/{device_id}/shadow")
async def shadow(request: web.Request) -> web.Response:
    async with request.app["registry"].get(f"/devices/{request.match_info['device_id']}/shadow") as resp:
        return web.json_response(await resp.json(), status=resp.status)
