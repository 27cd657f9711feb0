/*
 * jt_cuda_selftest: runs each launcher family of libjtensor_cuda.so on small inputs and compares with a
 * plain host reference; prints PASS/FAIL per check, exits 1 on any failure (2 without a usable device).
 * Calls only the library's jt_* functions (its statically linked runtime is the one in the process).
 * `jt_cuda_selftest --bench` also times add/copy of 256M float32 and a full sum (GB/s).
 * Built by native/build-cuda-selftest.sh next to libjtensor_cuda.so (rpath $ORIGIN); not part of the .so.
 */
#include "selftest_support.h"

int failures = 0;

void test_index();
void test_optim();
void test_cnn();
void bench();

// ---------------- checks ----------------

void test_runtime() {
    int count = 0, drv = 0, rt = 0, major = 0, minor = 0, sms = 0;
    char name[256];
    size_t mem = 0;
    CHECK(jt_cuda_device_count(&count));
    CHECK(jt_cuda_driver_version(&drv));
    CHECK(jt_cuda_runtime_version(&rt));
    CHECK(jt_cuda_device_properties(0, name, sizeof name, &mem, &major, &minor, &sms));
    printf("device 0: %s, sm_%d%d, %d SMs, %.1f GiB; driver %d, runtime %d; %d device(s)\n", name, major, minor, sms,
           mem / 1073741824.0, drv, rt, count);
    report("runtime", count > 0 && major > 0, "");
    report("error strings", strcmp(jt_cuda_error_string(JT_ERR_BAD_OP), jt_cuda_error_string(0)) != 0
                                && strlen(jt_cuda_error_string(2)) > 0);
}

