package dev.jtensor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jtensor.backend.cpu.NativeMemory;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Strict parsing of the jtensor.* system properties, and the README's table listing every one the code reads. */
class ConfigTest {
    private static final String P = "jtensor.test.configTest";

    @ParameterizedTest
    @CsvSource({"0, 0", "1048576, 1048576", "1024k, 1048576", "1024K, 1048576", "512m, 536870912", "2g, 2147483648",
        "2G, 2147483648", "2gb, 2147483648", "1t, 1099511627776", "' 3m ', 3145728", "8191t, 9006099743113216"})
    void sizesTakePlainBytesOrXmxUnits(String text, long bytes) {
        assertEquals(bytes, Config.parseBytes(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2x", "g", "-1", "1.5g", "2 g", "0x10", "2gib", "9999999999999999999", "8388608t", "1e6", "+-1", "b"})
    void malformedSizesAreRefused(String text) {
        assertEquals(-1, Config.parseBytes(text), text);
        System.setProperty(P, text);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Config.bytes(P, 7, 0));
            assertTrue(e.getMessage().contains("-D" + P + "=" + text.strip()) && e.getMessage().contains("2g"), e.getMessage());
        } finally {
            System.clearProperty(P);
        }
    }

    @Test
    void absentOrBlankMeansTheDefault() {
        System.clearProperty(P);
        assertEquals(7, Config.bytes(P, 7, 0));
        assertEquals(7, Config.longValue(P, 7, 0));
        assertTrue(Config.bool(P, true));
        assertNull(Config.string(P));
        System.setProperty(P, "  ");
        try {
            assertEquals(5, Config.intValue(P, 5, 1));
            assertFalse(Config.bool(P, false));
            assertNull(Config.string(P));
        } finally {
            System.clearProperty(P);
        }
    }

    @Test
    void booleansNumbersAndMinimaAreStrict() {
        try {
            System.setProperty(P, "TRUE");
            assertTrue(Config.bool(P, false));
            System.setProperty(P, "False ");
            assertFalse(Config.bool(P, true));
            System.setProperty(P, "yes");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Config.bool(P, false)).getMessage().contains("true or false"));
            System.setProperty(P, "0");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Config.intValue(P, 4, 1)).getMessage().contains("at least 1"));
            System.setProperty(P, "4096");
            assertEquals(4096, Config.intValue(P, 4, 1));
            System.setProperty(P, "3000000000");
            assertThrows(IllegalArgumentException.class, () -> Config.intValue(P, 4, 1));
            System.setProperty(P, "four");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Config.longValue(P, 4, 0)).getMessage().contains("whole number"));
            System.setProperty(P, "512m");
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Config.bytes(P, 0, 1L << 30)).getMessage().contains("at least"));
        } finally {
            System.clearProperty(P);
        }
    }

    /** Child JVM entry point: prints the memory settings (the first tensor initialises NativeMemory). */
    public static void main(String[] args) {
        try (var t = dev.jtensor.Jt.ones(1000)) {
            System.out.println("limit=" + NativeMemory.limitBytes() + " pool=" + NativeMemory.poolCapBytes() + " sum=" + t.sum().item());
        }
    }

    private static String child(String... flags) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ConfigTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return "exit=" + p.exitValue() + "\n" + out;
    }

    @Test
    void readmesSparkSettingTakesEffectAndAMalformedOneFailsClearly() throws Exception {
        String ok = child("-Djtensor.memory.limitBytes=2g", "-Djtensor.memory.poolCapBytes=512m");
        assertTrue(ok.startsWith("exit=0") && ok.contains("limit=2147483648 pool=536870912 sum=1000.0"), ok);
        String bad = child("-Djtensor.memory.limitBytes=2gigs");
        assertNotEquals("exit=0", bad.substring(0, 6), bad);
        assertTrue(bad.contains("IllegalArgumentException: -Djtensor.memory.limitBytes=2gigs is malformed: expected a size in bytes"), bad);
    }

    /** Every "jtensor.x" property name in the engine's sources appears in the README's configuration table. */
    @Test
    void everyPropertyTheEngineReadsIsInTheReadmeTable() throws Exception {
        Path root = Path.of("src/main/java");
        Pattern name = Pattern.compile("\"(jtensor\\.[a-z][A-Za-z0-9.]*)\"");
        TreeSet<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = name.matcher(Files.readString(f));
                while (m.find()) found.add(m.group(1));
            }
        }
        assertTrue(found.size() >= 15, "property names found: " + found);
        String readme = Files.readString(Path.of("../README.md"));
        int table = readme.indexOf("## Configuration");
        assertTrue(table > 0, "README has a Configuration section");
        String section = readme.substring(table, readme.indexOf("\n## ", table + 5));
        List<String> missing = found.stream().filter(p -> !section.contains("| `" + p + "` |")).toList();
        assertTrue(missing.isEmpty(), "properties read by the engine but missing from README's table: " + missing);
    }
}
