"""Helpers shared by the model scripts (models/*/train.py, models/sr/convert.py, models/sr/finetune.py)."""
import hashlib


def sha256(path):
    """Hex SHA-256 of a file, as model.json cards record it (the C++ engine verifies it at load)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
