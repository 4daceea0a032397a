"""Minimal NIfTI-1 reader (numpy only) for the training scripts: reads what strata-cli writes."""
import gzip
import struct

import numpy as np

_DTYPES = {2: np.uint8, 4: np.int16, 8: np.int32, 16: np.float32, 64: np.float64, 256: np.int8, 512: np.uint16}


def read_nifti(path):
    """Returns (array indexed [z, y, x], spacing (x, y, z))."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    endian = "<" if struct.unpack("<i", data[:4])[0] == 348 else ">"
    dims = struct.unpack(endian + "8h", data[40:56])
    datatype = struct.unpack(endian + "h", data[70:72])[0]
    pixdim = struct.unpack(endian + "8f", data[76:108])
    vox_offset = int(struct.unpack(endian + "f", data[108:112])[0])
    slope, inter = struct.unpack(endian + "2f", data[112:120])
    nx, ny, nz = dims[1], dims[2], max(dims[3], 1)
    dtype = np.dtype(_DTYPES[datatype]).newbyteorder(endian)
    count = nx * ny * nz
    arr = np.frombuffer(data, dtype=dtype, count=count, offset=vox_offset).reshape(nz, ny, nx)
    if slope not in (0.0, 1.0) or inter != 0.0:
        arr = arr.astype(np.float32) * slope + inter
    return np.ascontiguousarray(arr), (pixdim[1], pixdim[2], pixdim[3])
