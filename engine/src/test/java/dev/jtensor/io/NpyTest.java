package dev.jtensor.io;

import static dev.jtensor.Jt.arange;
import static dev.jtensor.Jt.ones;
import static dev.jtensor.Jt.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NpyTest {
    @TempDir Path dir;

    private static String headerText(Path p) throws Exception {
        byte[] b = Files.readAllBytes(p);
        int len = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        return new String(b, 10, len, StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = "BFLOAT16", mode = EnumSource.Mode.EXCLUDE)
    void saveThenLoadRoundTripsEveryNumpyDtypeWith64ByteAlignedData(DType dtype) throws Exception {
        Tensor t = arange(-5, 7).to(dtype).view(3, 4);
        Path p = dir.resolve("a.npy");
        Npy.save(p, t);
        long fileBytes = Files.size(p);
        assertEquals(0, (fileBytes - 12L * dtype.byteSize()) % 64, "data starts on a 64-byte boundary");
        assertTrue(headerText(p).startsWith("{'descr': '" + NpyHeader.descrOf(dtype) + "', 'fortran_order': False, 'shape': (3, 4), }"));
        try (Tensor back = Npy.load(p)) {
            assertEquals(dtype, back.dtype());
            assertArrayEquals(t.toDoubleArray(), back.toDoubleArray());
        }
    }

    @Test
    void shapesZeroDimensionalOneDimensionalAndEmptyAreWrittenAsNumpyDoes() throws Exception {
        Path p = dir.resolve("s.npy");
        Npy.save(p, tensor(2.5));
        assertTrue(headerText(p).contains("'shape': ()"));
        assertEquals(2.5, Npy.load(p).item());
        Npy.save(p, arange(3));
        assertTrue(headerText(p).contains("'shape': (3,)"));
        Npy.save(p, arange(0).view(0, 3));
        assertEquals(128 - 64, Files.size(p) - 64, "header only");
        assertArrayEquals(new long[] {0, 3}, Npy.load(p).shape().toArray());
        assertArrayEquals(new long[] {0, 3}, Npy.map(p).shape().toArray());
    }

    @Test
    void fortranContiguousTensorIsWrittenWithFortranOrderAndOtherViewsInCOrder() throws Exception {
        Tensor t = arange(12).view(3, 4).t(); // strides (1, 4): F-contiguous, not C
        Path p = dir.resolve("f.npy");
        Npy.save(p, t);
        assertTrue(headerText(p).contains("'fortran_order': True, 'shape': (4, 3)"));
        assertArrayEquals(t.toLongArray(), Npy.load(p).toLongArray());
        Tensor stepped = arange(20).view(4, 5).slice(1, 0, 5, 2); // neither C nor F
        Npy.save(p, stepped);
        assertTrue(headerText(p).contains("'fortran_order': False, 'shape': (4, 3)"));
        assertArrayEquals(stepped.toLongArray(), Npy.load(p).toLongArray());
    }

    @Test
    void saveIsAtomicAndLeavesNoTemporaryFiles() throws Exception {
        Path p = dir.resolve("x.npy");
        Npy.save(p, arange(4));
        Tensor closed = arange(5);
        closed.close();
        assertThrows(IllegalStateException.class, () -> Npy.save(p, closed));
        assertArrayEquals(new long[] {0, 1, 2, 3}, Npy.load(p).toLongArray(), "old contents intact after a failed save");
        Npy.save(p, arange(2));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void bfloat16IsRefusedWithAnExplanation() {
        var e = assertThrows(UnsupportedOperationException.class, () -> Npy.save(dir.resolve("b.npy"), ones(2).to(DType.BFLOAT16)));
        assertTrue(e.getMessage().contains("bfloat16") && e.getMessage().contains("FLOAT32"), e.getMessage());
    }

    @Test
    void readOnlyMappingRefusesWritesAndCloseUnmapsForEveryView() throws Exception {
        Path p = dir.resolve("r.npy");
        Npy.save(p, arange(6).to(DType.FLOAT32));
        Tensor m = Npy.map(p);
        Tensor view = m.slice(0, 2, 4);
        var e = assertThrows(IllegalStateException.class, () -> m.add_(ones(6)));
        assertTrue(e.getMessage().contains("read-only") && e.getMessage().contains("r.npy"), e.getMessage());
        assertArrayEquals(new double[] {2, 3}, view.toDoubleArray());
        m.close();
        assertThrows(IllegalStateException.class, view::toDoubleArray);
    }

    @Test
    void copyOnWriteChangesTheTensorButNotTheFile() throws Exception {
        Path p = dir.resolve("c.npy");
        Npy.save(p, arange(4).to(DType.FLOAT64));
        try (Tensor m = Npy.map(p, Npy.Mode.COPY_ON_WRITE)) {
            m.add_(ones(4).to(DType.FLOAT64));
            assertArrayEquals(new double[] {1, 2, 3, 4}, m.toDoubleArray());
        }
        assertArrayEquals(new double[] {0, 1, 2, 3}, Npy.load(p).toDoubleArray());
    }

    @Test
    void readWriteMappingWritesThroughToTheFile() throws Exception {
        Path p = dir.resolve("w.npy");
        Npy.save(p, arange(4).to(DType.INT32));
        try (Tensor m = Npy.map(p, Npy.Mode.READ_WRITE)) {
            m.add_(tensor(new int[] {10, 10, 10, 10}));
        }
        assertArrayEquals(new long[] {10, 11, 12, 13}, Npy.load(p).toLongArray());
    }

    @Test
    void createMakesAZeroFilledWritableFileLikeOpenMemmap() throws Exception {
        Path p = dir.resolve("new.npy");
        try (Tensor m = Npy.create(p, DType.INT16, 2, 3)) {
            assertArrayEquals(new long[6], m.toLongArray());
            m.add_(tensor(new short[][] {{1, 2, 3}, {4, 5, 6}}));
        }
        assertEquals(128 + 12, Files.size(p));
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6}, Npy.load(p).toLongArray());
    }

    @Test
    void bigEndianMapIsASwappedCopyAndReadWriteIsRefused() throws Exception {
        Path p = NpyManifest.staticFixtures().resolve("be_int32.npy");
        Tensor m = Npy.map(p);
        assertFalse(m.isReadOnly(), "a copy, not a mapping");
        assertArrayEquals(Npy.load(p).toLongArray(), m.toLongArray());
        Path copy = Files.copy(p, dir.resolve("be.npy"));
        assertThrows(UnsupportedOperationException.class, () -> Npy.map(copy, Npy.Mode.READ_WRITE));
    }

    @Test
    void mappingOfASparseFileOverFourGibReadsItsLastElement() throws Exception {
        long n = (1L << 30) + 16; // float32: 4 GiB + 64 bytes of data
        Path p = dir.resolve("big.npy");
        byte[] header = NpyHeader.encode(DType.FLOAT32, new long[] {n}, false);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(header);
            f.setLength(header.length + n * 4); // sparse: no disk blocks
            f.seek(header.length + (n - 1) * 4);
            f.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(42.5f).array());
        }
        try (Tensor t = Npy.map(p)) {
            assertEquals(n, t.numel());
            assertEquals(42.5, t.get(n - 1).item());
            assertEquals(0.0, t.get(n - 2).item());
        }
        Files.delete(p);
    }

    @Test
    void mappedTensorStaysValidThroughViewsAfterTheBaseIsDropped() throws Exception {
        Path p = dir.resolve("g.npy");
        Npy.save(p, arange(1000).to(DType.FLOAT32));
        Tensor view = Npy.map(p).slice(0, 990, 1000);
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(Arrays.stream(new double[] {990, 991, 992, 993, 994, 995, 996, 997, 998, 999}).sum(),
                Arrays.stream(view.toDoubleArray()).sum());
    }
}