void test_unary() {
    const int n = 100003;
    auto x = randf(n, -5, 5);
    x[0] = NAN; x[1] = INFINITY; x[2] = -0.0f; x[3] = 2.5f; x[4] = -2.5f; x[5] = 0.5f;
    Dev<float> dx(x), dout(n);
    struct Case { int op; const char* name; double (*f)(double); double tol; };
    Case cases[] = {
        {JT_EXP, "unary exp f32", [](double v) { return exp(v); }, 2e-7},
        {JT_SIGMOID, "unary sigmoid f32", [](double v) { return 1 / (1 + exp(-v)); }, 4e-7},
        {JT_GELU, "unary gelu f32", [](double v) { return 0.5 * v * (1 + erf(v / sqrt(2.0))); }, 4e-7},
        {JT_GELU_TANH, "unary gelu_tanh f32",
         [](double v) { return 0.5 * v * (1 + tanh(sqrt(2 / M_PI) * (v + 0.044715 * v * v * v))); }, 4e-7},
        {JT_SILU, "unary silu f32", [](double v) { return v / (1 + exp(-v)); }, 4e-7},
        {JT_RELU, "unary relu f32", [](double v) { return v <= 0 ? 0.0 : v; }, 0},
        {JT_ROUND, "unary round half-even f32", [](double v) { return nearbyint(v); }, 0},
        {JT_SIGN, "unary sign f32", [](double v) { return v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0; }, 0},
    };
    for (auto& c : cases) {
        jt_iter_plan p = plan1(n, 2);
        CHECK(jt_unary(c.op, JT_FLOAT32, 0, 0, 0, &p, dout.p, JT_FLOAT32, dx.p, JT_FLOAT32, nullptr));
        auto got = dout.get();
        std::vector<float> want(n);
        for (int i = 0; i < n; i++) want[i] = (float) c.f(x[i]);
        bool ok;
        std::string e = max_error(got, want, n, c.tol, 1e-30, ok);
        report(c.name, ok, e);
    }
    {   // clamp with a NaN lower bound (no bound), strided input (every other element), float64 out
        const int m = n / 2;
        jt_iter_plan p = plan1(m, 2);
        p.strides[JT_MAX_DIMS] = 2;
        Dev<double> d64(m);
        CHECK(jt_unary(JT_CLAMP, JT_FLOAT32, NAN, 1.5, 0, &p, d64.p, JT_FLOAT64, dx.p, JT_FLOAT32, nullptr));
        auto got = d64.get();
        std::vector<double> want(m);
        for (int i = 0; i < m; i++) { float v = x[2 * i]; want[i] = v != v ? v : (v > 1.5f ? 1.5f : v); }
        bool ok;
        std::string e = max_error(got, want, m, 0, 0, ok);
        report("unary clamp (NaN lower bound) strided f32->f64", ok, e);
    }
    {   // float16 / bfloat16 conversion (IDENTITY with the target as compute type)
        jt_iter_plan p = plan1(n, 2);
        Dev<uint16_t> h(n);
        CHECK(jt_unary(JT_IDENTITY, JT_FLOAT16, 0, 0, 0, &p, h.p, JT_FLOAT16, dx.p, JT_FLOAT32, nullptr));
        auto got = h.get();
        bool ok = true;
        char buf[128] = "";
        for (int i = 0; i < n && ok; i++) {
            __half w = __float2half_rn(x[i]);
            uint16_t wb;
            memcpy(&wb, &w, 2);
            bool nan = x[i] != x[i];
            if (nan ? (got[i] & 0x7c00) != 0x7c00 || (got[i] & 0x3ff) == 0 : got[i] != wb) {
                ok = false;
                snprintf(buf, sizeof buf, "at %d: %g -> 0x%04x, want 0x%04x", i, x[i], got[i], wb);
            }
        }
        report("unary cast f32->f16 (RNE)", ok, buf);
        Dev<float> back(n);
        CHECK(jt_unary(JT_IDENTITY, JT_FLOAT32, 0, 0, 0, &p, back.p, JT_FLOAT32, h.p, JT_FLOAT16, nullptr));
        auto b = back.get();
        ok = true;
        for (int i = 0; i < n && ok; i++) {
            float w = __half2float(__float2half_rn(x[i]));
            if (!(b[i] == w || (b[i] != b[i] && w != w))) { ok = false; snprintf(buf, sizeof buf, "at %d", i); }
        }
        report("unary cast f16->f32", ok, buf);
        CHECK(jt_unary(JT_IDENTITY, JT_BFLOAT16, 0, 0, 0, &p, h.p, JT_BFLOAT16, dx.p, JT_FLOAT32, nullptr));
        got = h.get();
        ok = true;
        for (int i = 0; i < n && ok; i++) {
            uint32_t bits;
            memcpy(&bits, &x[i], 4);
            uint16_t w = x[i] != x[i] ? 0x7fc0 : (uint16_t) ((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
            if (got[i] != w) { ok = false; snprintf(buf, sizeof buf, "at %d: 0x%04x want 0x%04x", i, got[i], w); }
        }
        report("unary cast f32->bf16 (RNE)", ok, buf);
    }
    {   // int64 compute: clamp, and float -> int8 truncation toward zero
        auto xl = randl(n, -300, 300);
        Dev<int64_t> dl(xl), ol(n);
        jt_iter_plan p = plan1(n, 2);
        CHECK(jt_unary(JT_CLAMP, JT_INT64, -100, 100, 0, &p, ol.p, JT_INT64, dl.p, JT_INT64, nullptr));
        auto got = ol.get();
        std::vector<int64_t> want(n);
        for (int i = 0; i < n; i++) want[i] = xl[i] < -100 ? -100 : xl[i] > 100 ? 100 : xl[i];
        bool ok;
        std::string e = max_error(got, want, n, 0, 0, ok);
        report("unary clamp int64", ok, e);
        Dev<int8_t> o8(n);
        CHECK(jt_unary(JT_IDENTITY, JT_FLOAT32, 0, 0, 0, &p, o8.p, JT_INT8, dx.p, JT_FLOAT32, nullptr));
        auto g8 = o8.get();
        std::vector<int8_t> w8(n);
        for (int i = 0; i < n; i++) w8[i] = x[i] != x[i] ? 0 : (int8_t) (int64_t) x[i];
        w8[1] = (int8_t) INT64_MAX; // +inf saturates to Long.MAX_VALUE, then wraps
        e = max_error(g8, w8, n, 0, 0, ok);
        report("unary cast f32->int8 (truncate, NaN->0)", ok, e);
    }
    {
        jt_iter_plan p = plan1(10, 2);
        report("unary bad op", jt_unary(99, JT_FLOAT32, 0, 0, 0, &p, dout.p, JT_FLOAT32, dx.p, JT_FLOAT32, nullptr) == JT_ERR_BAD_OP);
        report("unary exp of int64 compute is BAD_OP",
               jt_unary(JT_EXP, JT_INT64, 0, 0, 0, &p, dout.p, JT_FLOAT32, dx.p, JT_FLOAT32, nullptr) == JT_ERR_BAD_OP);
    }
}

void test_binary() {
    // out[R, C] (contiguous) = a^T (a stored [C, R]) op b[C] broadcast along rows
    const int64_t R = 301, C = 77;
    auto a = randf(R * C, -4, 4), b = randf(C, -3, 3);
    a[5] = NAN;
    b[3] = 0;
    Dev<float> da(a), db(b), dout(R * C);
    jt_iter_plan p;
    memset(&p, 0, sizeof p);
    p.rank = 2; p.operands = 3; p.numel = R * C;
    p.shape[0] = R; p.shape[1] = C;
    p.strides[0] = C; p.strides[1] = 1;                             // out
    p.strides[JT_MAX_DIMS] = 1; p.strides[JT_MAX_DIMS + 1] = R;     // a transposed
    p.strides[2 * JT_MAX_DIMS] = 0; p.strides[2 * JT_MAX_DIMS + 1] = 1; // b broadcast
    struct Case { int op; const char* name; double alpha; };
    Case cases[] = {{JT_ADD, "binary add alpha=2 strided/broadcast f32", 2}, {JT_MAXIMUM, "binary maximum (NaN) strided f32", 1},
                    {JT_REMAINDER, "binary remainder strided f32", 1}, {JT_FLOOR_DIV, "binary floor_div strided f32", 1},
                    {JT_LT, "binary lt -> bool", 1}};
    for (auto& c : cases) {
        bool pred = c.op == JT_LT;
        Dev<uint8_t> dbool(R * C);
        CHECK(jt_binary(c.op, JT_FLOAT32, c.alpha, &p, pred ? (void*) dbool.p : (void*) dout.p, pred ? JT_BOOL : JT_FLOAT32,
                        da.p, JT_FLOAT32, db.p, JT_FLOAT32, nullptr));
        std::vector<double> got(R * C), want(R * C);
        if (pred) { auto g = dbool.get(); for (int64_t i = 0; i < R * C; i++) got[i] = g[i]; }
        else { auto g = dout.get(); for (int64_t i = 0; i < R * C; i++) got[i] = g[i]; }
        for (int64_t r = 0; r < R; r++) {
            for (int64_t k = 0; k < C; k++) {
                float x = a[k * R + r], y = b[k];
                float w;
                switch (c.op) {
                    case JT_ADD: w = x + (float) c.alpha * y; break;
                    case JT_MAXIMUM: w = x != x || y != y ? NAN : fmaxf(x, y); break;
                    case JT_REMAINDER: { double m = fmod((double) x, (double) y); if (m != 0 && ((y < 0) != (m < 0))) m += y; w = (float) m; break; }
                    case JT_FLOOR_DIV: {
                        double xd = x, yd = y;
                        if (yd == 0) { w = (float) (xd / yd); break; }
                        double mod = fmod(xd, yd), div = (xd - mod) / yd;
                        if (mod != 0 && (yd < 0) != (mod < 0)) div -= 1;
                        if (div == 0) { w = (float) copysign(0.0, xd / yd); break; }
                        double fl = floor(div);
                        if (div - fl > 0.5) fl += 1;
                        w = (float) fl;
                        break;
                    }
                    default: w = x < y ? 1 : 0; break;
                }
                want[r * C + k] = w;
            }
        }
        bool ok;
        std::string e = max_error(got, want, R * C, 2e-7, 0, ok);
        report(c.name, ok, e);
    }
    {   // int64 floor division and remainder with negative operands (Python semantics), x // 0 -> 0
        const int n = 5000;
        auto x = randl(n, -50, 50), y = randl(n, -7, 7);
        Dev<int64_t> dx(x), dy(y), o(n);
        jt_iter_plan q = plan1(n, 3);
        CHECK(jt_binary(JT_FLOOR_DIV, JT_INT64, 1, &q, o.p, JT_INT64, dx.p, JT_INT64, dy.p, JT_INT64, nullptr));
        auto g = o.get();
        std::vector<int64_t> w(n);
        for (int i = 0; i < n; i++) {
            if (y[i] == 0) { w[i] = 0; continue; }
            int64_t qq = x[i] / y[i];
            if ((x[i] % y[i] != 0) && ((x[i] ^ y[i]) < 0)) qq--;
            w[i] = qq;
        }
        bool ok;
        std::string e = max_error(g, w, n, 0, 0, ok);
        report("binary floor_div int64", ok, e);
        CHECK(jt_binary(JT_POW, JT_INT64, 1, &q, o.p, JT_INT64, dx.p, JT_INT64, dy.p, JT_INT64, nullptr));
        g = o.get();
        for (int i = 0; i < n; i++) {
            int64_t base = x[i], ex = y[i];
            if (ex < 0) { w[i] = base == 1 ? 1 : base == -1 ? ((ex & 1) ? -1 : 1) : 0; continue; }
            uint64_t r = 1;
            for (int64_t k = 0; k < ex; k++) r *= (uint64_t) base;
            w[i] = (int64_t) r;
        }
        e = max_error(g, w, n, 0, 0, ok);
        report("binary pow int64", ok, e);
    }
    {   // contiguous fast path with an unaligned offset, and where
        const int n = 1000001;
        auto x = randf(n), y = randf(n);
        Dev<float> dx(x), dy(y), o(n);
        jt_iter_plan q = plan1(n - 1, 3);
        q.offset[0] = 1; q.offset[1] = 1; q.offset[2] = 1;
        CHECK(jt_binary(JT_MUL, JT_FLOAT32, 1, &q, o.p, JT_FLOAT32, dx.p, JT_FLOAT32, dy.p, JT_FLOAT32, nullptr));
        auto g = o.get();
        bool ok = true;
        for (int i = 1; i < n && ok; i++) ok = g[i] == x[i] * y[i];
        report("binary mul contiguous unaligned f32", ok);
        std::vector<uint8_t> c(n);
        for (int i = 0; i < n; i++) c[i] = (i % 3) == 0;
        Dev<uint8_t> dc(c);
        Dev<double> od(n);
        jt_iter_plan w = plan1(n, 4);
        CHECK(jt_where(&w, od.p, JT_FLOAT64, dc.p, JT_BOOL, dx.p, JT_FLOAT32, dy.p, JT_FLOAT32, nullptr));
        auto gd = od.get();
        ok = true;
        for (int i = 0; i < n && ok; i++) ok = gd[i] == (double) (c[i] ? x[i] : y[i]);
        report("where f32,f32 -> f64", ok);
    }
}

void test_reduce() {
    {   // full sum of 10M floats (split over blocks), deterministic
        const int64_t n = 10000000;
        auto x = randf(n, -1, 1);
        Dev<float> dx(x), o(2);
        jt_reduce_plan p;
        memset(&p, 0, sizeof p);
        p.outer_rank = 0; p.inner_rank = 1; p.output_count = 1; p.inner_count = n;
        p.inner_shape[0] = n; p.inner_strides[0] = 1;
        size_t ws_bytes = jt_reduce_workspace_bytes(&p);
        void* ws = nullptr;
        if (ws_bytes) CHECK(jt_cuda_malloc(0, &ws, ws_bytes));
        CHECK(jt_reduce(JT_SUM, 1.0, dx.p, JT_FLOAT32, &p, o.p, JT_FLOAT32, nullptr, ws, nullptr));
        float first = o.get()[0];
        CHECK(jt_reduce(JT_SUM, 1.0, dx.p, JT_FLOAT32, &p, o.p, JT_FLOAT32, nullptr, ws, nullptr));
        float second = o.get()[0];
        double ref = 0;
        for (float v : x) ref += v;
        char buf[160];
        snprintf(buf, sizeof buf, "got %.9g want %.9g (workspace %zu bytes)", first, (float) ref, ws_bytes);
        report("reduce sum 10M f32 (split)", ws_bytes > 0 && close(first, (float) ref, 1.2e-7), buf);
        report("reduce sum deterministic", memcmp(&first, &second, 4) == 0);
        // mean, amax with a NaN, logsumexp, var on the split path
        x[1234567] = NAN;
        dx.put(x);
        CHECK(jt_reduce(JT_AMAX, 0, dx.p, JT_FLOAT32, &p, o.p, JT_FLOAT32, nullptr, ws, nullptr));
        report("reduce amax with NaN (split)", o.get()[0] != o.get()[0]);
        Dev<int64_t> idx(1);
        CHECK(jt_reduce(JT_MAX, 0, dx.p, JT_FLOAT32, &p, o.p, JT_FLOAT32, idx.p, ws, nullptr));
        report("reduce max index of the first NaN (split)", idx.get()[0] == 1234567);
        x[1234567] = 0.25f;
        dx.put(x);
        Dev<double> od(1);
        CHECK(jt_reduce(JT_VAR, 1, dx.p, JT_FLOAT32, &p, od.p, JT_FLOAT64, nullptr, ws, nullptr));
        double s = 0, m2 = 0, drift = 0;
        for (float v : x) s += v;
        double mean = s / n;
        for (float v : x) { double d = v - mean; m2 += d * d; drift += d; }
        double var = (m2 - drift * drift / n) / (n - 1);
        snprintf(buf, sizeof buf, "got %.17g want %.17g", od.get()[0], var);
        report("reduce var f32 -> f64 (split)", close(od.get()[0], var, 1e-12), buf);
        CHECK(jt_reduce(JT_LOGSUMEXP, 0, dx.p, JT_FLOAT32, &p, od.p, JT_FLOAT64, nullptr, ws, nullptr));
        double mx = -INFINITY, se = 0;
        for (float v : x) mx = v > mx ? v : mx;
        for (float v : x) se += exp(v - mx);
        snprintf(buf, sizeof buf, "got %.17g want %.17g", od.get()[0], mx + log(se));
        report("reduce logsumexp (split)", close(od.get()[0], mx + log(se), 1e-12), buf);
        if (ws) jt_cuda_free(0, ws);
    }
    {   // argmax per row with duplicated maxima (first occurrence), block and warp strategies
        for (int64_t cols : {777, 100}) {
            const int64_t rows = 1000;
            auto x = randl(rows * cols, -20, 20);
            std::vector<float> xf(x.begin(), x.end());
            Dev<float> dx(xf), o(rows);
            Dev<int64_t> idx(rows);
            jt_reduce_plan p = rows_plan(rows, cols, true);
            CHECK(jt_reduce(JT_MAX, 0, dx.p, JT_FLOAT32, &p, o.p, JT_FLOAT32, idx.p, nullptr, nullptr));
            auto gi = idx.get();
            auto gv = o.get();
            bool ok = true;
            for (int64_t r = 0; r < rows && ok; r++) {
                int64_t best = 0;
                for (int64_t c = 1; c < cols; c++) if (xf[r * cols + c] > xf[r * cols + best]) best = c;
                ok = gi[r] == best && gv[r] == xf[r * cols + best];
            }
            report(cols > 512 ? "reduce argmax rows (block per row)" : "reduce argmax rows (warp per row)", ok);
        }
    }
    {   // column sums (outer stride 1), int64 exact sums, all/any, norm
        const int64_t rows = 513, cols = 1000;
        auto x = randf(rows * cols);
        Dev<float> dx(x), o(cols);
        jt_reduce_plan p = rows_plan(rows, cols, false);
        CHECK(jt_reduce(JT_SUM, 1.0 / rows, dx.p, JT_FLOAT32, &p, o.p, JT_FLOAT32, nullptr, nullptr, nullptr));
        auto g = o.get();
        std::vector<float> w(cols);
        for (int64_t c = 0; c < cols; c++) {
            double s = 0;
            for (int64_t r = 0; r < rows; r++) s += x[r * cols + c];
            w[c] = (float) (s * (1.0 / rows));
        }
        bool ok;
        std::string e = max_error(g, w, cols, 1.2e-7, 0, ok);
        report("reduce mean over dim 0 (columns)", ok, e);
        CHECK(jt_reduce(JT_NORM, 2, dx.p, JT_FLOAT32, &p, o.p, JT_FLOAT32, nullptr, nullptr, nullptr));
        g = o.get();
        for (int64_t c = 0; c < cols; c++) {
            double s = 0;
            for (int64_t r = 0; r < rows; r++) s += (double) x[r * cols + c] * x[r * cols + c];
            w[c] = (float) sqrt(s);
        }
        e = max_error(g, w, cols, 1.2e-7, 0, ok);
        report("reduce norm p=2 over dim 0", ok, e);
        auto xl = randl(rows * cols, -(1LL << 40), 1LL << 40);
        Dev<int64_t> dl(xl), ol(rows);
        jt_reduce_plan q = rows_plan(rows, cols, true);
        CHECK(jt_reduce(JT_SUM, 1, dl.p, JT_INT64, &q, ol.p, JT_INT64, nullptr, nullptr, nullptr));
        auto gl = ol.get();
        ok = true;
        for (int64_t r = 0; r < rows && ok; r++) {
            int64_t s = 0;
            for (int64_t c = 0; c < cols; c++) s += xl[r * cols + c];
            ok = gl[r] == s;
        }
        report("reduce sum int64 exact", ok);
        Dev<uint8_t> ob(rows);
        CHECK(jt_reduce(JT_ANY, 0, dl.p, JT_INT64, &q, ob.p, JT_BOOL, nullptr, nullptr, nullptr));
        auto gb = ob.get();
        ok = true;
        for (int64_t r = 0; r < rows && ok; r++) ok = gb[r] == 1;
        report("reduce any int64 -> bool", ok);
    }
    {   // cumsum along dim 0 of [50, 40] (after = 40) and along dim 1
        const int64_t rows = 50, cols = 40;
        auto x = randf(rows * cols);
        Dev<float> dx(x), o(rows * cols);
        jt_reduce_plan p = rows_plan(rows, cols, false); // lines = columns
        CHECK(jt_scan(0, dx.p, JT_FLOAT32, &p, rows, cols, cols, o.p, JT_FLOAT32, nullptr));
        auto g = o.get();
        bool ok = true;
        for (int64_t c = 0; c < cols && ok; c++) {
            double s = 0;
            for (int64_t r = 0; r < rows && ok; r++) { s += x[r * cols + c]; ok = g[r * cols + c] == (float) s; }
        }
        report("scan cumsum dim 0", ok);
        jt_reduce_plan q = rows_plan(rows, cols, true);
        CHECK(jt_scan(1, dx.p, JT_FLOAT32, &q, cols, 1, 1, o.p, JT_FLOAT32, nullptr));
        g = o.get();
        ok = true;
        for (int64_t r = 0; r < rows && ok; r++) {
            double s = 1;
            for (int64_t c = 0; c < cols && ok; c++) { s *= x[r * cols + c]; ok = g[r * cols + c] == (float) s; }
        }
        report("scan cumprod dim 1", ok);
    }
}

void test_softmax() {
    for (int64_t cols : {4096, 50}) {
        const int64_t rows = 64;
        auto x = randf(rows * cols, -10, 10);
        x[cols * 3 + 1] = NAN;                         // row 3 all NaN
        for (int64_t c = 0; c < cols; c++) x[cols * 5 + c] = -INFINITY; // row 5 all -inf: NaN
        Dev<float> dx(x), o(rows * cols);
        jt_reduce_plan p = rows_plan(rows, cols, true);
        for (int log_ = 0; log_ < 2; log_++) {
            CHECK(jt_softmax(log_, dx.p, JT_FLOAT32, &p, cols, 1, 1, o.p, nullptr));
            auto g = o.get();
            std::vector<double> w(rows * cols);
            for (int64_t r = 0; r < rows; r++) {
                double m = -INFINITY;
                for (int64_t c = 0; c < cols; c++) { double v = x[r * cols + c]; if (v > m || v != v) m = v; }
                if (m == -INFINITY) m = 0;
                double s = 0;
                for (int64_t c = 0; c < cols; c++) s += exp(x[r * cols + c] - m);
                for (int64_t c = 0; c < cols; c++)
                    w[r * cols + c] = log_ ? x[r * cols + c] - m - log(s) : exp(x[r * cols + c] - m) / s;
            }
            bool ok;
            std::string e = max_error(g, w, rows * cols, 2e-6, 1e-6, ok);
            std::string name = std::string(log_ ? "log_softmax" : "softmax") + (cols > 256 ? " rows of 4096 f32" : " rows of 50 f32");
            report(name.c_str(), ok, e);
        }
    }
}



int main(int argc, char** argv) {
    int count = 0;
    int rc = jt_cuda_device_count(&count);
    if (rc != 0 || count == 0) {
        printf("no usable CUDA device: %s\n", rc ? jt_cuda_error_string(rc) : "0 devices");
        return 2;
    }
    test_runtime();
    test_unary();
    test_binary();
    test_reduce();
    test_softmax();
    test_index();
    test_optim();
    test_cnn();
    if (argc > 1 && strcmp(argv[1], "--bench") == 0) bench();
    printf("%s: %d failure(s)\n", failures ? "FAILED" : "ALL PASSED", failures);
    return failures ? 1 : 0;
}
