package dev.jtensor.backend.cuda;

import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_abi_version;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_device_count;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_device_properties;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_driver_version;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_error_string;
import static dev.jtensor.bindings.cuda.jtensor_cuda_h.jt_cuda_runtime_version;

import dev.jtensor.backend.nativelib.BundledLibrary;
import dev.jtensor.bindings.cublas.cublas_h;
import dev.jtensor.internal.Config;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds and loads what CUDA needs, once, and says what is missing when something is (DESIGN section 6):
 * our {@code libjtensor_cuda.so} (kernels plus the statically linked CUDA runtime, shipped in the engine jar
 * or named by {@code -Djtensor.cuda.library}), the driver {@code libcuda.so.1} (which that runtime opens),
 * at least one device, and cuBLAS ({@code libcublas.so.13} or {@code .12} with its {@code libcublasLt}), looked
 * for in {@code -Djtensor.cuda.path}, the dynamic loader's search, {@code $CUDA_HOME/lib64},
 * {@code /usr/local/cuda/lib64} and Python environments' {@code site-packages/nvidia/}{@code *}{@code /lib}.
 */
final class CudaLibrary {
    static final String LIBRARY_PROPERTY = "jtensor.cuda.library";
    static final String PATH_PROPERTY = "jtensor.cuda.path";
    /**
     * The version of libjtensor_cuda.so's C ABI this engine was built for ({@code jt_cuda_abi_version}; 2: the CNN window
     * and attention launchers; 3: index values checked on the device, {@code jt_cuda_take_index_error}, and the fused
     * recurrent cells of {@code rnn.cu}).
     */
    static final int ABI_VERSION = 3;
    static final String RESOURCE = BundledLibrary.RESOURCE_DIRECTORY + "libjtensor_cuda.so";
    private static final List<String> CUBLAS_SONAMES = List.of("libcublas.so.13", "libcublas.so.12");

    /** The outcome of loading: usable, or the problem; with the devices and libraries found. */
    record Probe(boolean usable, String problem, int deviceCount, List<String> details, Path cublas) {}

    private static volatile Probe probe;

    private CudaLibrary() {}

    /** Loads everything on the first call; later calls return the same answer. */
    static Probe probe() {
        Probe p = probe;
        return p != null ? p : probeOnce();
    }

    private static synchronized Probe probeOnce() {
        if (probe != null) return probe;
        probe = load();
        return probe;
    }

