"""IoT ingestion gateway (aiohttp)."""
import os

from aiohttp import ClientSession, web
from aiokafka import AIOKafkaProducer

from . import firmware, ingest

REGISTRY_URL = os.environ.get("IOT_REGISTRY_URL", "http://registry.iot.internal")


async def init_clients(app: web.Application) -> None:
    app["registry"] = ClientSession(base_url=REGISTRY_URL)
    app["device_counts"] = {}
    app["config"] = {}


async def kafka_producer(app: web.Application):
    producer = AIOKafkaProducer(bootstrap_servers=os.environ.get("KAFKA", "kafka:9092"), linger_ms=20)
    await producer.start()
    app["producer"] = producer
    yield
    await producer.stop()


def create_app() -> web.Application:
    app = web.Application(client_max_size=8 * 1024 * 1024)
    app.on_startup.append(init_clients)
    app.cleanup_ctx.append(kafka_producer)
    app.add_routes(ingest.routes)
    app.router.add_view("/firmware/{version}", firmware.FirmwareView)
    app.router.add_get("/firmware/{version}/notes", firmware.release_notes)
    app.router.add_get("/firmware/{version}/notes.txt", firmware.release_notes_offloaded)
    return app


if __name__ == "__main__":
    web.run_app(create_app(), port=int(os.environ.get("PORT", "8080")))
