#!/usr/bin/env python3
"""NumPy side of jtensor's .npy/.npz interop tests (engine/src/test/java/dev/jtensor/io/).

  make_npy_fixtures.py write OUTDIR [--static]   NumPy writes fixtures + OUTDIR/manifest.tsv
  make_npy_fixtures.py verify DIR                 checks files jtensor wrote against DIR/manifest.tsv

manifest.tsv: one line per array: file, npz key ('' for .npy), numpy dtype name, order (C/F),
shape (comma separated), values (row-major, comma separated, repr: exact for every dtype used).
--static writes the small committed set (engine/src/test/resources/npy/), so Java tests run
without Python: python3 make_npy_fixtures.py write ../resources/npy --static
"""
import io
import os
import struct
import sys

import numpy as np

RNG = np.random.default_rng(20240611)


def values(a):
    flat = np.ascontiguousarray(a).reshape(-1)
    if a.dtype == np.bool_:
        return ",".join("1" if v else "0" for v in flat)
    if a.dtype.kind in "iu":
        return ",".join(str(int(v)) for v in flat)
    return ",".join(repr(float(v)) for v in flat)


def sample(dtype, shape):
    dt = np.dtype(dtype)
    n = int(np.prod(shape)) if shape else 1
    if dt.kind == "b":
        v = RNG.integers(0, 2, n).astype(bool)
    elif dt.kind in "iu":
        info = np.iinfo(dt)
        v = RNG.integers(max(info.min, -(2**62)), min(info.max, 2**62), n, dtype=np.int64).astype(dt)
        v[0] = info.max  # extremes survive the trip
        if n > 1:
            v[1] = info.min
    else:
        v = (RNG.standard_normal(n) * 100).astype(dt)
        if n > 2:
            v[1], v[2] = np.inf, -0.0
    return v.reshape(shape)


class Manifest:
    def __init__(self, outdir):
        self.outdir = outdir
        self.lines = []

    def add(self, file, key, a):
        order = "F" if (a.ndim > 1 and np.isfortran(a)) else "C"
        shape = ",".join(str(s) for s in a.shape)
        self.lines.append("\t".join([file, key, a.dtype.newbyteorder("=").name, order, shape, values(a)]))

    def save(self):
        with open(os.path.join(self.outdir, "manifest.tsv"), "w") as f:
            f.write("\n".join(self.lines) + "\n")


def write_raw(path, header_text, data, version=1, align=64):
    """An .npy with a hand-written header dict (for forms np.save never writes)."""
    prefix = 10 if version == 1 else 12
    text = header_text.encode("latin1" if version < 3 else "utf8") + b"\n"
    total = -(-(prefix + len(text)) // align) * align
    text = text[:-1] + b" " * (total - prefix - len(text)) + b"\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY" + bytes([version, 0]))
        f.write(struct.pack("<H" if version == 1 else "<I", len(text)))
        f.write(text + data)


class NonSeekable(io.RawIOBase):
    """A write-only stream without seek/tell: zipfile then writes data descriptors (flag bit 3)."""
    def __init__(self, f):
        self.f = f

    def writable(self):
        return True

    def write(self, b):
        return self.f.write(b)


