/** NumPy interop: .npy/.npz reading (copying or zero-copy memory mapping) and writing. */
package dev.jtensor.io;
