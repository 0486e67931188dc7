"""ffmpeg/ffprobe wrappers and thumbnailing (synchronous)."""
import io
import json
import os
import subprocess
import tempfile

from PIL import Image

FFMPEG = os.environ.get("FFMPEG_BIN", "ffmpeg")
FFPROBE = os.environ.get("FFPROBE_BIN", "ffprobe")

PRESETS = {
    "480p": ["-vf", "scale=-2:480", "-c:v", "libx264", "-crf", "24", "-c:a", "aac"],
    "720p": ["-vf", "scale=-2:720", "-c:v", "libx264", "-crf", "22", "-c:a", "aac"],
    "1080p": ["-vf", "scale=-2:1080", "-c:v", "libx264", "-crf", "20", "-c:a", "aac"],
}


def ffmpeg_args(src: str, dst: str, preset: str) -> list[str]:
    return [FFMPEG, "-hide_banner", "-y", "-i", src, *PRESETS[preset], dst]


def probe(path: str) -> dict:
    out = subprocess.check_output([FFPROBE, "-v", "quiet", "-print_format", "json", "-show_format", "-show_streams", path])
    return json.loads(out)


def transcode(src: str, preset: str) -> str:
    fd, dst = tempfile.mkstemp(suffix=f"-{preset}.mp4")
    os.close(fd)
    subprocess.run(ffmpeg_args(src, dst, preset), check=True, capture_output=True)
    return dst


def make_thumbnail(src: str, size: tuple[int, int] = (320, 180)) -> bytes:
    with Image.open(src) as im:
        im.thumbnail(size)
        buf = io.BytesIO()
        im.convert("RGB").save(buf, "JPEG", quality=82)
    return buf.getvalue()


def segment_hls(src: str, out_dir: str) -> None:
    os.makedirs(out_dir, exist_ok=True)
    subprocess.run(
        [FFMPEG, "-i", src, "-codec", "copy", "-hls_time", "6", "-hls_list_size", "0", "-f", "hls", os.path.join(out_dir, "index.m3u8")],
        check=True,
    )


def transcribe(src: str) -> str:
    out = subprocess.check_output(["whisper-cli", "--model", "base", "--output-txt", src])
    return out.decode()
