/* The CUDA self-test, part two: indexing, optimizer steps, and the --bench timings (see selftest.cu). */
#include "selftest_support.h"

void test_index_bounds();

void test_index() {
    const int64_t R = 40, C = 30;
    auto x = randf(R * C);
    Dev<float> dx(x);
    {   // gather along dim 1 of a transposed view: x^T is [C, R] with strides (1, C)
        jt_layout xl = layout2(C, R, 1, C);
        const int64_t IC = 17;
        auto index = randl(C * IC, 0, R - 1);
        jt_layout is = layout2(C, IC, IC, 1);
        Dev<int64_t> di(index);
        Dev<float> o(C * IC);
        CHECK(jt_gather(dx.p, JT_FLOAT32, &xl, 1, di.p, &is, o.p, nullptr));
        auto g = o.get();
        bool ok = true;
        for (int64_t i = 0; i < C && ok; i++)
            for (int64_t j = 0; j < IC && ok; j++) ok = g[i * IC + j] == x[index[i * IC + j] * C + i];
        report("gather dim 1 of a transposed view", ok);
    }
    {   // scatter-add with duplicates into [8, C], f32, int32 and f16
        const int64_t OR = 8, IR = 200;
        auto index = randl(IR * C, 0, OR - 1);
        auto src = randf(IR * C);
        for (auto& v : src) v = roundf(v * 8) / 8; // exact in float16 and in float sums
        Dev<int64_t> di(index);
        jt_layout is = layout2(IR, C, C, 1), sl = layout2(IR, C, C, 1), ol = layout2(OR, C, C, 1);
        std::vector<double> want(OR * C, 0.0);
        for (int64_t i = 0; i < IR; i++)
            for (int64_t j = 0; j < C; j++) want[index[i * C + j] * C + j] += src[i * C + j];
        std::vector<float> zeros(OR * C, 0.f);
        Dev<float> o(zeros), ds(src);
        CHECK(jt_scatter(o.p, JT_FLOAT32, &ol, 0, di.p, &is, ds.p, &sl, 0, 1, nullptr));
        bool ok;
        std::string e = max_error(o.get(), want, OR * C, 0, 0, ok);
        report("scatter-add duplicates f32", ok, e);
        std::vector<int32_t> si(src.size());
        for (size_t i = 0; i < src.size(); i++) si[i] = (int32_t) (src[i] * 8);
        std::vector<int32_t> zi(OR * C, 0);
        Dev<int32_t> oi(zi), dsi(si);
        CHECK(jt_scatter(oi.p, JT_INT32, &ol, 0, di.p, &is, dsi.p, &sl, 0, 1, nullptr));
        std::vector<double> want8(want);
        for (auto& v : want8) v *= 8;
        e = max_error(oi.get(), want8, OR * C, 0, 0, ok);
        report("scatter-add duplicates int32", ok, e);
        std::vector<uint16_t> sh(src.size()), zh(OR * C, 0);
        for (size_t i = 0; i < src.size(); i++) { __half h = __float2half_rn(src[i]); memcpy(&sh[i], &h, 2); }
        Dev<uint16_t> oh(zh), dsh(sh);
        CHECK(jt_scatter(oh.p, JT_FLOAT16, &ol, 0, di.p, &is, dsh.p, &sl, 0, 1, nullptr));
        auto gh = oh.get();
        std::vector<float> ghf(gh.size());
        for (size_t i = 0; i < gh.size(); i++) { __half h; memcpy(&h, &gh[i], 2); ghf[i] = __half2float(h); }
        e = max_error(ghf, want, OR * C, 0, 0, ok); // sums are multiples of 1/8 below 2^8: exact in float16
        report("scatter-add duplicates f16 (CAS)", ok, e);
        // fill (src NULL) at the indexed positions of row 0 only
        jt_layout is1 = layout2(1, C, C, 1);
        Dev<float> o2(zeros);
        CHECK(jt_scatter(o2.p, JT_FLOAT32, &ol, 0, di.p, &is1, nullptr, nullptr, 7.0, 0, nullptr));
        auto g2 = o2.get();
        ok = true;
        for (int64_t j = 0; j < C && ok; j++) ok = g2[index[j] * C + j] == 7.f;
        report("scatter value", ok);
    }
    {   // masked_fill through a broadcast mask (one row of mask, stride 0 over rows); take/put as rank-1 gather/scatter
        std::vector<uint8_t> mask(C);
        for (int64_t j = 0; j < C; j++) mask[j] = j % 4 == 1;
        Dev<uint8_t> dm(mask);
        Dev<float> y(x);
        jt_layout xl = layout2(R, C, C, 1), ml = layout2(R, C, 0, 1);
        CHECK(jt_masked_fill(y.p, JT_FLOAT32, &xl, dm.p, &ml, -1.5, nullptr));
        auto g = y.get();
        bool ok = true;
        for (int64_t i = 0; i < R * C && ok; i++) ok = g[i] == (mask[i % C] ? -1.5f : x[i]);
        report("masked_fill broadcast mask", ok);
        auto offs = randl(500, 0, R * C - 1);
        Dev<int64_t> doff(offs);
        Dev<float> t(510);
        jt_layout row = layout2(R * C, 1, 1, 0), picks = layout2(500, 1, 1, 0);
        row.rank = picks.rank = 1;
        CHECK(jt_gather(dx.p, JT_FLOAT32, &row, 0, doff.p, &picks, t.p + 10, nullptr));
        auto gt = t.get();
        ok = true;
        for (int k = 0; k < 500 && ok; k++) ok = gt[10 + k] == x[offs[k]];
        report("take", ok);
        std::vector<int64_t> perm(R * C);
        for (int64_t i = 0; i < R * C; i++) perm[i] = (i * 7 + 3) % (R * C); // a permutation (gcd(7, 1200) = 1)
        Dev<int64_t> dp(perm);
        Dev<float> pd(R * C);
        jt_layout all = layout2(R * C, 1, 1, 0);
        all.rank = 1;
        CHECK(jt_scatter(pd.p, JT_FLOAT32, &row, 0, dp.p, &all, dx.p, &all, 0, 0, nullptr));
        auto gp = pd.get();
        ok = true;
        for (int64_t k = 0; k < R * C && ok; k++) ok = gp[perm[k]] == x[k];
        report("put", ok);
    }
    test_index_bounds();
}

