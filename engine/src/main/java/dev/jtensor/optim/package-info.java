/** Optimizers and learning-rate schedulers, as torch.optim. */
package dev.jtensor.optim;
