#!/usr/bin/env python3
"""Lists the GPU codes in the fatbin of an ELF shared library or executable (sm_XX for SASS, compute_XX for
PTX), one line, sorted: what cuobjdump --list-elf/--list-ptx would say, for machines without cuobjdump.

Fatbin layout (the .nv_fatbin section): containers of a 16-byte header (magic 0xBA55ED50, u16 version,
u16 header size, u64 size of the entries), each entry a header (u16 kind: 1 PTX, 2 ELF; u32 header size
at +4; u64 payload size at +8; u32 arch at +28, e.g. 90) followed by its payload.
"""
import struct
import sys

MAGIC = 0xBA55ED50


def section(data, wanted):
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise SystemExit("not a 64-bit ELF file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names_off = headers[shstrndx][4]
    for h in headers:
        start = names_off + h[0]
        name = data[start:data.index(b"\0", start)].decode()
        if name == wanted:
            return data[h[4]:h[4] + h[5]]
    return b""


def codes(fatbin):
    found = set()
    pos = 0
    while pos + 16 <= len(fatbin):
        magic, _version, header_size, size = struct.unpack_from("<IHHQ", fatbin, pos)
        if magic != MAGIC:
            pos += 8  # containers are 8-byte aligned
            continue
        entry, end = pos + header_size, pos + header_size + size
        while entry + 32 <= end:
            kind, _, entry_header, payload = struct.unpack_from("<HHIQ", fatbin, entry)
            arch, = struct.unpack_from("<I", fatbin, entry + 28)
            if kind == 1:
                found.add("compute_%d" % arch)
            elif kind == 2:
                found.add("sm_%d" % arch)
            if entry_header == 0:
                break
            entry += entry_header + payload
        pos = end
    return sorted(found)


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        print(" ".join(codes(section(f.read(), ".nv_fatbin"))))