/* Takes the device's index error record; true when it holds exactly (value, dim, size), or is empty when want_found is false. */
static bool index_error_is(bool want_found, int64_t value = 0, int64_t dim = 0, int64_t size = 0, std::string* detail = nullptr) {
    int64_t rec[3] = {0, 0, 0};
    int found = -1;
    CHECK(jt_cuda_take_index_error(0, nullptr, 0, rec, &found));
    if (detail) {
        char buf[160];
        snprintf(buf, sizeof buf, "found %d value %lld dim %lld size %lld", found, (long long) rec[0], (long long) rec[1], (long long) rec[2]);
        *detail = buf;
    }
    if (!want_found) return found == 0;
    return found == 1 && rec[0] == value && rec[1] == dim && rec[2] == size;
}

/* Out-of-range index values: the kernel skips them (no byte outside the output, nor of it at their positions, changes)
 * and the record names the first one (value, dim, size); a take clears it. Each case holds one bad value. */
void test_index_bounds() {
    const int64_t R = 6, C = 5, G = 64; // G guard elements on each side of every output
    const float SENTINEL = -777.f;
    std::string d;
    report("index error record empty at the start", index_error_is(false, 0, 0, 0, &d), d);
    auto x = randf(R * C);
    Dev<float> dx(x);
    jt_layout xl = layout2(R, C, C, 1);
    {   // gather along dim 1, one value == size (5)
        auto index = randl(R * 3, 0, C - 1);
        index[7] = C;
        Dev<int64_t> di(index);
        jt_layout is = layout2(R, 3, 3, 1);
        Dev<float> o(std::vector<float>(G + R * 3 + G, SENTINEL));
        CHECK(jt_gather(dx.p, JT_FLOAT32, &xl, 1, di.p, &is, o.p + G, nullptr));
        auto g = o.get();
        bool ok = true;
        for (int64_t k = 0; k < G + R * 3 + G && ok; k++) {
            int64_t q = k - G;
            bool inside = q >= 0 && q < R * 3;
            float want = inside && q != 7 ? x[(q / 3) * C + index[q]] : SENTINEL;
            ok = g[k] == want;
        }
        report("gather out-of-range value skipped, guards untouched", ok);
        report("gather out-of-range value recorded (5, dim 1, size 5)", index_error_is(true, C, 1, C, &d), d);
        report("index error record cleared by a take", index_error_is(false, 0, 0, 0, &d), d);
    }
    {   // index_select shape: a row index broadcast over [4, C] (contiguous copy, as CudaIndexing makes it), one value -1
        int64_t rows[4] = {2, -1, 0, 5};
        std::vector<int64_t> index(4 * C);
        for (int64_t i = 0; i < 4; i++)
            for (int64_t j = 0; j < C; j++) index[i * C + j] = rows[i];
        Dev<int64_t> di(index);
        jt_layout is = layout2(4, C, C, 1);
        Dev<float> o(std::vector<float>(G + 4 * C + G, SENTINEL));
        CHECK(jt_gather(dx.p, JT_FLOAT32, &xl, 0, di.p, &is, o.p + G, nullptr));
        auto g = o.get();
        bool ok = true;
        for (int64_t k = 0; k < G + 4 * C + G && ok; k++) {
            int64_t q = k - G;
            bool inside = q >= 0 && q < 4 * C && rows[q / C] >= 0;
            ok = g[k] == (inside ? x[rows[q / C] * C + q % C] : SENTINEL);
        }
        report("index_select (broadcast gather) negative value skipped, guards untouched", ok);
        report("index_select negative value recorded (-1, dim 0, size 6)", index_error_is(true, -1, 0, R, &d), d);
    }
    {   // scatter assign, scatter fill and scatter-add (f32 and f16) along dim 0 of [R, C] inside guards, one value == R
        auto index = randl(3 * C, 0, R - 1);
        index[C + 2] = R; // would write row R: the first guard element after the output
        Dev<int64_t> di(index);
        jt_layout is = layout2(3, C, C, 1), sl = layout2(3, C, C, 1), ol = layout2(R, C, C, 1, G);
        auto src = randf(3 * C);
        for (auto& v : src) v = roundf(v * 8) / 8;
        src[C + 2] = 0.5f; // the bad value's source: nonzero, so that an add into a guard would show
        Dev<float> ds(src);
        for (int mode = 0; mode < 3; mode++) { // 0 assign, 1 fill (src NULL), 2 accumulate
            std::vector<float> init(G + R * C + G, SENTINEL);
            for (int64_t q = 0; q < R * C; q++) init[G + q] = 0.f;
            Dev<float> o(init);
            CHECK(jt_scatter(o.p, JT_FLOAT32, &ol, 0, di.p, &is, mode == 1 ? nullptr : ds.p, mode == 1 ? nullptr : &sl, 3.0, mode == 2, nullptr));
            std::vector<double> want(init.begin(), init.end());
            for (int64_t k = 0; k < 3 * C; k++) {
                if (k == C + 2) continue;
                double& w = want[G + index[k] * C + k % C];
                if (mode == 0) w = src[k];
                else if (mode == 1) w = 3.0;
                else w += src[k];
            }
            bool ok = true;
            auto g = o.get();
            if (mode == 0) { // duplicates of an assign: any writer wins; check only the guards and untouched cells
                for (int64_t k = 0; k < G + R * C + G && ok; k++) {
                    bool guard = k < G || k >= G + R * C;
                    ok = guard ? g[k] == SENTINEL : true;
                }
            } else {
                std::string e = max_error(g, want, want.size(), 0, 0, ok);
                if (!ok) d = e;
            }
            const char* names[3] = {"scatter", "scatter fill", "scatter-add f32"};
            report((std::string(names[mode]) + " out-of-range value skipped, guards untouched").c_str(), ok);
            report((std::string(names[mode]) + " out-of-range value recorded (6, dim 0, size 6)").c_str(), index_error_is(true, R, 0, R, &d), d);
        }
        std::vector<uint16_t> init(G + R * C + G, 0x3c00); // 1.0 in the guards (float16)
        for (int64_t q = 0; q < R * C; q++) init[G + q] = 0;
        std::vector<uint16_t> sh(src.size());
        for (size_t i = 0; i < src.size(); i++) { __half h = __float2half_rn(src[i]); memcpy(&sh[i], &h, 2); }
        Dev<uint16_t> oh(init), dsh(sh);
        index[C + 2] = -1; // would add into the last guard element before the output (a CAS on the word holding it)
        Dev<int64_t> di2(index);
        CHECK(jt_scatter(oh.p, JT_FLOAT16, &ol, 0, di2.p, &is, dsh.p, &sl, 0, 1, nullptr));
        auto gh = oh.get();
        bool ok = true;
        for (int64_t k = 0; k < G && ok; k++) ok = gh[k] == 0x3c00 && gh[G + R * C + k] == 0x3c00;
        report("scatter-add f16 negative value skipped, guards untouched", ok);
        report("scatter-add f16 negative value recorded (-1, dim 0, size 6)", index_error_is(true, -1, 0, R, &d), d);
    }
    {   // the first error is kept: two launches with bad values, the second's record does not replace the first
        std::vector<int64_t> a(R * C, 0), b(R * C, 0);
        a[3] = 100;
        b[4] = 200;
        Dev<int64_t> da(a), db(b);
        Dev<float> o(R * C);
        CHECK(jt_gather(dx.p, JT_FLOAT32, &xl, 0, da.p, &xl, o.p, nullptr));
        CHECK(jt_gather(dx.p, JT_FLOAT32, &xl, 1, db.p, &xl, o.p, nullptr));
        report("index error record keeps the first launch's value (100, dim 0, size 6)", index_error_is(true, 100, 0, R, &d), d);
        report("index error record empty after the take", index_error_is(false, 0, 0, 0, &d), d);
    }
}

