/** Data loading: CSV to tensors, datasets and data loaders. */
package dev.jtensor.data;
