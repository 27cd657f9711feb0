/**
 * NumPy interop: {@link dev.jtensor.io.Npy} ({@code .npy}: load into fresh memory, map zero-copy in modes
 * r / c / r+, create like {@code open_memmap(w+)}, save atomically) and {@link dev.jtensor.io.Npz}
 * ({@code .npz}: STORED members mapped zero-copy, DEFLATED inflated and CRC-checked; written STORED with
 * 64-byte aligned data, or DEFLATED). Broken or hostile files throw {@link dev.jtensor.io.NpyFormatException}
 * naming the file and byte offset. Policies: big-endian data is always converted to a little-endian copy;
 * BFLOAT16 is refused on write (NumPy has no such dtype); object, string, structured, complex, datetime and
 * unsigned dtypes wider than 8 bits are refused on read, and nothing is ever unpickled.
 *
 * <p>Weight files: {@link dev.jtensor.io.Safetensors} (mapped zero-copy into a {@link dev.jtensor.io.MappedWeights},
 * written byte-exact and atomically, sharded indexes) and {@link dev.jtensor.io.TorchFiles} (the zip checkpoints of
 * {@code torch.save} since 1.6, read through a weights-only unpickler with PyTorch's allowlist of globals, storages
 * mapped, views and tied weights kept; written so that {@code torch.load} reads them). {@link dev.jtensor.io.WeightFiles}
 * recognises any of the formats ({@code Jt.load}/{@code Jt.save}, {@code Module.load}). Their errors are
 * {@link dev.jtensor.io.WeightsFormatException}, an {@code NpyFormatException} that also names the tensor.
 */
package dev.jtensor.io;