void test_optim() {
    const int n = 100000;
    auto p = randf(n), g = randf(n), m = randf(n, 0, 0.1f), v = randf(n, 0, 0.01f);
    // adam (not decoupled, weight decay, amsgrad), float32, vs the CPU's operation order
    double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
    int t = 3;
    double step_size = lr / (1 - pow(b1, t)), bc2 = sqrt(1 - pow(b2, t));
    auto vmax = v;
    for (auto& q : vmax) q *= 1.1f;
    Dev<float> dp(p), dg(g), dm(m), dv(v), dvm(vmax);
    CHECK(jt_adam_step(JT_FLOAT32, n, dp.p, dg.p, dm.p, dv.p, dvm.p, lr, b1, b2, eps, wd, 0, 1, 0, step_size, bc2, nullptr));
    float fb1 = (float) b1, fb2 = (float) b2, a1 = (float) (1 - b1), a2 = (float) (1 - b2), fwd = (float) wd;
    float fbc = (float) bc2, fe = (float) eps, neg = (float) -step_size;
    auto gp = dp.get(), gm = dm.get(), gv = dv.get(), gvm = dvm.get();
    bool ok = true;
    int bad = -1;
    for (int i = 0; i < n && ok; i++) {
        float pi = p[i], gi = g[i];
        gi = fmaf(fwd, pi, gi);
        float mi = fmaf(a1, gi, m[i] * fb1);
        float t1 = v[i] * fb2, t2 = a2 * gi;
        t2 = t2 * gi;
        float vi = t1 + t2;
        float vh = vmax[i] > vi ? vmax[i] : vi;
        float denom = sqrtf(vh) / fbc + fe;
        float np = neg * mi;
        np = np / denom;
        np = pi + np;
        ok = gp[i] == np && gm[i] == mi && gv[i] == vi && gvm[i] == vh;
        if (!ok) bad = i;
    }
    char buf[200] = "";
    if (bad >= 0) snprintf(buf, sizeof buf, "at %d: p %.9g m %.9g v %.9g", bad, gp[bad], gm[bad], gv[bad]);
    report("adam step f32 bit-equal to the CPU order", ok, buf);
    // SGD with momentum and nesterov, float64
    std::vector<double> pd(p.begin(), p.end()), gd(g.begin(), g.end()), bd(m.begin(), m.end());
    Dev<double> ddp(pd), ddg(gd), ddb(bd);
    CHECK(jt_sgd_step(JT_FLOAT64, n, ddp.p, ddg.p, ddb.p, 0.1, 0.9, 0.1, 0.001, 1, 0, 0, nullptr));
    auto rp = ddp.get(), rb = ddb.get();
    ok = true;
    for (int i = 0; i < n && ok; i++) {
        double gi = fma(0.001, pd[i], gd[i]);
        double bprod = bd[i] * 0.9;
        double b = fma(1 - 0.1, gi, bprod);
        gi = fma(0.9, b, gi);
        ok = rb[i] == b && rp[i] == fma(-0.1, gi, pd[i]);
    }
    report("sgd nesterov step f64 bit-equal", ok);
    report("adam of int32 is BAD_DTYPE", jt_adam_step(JT_INT32, n, dp.p, dg.p, dm.p, dv.p, dvm.p, lr, b1, b2, eps, wd, 0, 1, 0,
                                                      step_size, bc2, nullptr) == JT_ERR_BAD_DTYPE);
}

