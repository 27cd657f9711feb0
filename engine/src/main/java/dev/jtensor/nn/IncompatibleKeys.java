package dev.jtensor.nn;

import java.util.List;

/**
 * What a non-strict {@link Module#loadStateDict(java.util.Map, boolean)} did not match, as PyTorch's
 * {@code _IncompatibleKeys}: the module's keys the state dict lacked, and the state dict's keys the module
 * does not have.
 */
public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {
    /** PyTorch's repr: {@code <All keys matched successfully>} or the two lists. */
    @Override
    public String toString() {
        if (missingKeys.isEmpty() && unexpectedKeys.isEmpty()) return "<All keys matched successfully>";
        return "_IncompatibleKeys(missing_keys=" + missingKeys + ", unexpected_keys=" + unexpectedKeys + ")";
    }
}
