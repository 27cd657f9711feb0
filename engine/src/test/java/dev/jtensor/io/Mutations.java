package dev.jtensor.io;

import java.util.Arrays;
import java.util.Random;

/** Seeded byte-level mutations for the readers' fuzz tests, biased toward the structured part of a file. */
final class Mutations {
    private Mutations() {}

    /** A file for mutated bytes: in /dev/shm where there is one (a disk file costs milliseconds per write), else in {@code dir}. */
    static java.nio.file.Path scratchFile(java.nio.file.Path dir, String name) throws java.io.IOException {
        java.nio.file.Path shm = java.nio.file.Path.of("/dev/shm");
        if (java.nio.file.Files.isDirectory(shm) && java.nio.file.Files.isWritable(shm)) {
            java.nio.file.Path f = java.nio.file.Files.createTempFile(shm, "jtensor-fuzz-", name);
            f.toFile().deleteOnExit();
            return f;
        }
        return dir.resolve(name);
    }

    private static final byte[] JSONISH = "{}[]\",:0123456789-eE. \\u".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** One to four mutations of {@code good}; {@code hot} bytes at the start (a header, a pickle) get most of them. */
    static byte[] mutate(byte[] good, int hot, Random rnd) { return mutate(good, 0, hot, rnd); }

    /** As {@link #mutate(byte[], int, Random)} with the bytes {@code [hotStart, hotEnd)} getting most mutations. */
    static byte[] mutate(byte[] good, int hotStart, int hotEnd, Random rnd) {
        byte[] b = good.clone();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n && b.length > 0; i++) {
            int lo = Math.min(hotStart, b.length - 1), hi = Math.min(hotEnd, b.length);
            int at = rnd.nextInt(4) < 3 && hi > lo ? lo + rnd.nextInt(hi - lo) : rnd.nextInt(b.length);
            switch (rnd.nextInt(7)) {
                case 0 -> b[at] = (byte) rnd.nextInt(256);
                case 1 -> b[at] = JSONISH[rnd.nextInt(JSONISH.length)];
                case 2 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 3 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1)); // truncate
                case 4 -> { // delete a run
                    int len = Math.min(1 + rnd.nextInt(16), b.length - at);
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
                case 5 -> { // duplicate a run
                    int len = Math.min(1 + rnd.nextInt(16), b.length - at);
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                }
                default -> b[Math.min(at, b.length - 1)] = (byte) (rnd.nextBoolean() ? 0xff : 0);
            }
        }
        return b;
    }
}