    private static Probe load() {
        Path ours;
        try {
            ours = ourLibrary();
        } catch (IllegalStateException e) {
            return unusable(e.getMessage());
        } catch (UnsatisfiedLinkError e) {
            return unusable("cannot load " + System.getProperty(LIBRARY_PROPERTY) + ": " + e.getMessage());
        }
        int abi = SymbolLookup.loaderLookup().find("jt_cuda_abi_version").isPresent() ? jt_cuda_abi_version() : 1;
        if (abi != ABI_VERSION) {
            return unusable(ours + " has CUDA kernel ABI " + abi + ", this engine needs " + ABI_VERSION
                    + ": rebuild it (native/build-cuda.sh) or pass the matching -D" + LIBRARY_PROPERTY);
        }
        int count;
        int driver;
        int runtime;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(ValueLayout.JAVA_INT);
            int err = jt_cuda_device_count(n);
            MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
            jt_cuda_driver_version(v);
            driver = v.get(ValueLayout.JAVA_INT, 0);
            jt_cuda_runtime_version(v);
            runtime = v.get(ValueLayout.JAVA_INT, 0);
            if (err != 0) {
                return unusable("no usable CUDA driver or device (" + errorString(err) + "; CUDA error " + err + "). The driver"
                        + " library libcuda.so.1 " + (driver == 0 ? "was not found by the dynamic loader (install the NVIDIA driver,"
                        + " R580 or newer for CUDA 13)" : "reports CUDA " + version(driver)) + "; jtensor's kernels need CUDA "
                        + version(runtime) + ".");
            }
            count = n.get(ValueLayout.JAVA_INT, 0);
        }
        if (count == 0) return unusable("the CUDA driver found no device");
        Path cublas;
        List<String> looked = new ArrayList<>();
        try {
            cublas = loadCublas(looked);
        } catch (IllegalStateException e) {
            return unusable(e.getMessage());
        }
        List<String> details = new ArrayList<>();
        details.add("CUDA driver " + version(driver) + ", runtime " + version(runtime) + " (static, in " + ours + ")");
        details.add("cuBLAS " + cublas);
        details.add("CNN window and fused attention kernels (conv.cu, attention.cu): " + (CudaWindows.ENABLED ? "on" : "off, composites instead (-D"
                + CudaWindows.PROPERTY + "=true to use them; not yet verified on a GPU)"));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(256);
            MemorySegment mem = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment major = arena.allocate(ValueLayout.JAVA_INT), minor = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment sms = arena.allocate(ValueLayout.JAVA_INT);
            for (int i = 0; i < count; i++) {
                int err = jt_cuda_device_properties(i, name, 256, mem, major, minor, sms);
                if (err != 0) {
                    details.add("cuda:" + i + " (properties unavailable: " + errorString(err) + ")");
                    continue;
                }
                details.add(String.format("cuda:%d %s, %.1f GiB, compute capability %d.%d, %d SMs", i, name.getString(0),
                        mem.get(ValueLayout.JAVA_LONG, 0) / (double) (1L << 30), major.get(ValueLayout.JAVA_INT, 0),
                        minor.get(ValueLayout.JAVA_INT, 0), sms.get(ValueLayout.JAVA_INT, 0)));
            }
        }
        return new Probe(true, null, count, List.copyOf(details), cublas);
    }

    private static Probe unusable(String problem) { return new Probe(false, problem, 0, List.of(), null); }

    /** A CUDA version number (12080) as text (12.8). */
    static String version(int v) { return v <= 0 ? "unknown" : (v / 1000) + "." + (v % 1000) / 10; }

    /** The message of a CUDA or launcher error code. */
    static String errorString(int error) {
        return jt_cuda_error_string(error).reinterpret(1024).getString(0);
    }

    // ---------------- our library ----------------

    /** Our library: {@code -Djtensor.cuda.library}, else the engine jar's copy (extracted and loaded by BundledLibrary). */
    private static Path ourLibrary() {
        Path named = BundledLibrary.loadNamed(LIBRARY_PROPERTY);
        if (named != null) return named;
        if (!BundledLibrary.platformSupported()) {
            throw new IllegalStateException("jtensor's CUDA kernels are built for linux-x86_64 only, and this is "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
        }
        if (CudaLibrary.class.getResource(RESOURCE) == null) {
            throw new IllegalStateException("this build of jtensor has no CUDA kernels (no " + RESOURCE.substring(1)
                    + " in the engine jar: it was built where nvcc was absent); rebuild with CUDA's nvcc on PATH or pass -D"
                    + LIBRARY_PROPERTY + "=/path/to/libjtensor_cuda.so");
        }
        return BundledLibrary.load("libjtensor_cuda.so");
    }

    // ---------------- cuBLAS ----------------

    /** Loads cuBLAS (and cuBLASLt beside it), returning its path; the message lists every place looked. */
    private static Path loadCublas(List<String> looked) {
        for (Path dir : searchDirectories()) {
            for (String soname : CUBLAS_SONAMES) {
                Path lib = dir.resolve(soname);
                looked.add(lib.toString());
                if (!Files.isRegularFile(lib)) continue;
                String lt = soname.replace("libcublas", "libcublasLt");
                Path ltPath = dir.resolve(lt);
                try {
                    if (Files.isRegularFile(ltPath)) System.load(ltPath.toString());
                    System.load(lib.toString());
                } catch (UnsatisfiedLinkError e) {
                    throw new IllegalStateException("cuBLAS found at " + lib + " but it cannot be loaded: " + e.getMessage(), e);
                }
                checkCublas(lib);
                return lib;
            }
        }
        // the dynamic loader's own search (LD_LIBRARY_PATH, ld.so.cache): find the file it maps, then load that
        for (String soname : CUBLAS_SONAMES) {
            looked.add(soname + " (dynamic loader search)");
            try {
                SymbolLookup.libraryLookup(soname, Arena.global());
            } catch (IllegalArgumentException notFound) {
                continue;
            }
            Path mapped = mappedPath(soname);
            if (mapped != null) {
                System.load(mapped.toString());
                checkCublas(mapped);
                return mapped;
            }
        }
        throw new IllegalStateException("cuBLAS (libcublas.so.13 or libcublas.so.12) not found; looked at " + String.join(", ", looked)
                + ". Install CUDA's cuBLAS (or pip's nvidia-cublas) and, if it is elsewhere, pass -D" + PATH_PROPERTY + "=<its lib dir>");
    }

    private static void checkCublas(Path lib) {
        if (SymbolLookup.loaderLookup().find("cublasSgemm_v2").isEmpty()) {
            throw new IllegalStateException(lib + " was loaded but does not export cublasSgemm_v2: it is not cuBLAS");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(ValueLayout.JAVA_INT);
            cublas_h.cublasGetVersion_v2(MemorySegment.NULL, v); // a NULL handle is allowed here
        }
    }

    /** Where the loader found {@code soname}, from this process's memory map. */
    private static Path mappedPath(String soname) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0 && line.endsWith("/" + soname) || slash >= 0 && line.contains("/" + soname)) {
                    return Path.of(line.substring(slash).strip());
                }
            }
        } catch (IOException ignored) {
            // not on Linux with /proc: fall through
        }
        return null;
    }

    /** The directories searched for cuBLAS, in DESIGN section 6's order (the loader's search comes last, by soname). */
    static List<Path> searchDirectories() {
        Set<Path> dirs = new LinkedHashSet<>();
        String asked = Config.string(PATH_PROPERTY);
        if (asked != null) for (String d : asked.split(java.io.File.pathSeparator)) if (!d.isBlank()) dirs.add(Path.of(d.strip()));
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) for (String d : ld.split(":")) if (!d.isBlank()) dirs.add(Path.of(d));
        String cudaHome = System.getenv("CUDA_HOME");
        if (cudaHome != null && !cudaHome.isBlank()) dirs.add(Path.of(cudaHome, "lib64"));
        dirs.add(Path.of("/usr/local/cuda/lib64"));
        for (Path sitePackages : pythonSitePackages()) {
            Path nvidia = sitePackages.resolve("nvidia");
            if (!Files.isDirectory(nvidia)) continue;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(nvidia)) {
                List<Path> libs = new ArrayList<>();
                for (Path p : ds) if (Files.isDirectory(p.resolve("lib"))) libs.add(p.resolve("lib"));
                libs.sort(null);
                dirs.addAll(libs);
            } catch (IOException ignored) {
                // unreadable: skip
            }
        }
        return List.copyOf(dirs);
    }

    private static List<Path> pythonSitePackages() {
        List<Path> roots = new ArrayList<>();
        for (String env : new String[] {"VIRTUAL_ENV", "CONDA_PREFIX"}) {
            String v = System.getenv(env);
            if (v != null && !v.isBlank()) roots.add(Path.of(v, "lib"));
        }
        String path = System.getenv("PATH"); // the python3 on PATH (a virtual environment's, say): its prefix's lib
        if (path != null) {
            for (String d : path.split(":")) {
                if (!d.isBlank() && Files.isExecutable(Path.of(d, "python3")) && Path.of(d).getParent() != null) {
                    roots.add(Path.of(d).getParent().resolve("lib"));
                }
            }
        }
        roots.add(Path.of(System.getProperty("user.home", "/root"), ".local", "lib"));
        roots.add(Path.of("/usr/local/lib"));
        roots.add(Path.of("/usr/lib"));
        roots.add(Path.of("/opt/conda/lib"));
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) continue;
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, "python3*")) {
                List<Path> pythons = new ArrayList<>();
                for (Path p : ds) pythons.add(p);
                pythons.sort(null);
                for (Path p : pythons) {
                    out.add(p.resolve("site-packages"));
                    out.add(p.resolve("dist-packages"));
                }
            } catch (IOException ignored) {
                // unreadable: skip
            }
        }
        return out;
    }
}