void bench() {
    const int64_t n = 256LL << 20;
    Dev<float> a(n), b(n), o(n);
    CHECK(jt_cuda_memset_async(a.p, 0, n * 4, nullptr));
    CHECK(jt_cuda_memset_async(b.p, 0, n * 4, nullptr));
    void *e0, *e1;
    CHECK(jt_cuda_event_create(&e0));
    CHECK(jt_cuda_event_create(&e1));
    jt_iter_plan p3 = plan1(n, 3), p2 = plan1(n, 2);
    auto time = [&](const char* name, double bytes, auto&& launch) {
        launch();
        CHECK(jt_cuda_stream_synchronize(nullptr));
        const int reps = 10;
        CHECK(jt_cuda_event_record(e0, nullptr));
        for (int r = 0; r < reps; r++) launch();
        CHECK(jt_cuda_event_record(e1, nullptr));
        CHECK(jt_cuda_event_synchronize(e1));
        float ms = 0;
        CHECK(jt_cuda_event_elapsed_ms(&ms, e0, e1));
        printf("BENCH %-28s %8.3f ms  %7.1f GB/s\n", name, ms / reps, bytes / (ms / reps * 1e-3) / 1e9);
    };
    time("add f32 256M", 3.0 * n * 4, [&] { CHECK(jt_binary(JT_ADD, JT_FLOAT32, 1, &p3, o.p, JT_FLOAT32, a.p, JT_FLOAT32, b.p, JT_FLOAT32, nullptr)); });
    time("copy f32 256M", 2.0 * n * 4, [&] { CHECK(jt_unary(JT_IDENTITY, JT_FLOAT32, 0, 0, 0, &p2, o.p, JT_FLOAT32, a.p, JT_FLOAT32, nullptr)); });
    time("exp f32 256M", 2.0 * n * 4, [&] { CHECK(jt_unary(JT_EXP, JT_FLOAT32, 0, 0, 0, &p2, o.p, JT_FLOAT32, a.p, JT_FLOAT32, nullptr)); });
    time("cast f32->f16 256M", 1.5 * n * 4, [&] { CHECK(jt_unary(JT_IDENTITY, JT_FLOAT16, 0, 0, 0, &p2, o.p, JT_FLOAT16, a.p, JT_FLOAT32, nullptr)); });
    jt_reduce_plan rp;
    memset(&rp, 0, sizeof rp);
    rp.inner_rank = 1; rp.output_count = 1; rp.inner_count = n; rp.inner_shape[0] = n; rp.inner_strides[0] = 1;
    void* ws = nullptr;
    CHECK(jt_cuda_malloc(0, &ws, jt_reduce_workspace_bytes(&rp)));
    time("sum f32 256M", 1.0 * n * 4, [&] { CHECK(jt_reduce(JT_SUM, 1, a.p, JT_FLOAT32, &rp, o.p, JT_FLOAT32, nullptr, ws, nullptr)); });
    jt_reduce_plan sp = rows_plan(4096, 4096, true);
    time("softmax 4096x4096 f32", 2.0 * 4096 * 4096 * 4, [&] { CHECK(jt_softmax(0, a.p, JT_FLOAT32, &sp, 4096, 1, 1, o.p, nullptr)); });
    jt_reduce_plan cp = rows_plan(16384, 16384, false);
    time("sum dim0 16384^2 f32", 1.0 * n * 4, [&] { CHECK(jt_reduce(JT_SUM, 1, a.p, JT_FLOAT32, &cp, o.p, JT_FLOAT32, nullptr, nullptr, nullptr)); });
    jt_reduce_plan rr = rows_plan(16384, 16384, true);
    time("sum dim1 16384^2 f32", 1.0 * n * 4, [&] { CHECK(jt_reduce(JT_SUM, 1, a.p, JT_FLOAT32, &rr, o.p, JT_FLOAT32, nullptr, nullptr, nullptr)); });
    jt_cuda_free(0, ws);
    jt_cuda_event_destroy(e0);
    jt_cuda_event_destroy(e1);
}

