/**
 * Data loading: {@link dev.jtensor.data.CsvFrame} (CSV to tensors with pandas' missing-value, fill-with-mean
 * and one-hot steps; malformed rows throw {@link dev.jtensor.data.CsvFormatException} naming the line),
 * datasets and data loaders.
 */
package dev.jtensor.data;
