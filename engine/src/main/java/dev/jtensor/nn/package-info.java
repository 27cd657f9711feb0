/** Neural network modules, losses and the functional forms (nn.F), as torch.nn. */
package dev.jtensor.nn;
