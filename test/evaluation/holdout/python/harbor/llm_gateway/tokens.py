"""Rough token counting for budgets (vocabulary loaded lazily)."""
import json
import os

VOCAB_PATH = os.environ.get("VOCAB_PATH", "/opt/models/vocab.json")
_vocab: dict[str, int] | None = None


def _load_vocab() -> dict[str, int]:
    global _vocab
    if _vocab is None:
        with open(VOCAB_PATH, encoding="utf-8") as fh:
            _vocab = json.load(fh)
    return _vocab


def count_tokens(messages: list[dict]) -> int:
    vocab = _load_vocab()
    total = 0
    for m in messages:
        for word in str(m.get("content", "")).split():
            total += 1 if word in vocab else max(1, len(word) // 4)
    return total + 3 * len(messages)


def truncate(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max_chars - 1] + "\u2026"
