package dev.jtensor.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.DType;
import dev.jtensor.Tensor;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The seed tutorial's pandas steps on d2l's house_tiny.csv. pandas is not installed on the build machine,
 * so the expected values are the tutorial's printed pandas/PyTorch output:
 * {@code X = tensor([[3., 1., 0.], [2., 0., 1.], [4., 0., 1.], [3., 0., 1.]], dtype=torch.float64)},
 * {@code y = tensor([127500, 106000, 178100, 140000])}.
 */
class CsvFrameTest {
    private static CsvFrame house() throws Exception {
        return CsvFrame.read(Path.of(CsvFrameTest.class.getResource("/csv/house_tiny.csv").toURI()));
    }

    @Test
    void houseTinyBecomesTheTutorialsTensors() throws Exception {
        CsvFrame data = house();
        CsvFrame inputs = data.select(0, 2).fillNaWithMean().getDummies(true);
        assertEquals(List.of("NumRooms", "Alley_Pave", "Alley_nan"), inputs.columns());
        Tensor x = inputs.toTensor();
        Tensor y = data.toTensor("Price");
        assertEquals(DType.FLOAT64, x.dtype());
        assertArrayEquals(new long[] {4, 3}, x.shape().toArray());
        assertArrayEquals(new double[] {3, 1, 0, 2, 0, 1, 4, 0, 1, 3, 0, 1}, x.toDoubleArray());
        assertEquals(DType.INT64, y.dtype());
        assertArrayEquals(new long[] {127500, 106000, 178100, 140000}, y.toLongArray());
    }

    @Test
    void readingInfersNumericAndTextColumnsWithPandasMissingTokens() throws Exception {
        CsvFrame data = house();
        assertEquals(List.of("NumRooms", "Alley", "Price"), data.columns());
        assertEquals(4, data.rowCount());
        assertTrue(data.isNumeric("NumRooms") && !data.isNumeric("Alley") && data.isNumeric("Price"));
        assertTrue(Double.isNaN(data.getDouble(0, "NumRooms")));
        assertEquals(null, data.getString(1, "Alley"));
        assertEquals("Pave", data.getString(0, "Alley"));
        assertEquals("""
                   NumRooms  Alley   Price
                0       NaN   Pave  127500
                1       2.0    NaN  106000
                2       4.0    NaN  178100
                3       NaN    NaN  140000
                """, data.toString());
    }

    @Test
    void getDummiesWithoutNaColumnAndSortedCategories() throws Exception {
        CsvFrame f = CsvFrame.read(new StringReader("a,color\n1,red\n2,blue\n3,\n4,red\n")).getDummies(false, DType.INT64);
        assertEquals(List.of("a", "color_blue", "color_red"), f.columns());
        assertArrayEquals(new long[] {1, 0, 1, 2, 1, 0, 3, 0, 0, 4, 0, 1}, f.toTensor().toLongArray());
        assertEquals(DType.INT64, f.toTensor().dtype());
    }

    /**
     * pandas 2.x: get_dummies makes bool columns, printed True/False (d2l's current preliminaries page
     * prints exactly this table); {@code torch.tensor(inputs.to_numpy(dtype=float))} gives float64 0/1.
     */
    @Test
    void getDummiesMakesBoolColumnsAsPandas2() throws Exception {
        CsvFrame inputs = house().select(0, 2).fillNaWithMean().getDummies(true);
        assertEquals("""
                   NumRooms  Alley_Pave  Alley_nan
                0       3.0        True      False
                1       2.0       False       True
                2       4.0       False       True
                3       3.0       False       True
                """, inputs.toString());
        assertTrue(inputs.isBool("Alley_Pave") && inputs.isNumeric("Alley_Pave"));
        assertEquals(1.0, inputs.getDouble(0, "Alley_Pave"));
        assertEquals("tensor([[3., 1., 0.],\n        [2., 0., 1.],\n        [4., 0., 1.],\n        [3., 0., 1.]], dtype=torch.float64)",
                inputs.toTensor().toString());
        Tensor bools = inputs.select("Alley_Pave", "Alley_nan").toTensor();
        assertEquals(DType.BOOL, bools.dtype());
        assertEquals(DType.FLOAT32, inputs.toTensor(DType.FLOAT32).dtype());
        CsvFrame floats = house().select(1, 2).getDummies(true, DType.FLOAT64);
        assertEquals("0.0", floats.getString(0, "Alley_nan"));
    }

    @Test
    void aOneColumnFrameBecomesAVectorAsASeries() throws Exception {
        Tensor y = house().select(2, 3).toTensor();
        assertArrayEquals(new long[] {4}, y.shape().toArray());
        assertEquals("tensor([127500, 106000, 178100, 140000])", y.toString());
        assertArrayEquals(new long[] {4}, house().select("Price").toTensor(DType.FLOAT32).shape().toArray());
    }

    @Test
    void malformedRowsAreReportedWithTheirLineNumber() {
        CsvFormatException e = assertThrows(CsvFormatException.class,
                () -> CsvFrame.read(new StringReader("a,b\n1,2\n3,4,5\n6,7\n")));
        assertEquals(3, e.lineNumber());
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("3 fields"), e.getMessage());
        CsvFormatException q = assertThrows(CsvFormatException.class,
                () -> CsvFrame.read(new StringReader("a,b\n1,2\n\"x\"y,4\n")));
        assertEquals(3, q.lineNumber(), q.getMessage());
    }

    @Test
    void textColumnsAndMissingIntegersAreRefusedByToTensorWithTheColumnName() throws Exception {
        CsvFrame data = house();
        var e = assertThrows(IllegalArgumentException.class, () -> data.toTensor("NumRooms", "Alley"));
        assertTrue(e.getMessage().contains("Alley") && e.getMessage().contains("getDummies"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> data.toTensor(DType.INT64, "NumRooms"));
        assertTrue(Double.isNaN(data.toTensor("NumRooms").toDoubleArray()[0]));
    }
}