def write_all(outdir, static):
    m = Manifest(outdir)

    def save(name, a, **kw):
        np.save(os.path.join(outdir, name), a, **kw)
        m.add(name, "", a)

    dtypes = ["bool", "int8", "uint8", "int16", "int32", "int64", "float16", "float32", "float64"]
    for dt in dtypes:
        save(f"le_{dt}.npy", sample(dt, (2, 3)))
    for dt in (["int32", "float64"] if static else ["int16", "int32", "int64", "float16", "float32", "float64"]):
        save(f"be_{dt}.npy", sample(dt, (3, 2)).astype(np.dtype(dt).newbyteorder(">")))
    save("fortran_f4.npy", np.asfortranarray(sample("float32", (3, 4))))
    save("fortran_be_f8_3d.npy", np.asfortranarray(sample(">f8", (2, 3, 4))))
    save("scalar_f8.npy", np.array(3.25))
    save("empty_0x3_f4.npy", np.zeros((0, 3), np.float32))
    save("empty_3x0_i8.npy", np.zeros((3, 0), np.int64))
    save("vector_i4.npy", sample("int32", (5,)))
    for ver in [(2, 0), (3, 0)]:
        a = sample("float32", (4,))
        name = f"version{ver[0]}_f4.npy"
        with open(os.path.join(outdir, name), "wb") as f:
            np.lib.format.write_array(f, a, version=ver)
        m.add(name, "", a)
    # header forms np.save never writes: reordered keys, no trailing comma, 'L' suffixes, '=' order, 16-byte alignment
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    write_raw(os.path.join(outdir, "hand_reordered.npy"), "{'shape': (2L, 3L), 'fortran_order': False, 'descr': '=f4'}", a.tobytes())
    m.add("hand_reordered.npy", "", a)
    b = np.arange(5, dtype=np.int64) - 2
    write_raw(os.path.join(outdir, "hand_align16.npy"), "{'descr':'<i8','fortran_order':False,'shape':(5,),}", b.tobytes(), align=16)
    m.add("hand_align16.npy", "", b)

    x, y = sample("float32", (3, 4)), sample("int64", (7,))
    np.savez(os.path.join(outdir, "stored.npz"), x=x, y=y)
    m.add("stored.npz", "x", x)
    m.add("stored.npz", "y", y)
    np.savez_compressed(os.path.join(outdir, "compressed.npz"), sample("float64", (2, 2)), z=np.asfortranarray(sample("int16", (2, 3))))
    with np.load(os.path.join(outdir, "compressed.npz")) as z:
        for k in z.files:
            m.add("compressed.npz", k, z[k])
    with open(os.path.join(outdir, "descriptors.npz"), "wb") as f:
        d = sample(">f4", (3,))
        np.savez(NonSeekable(f), d=d, e=np.array(True))
    m.add("descriptors.npz", "d", d)
    m.add("descriptors.npz", "e", np.array(True))
    if not static:
        for dt in dtypes:
            a = np.asfortranarray(sample(dt, (3, 5)))
            save(f"fortran_{dt}.npy", a)
            save(f"be_3d_{dt}.npy", sample(dt, (2, 3, 4)).astype(np.dtype(dt).newbyteorder(">") if dt not in ("bool",) else dt))
        big = sample("float64", (1000, 37))
        save("large_f8.npy", big)
        np.savez_compressed(os.path.join(outdir, "mixed_compressed.npz"), **{f"m{dt}": sample(dt, (4, 2)) for dt in dtypes})
        with np.load(os.path.join(outdir, "mixed_compressed.npz")) as z:
            for k in z.files:
                m.add("mixed_compressed.npz", k, z[k])
    m.save()


def verify(d):
    bad = 0
    lines = [l.rstrip("\n").split("\t") for l in open(os.path.join(d, "manifest.tsv")) if l.strip()]
    for file, key, dtype, order, shape, vals in lines:
        path = os.path.join(d, file)
        if key:
            with np.load(path) as z:
                a = z[key]
        else:
            a = np.load(path)
        want_shape = tuple(int(s) for s in shape.split(",")) if shape else ()
        parse = (lambda s: s == "1") if dtype == "bool" else (int if np.dtype(dtype).kind in "iu" else float)
        want = np.array([parse(v) for v in vals.split(",")] if vals else [], dtype=dtype).reshape(want_shape)
        got_order = "F" if (a.ndim > 1 and np.isfortran(a)) else "C"
        if a.dtype != np.dtype(dtype) or a.shape != want_shape or got_order != order or \
                not np.array_equal(a, want, equal_nan=a.dtype.kind == "f"):
            print(f"MISMATCH {file} {key}: got {a.dtype} {a.shape} {got_order} {a.ravel()[:8]}, want {dtype} {want_shape} {order}")
            bad += 1
    print("OK" if bad == 0 else f"{bad} mismatches", len(lines), "arrays checked")
    return bad


if __name__ == "__main__":
    if sys.argv[1] == "write":
        os.makedirs(sys.argv[2], exist_ok=True)
        write_all(sys.argv[2], "--static" in sys.argv)
    elif sys.argv[1] == "verify":
        sys.exit(1 if verify(sys.argv[2]) else 0)
