"""Stamping signature images onto PDFs."""
import io

from pypdf import PdfReader, PdfWriter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from harbor.common.blobstore import archive_to_s3, blobs


def _signature_overlay(png: bytes, width: float, height: float) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    c.drawImage(ImageReader(io.BytesIO(png)), width - 220, 40, width=180, height=60, mask="auto")
    c.save()
    return buf.getvalue()


def stamp(pdf_bytes: bytes, png: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(pdf_bytes))
    writer = PdfWriter()
    last = len(reader.pages) - 1
    for i, page in enumerate(reader.pages):
        if i == last:
            box = page.mediabox
            overlay = PdfReader(io.BytesIO(_signature_overlay(png, float(box.width), float(box.height)))).pages[0]
            page.merge_page(overlay)
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stamp_and_store(envelope_id: str, png: bytes, document_key: str) -> str:
    signed = stamp(blobs.get(document_key), png)
    key = f"signed/{envelope_id}.pdf"
    blobs.put(key, signed)
    return key


def seal_and_archive(envelope_id: str) -> str:
    return archive_to_s3(f"signed/{envelope_id}.pdf")
