/**
 * NumPy interop: {@link dev.jtensor.io.Npy} ({@code .npy}: load into fresh memory, map zero-copy in modes
 * r / c / r+, create like {@code open_memmap(w+)}, save atomically) and {@link dev.jtensor.io.Npz}
 * ({@code .npz}: STORED members mapped zero-copy, DEFLATED inflated and CRC-checked; written STORED with
 * 64-byte aligned data, or DEFLATED). Broken or hostile files throw {@link dev.jtensor.io.NpyFormatException}
 * naming the file and byte offset. Policies: big-endian data is always converted to a little-endian copy;
 * BFLOAT16 is refused on write (NumPy has no such dtype); object, string, structured, complex, datetime and
 * unsigned dtypes wider than 8 bits are refused on read, and nothing is ever unpickled.
 */
package dev.jtensor.io;
