/*
 * The CUDA self-test, part three (issues 22, 23): the CNN window launchers of conv.cu and fused attention of
 * attention.cu against host references written as the CPU kernels of native/cpu/conv.c and attention.c compute:
 * odd sizes, stride, padding, dilation, ceil-mode windows hanging over the input, windows wholly in the padding, NaN
 * in max pooling, both max-pooling backward modes, batch norm with the fused residual add and relu, float32 and
 * float64; attention with causal masks, per-slice and shared additive masks with -inf, a fully masked row (NaN),
 * unequal lengths, and head dims that need the shared-memory opt-in and several register passes.
 */
#include <algorithm>
#include "selftest_support.h"

namespace {

/* PyTorch's window count along one dim (ceil: no window may start in the right padding). */
int64_t out_size(int64_t size, int64_t k, int64_t s, int64_t p, int64_t d, bool ceil_mode) {
    int64_t span = size + 2 * p - d * (k - 1) - 1;
    int64_t out = (span + (ceil_mode ? s - 1 : 0)) / s + 1;
    if (ceil_mode && (out - 1) * s >= size + p) out--;
    return out;
}

jt_window_shape geometry(int64_t planes, int64_t h, int64_t w, int64_t kh, int64_t kw, int64_t sh, int64_t sw, int64_t ph, int64_t pw,
                         int64_t dh, int64_t dw, bool ceil_mode) {
    jt_window_shape g = {planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, 0, 0};
    g.oh = out_size(h, kh, sh, ph, dh, ceil_mode);
    g.ow = out_size(w, kw, sw, pw, dw, ceil_mode);
    return g;
}

std::string describe(const jt_window_shape& g) {
    char b[200];
    snprintf(b, sizeof b, "%lldx%lldx%lld k%lldx%lld s%lldx%lld p%lldx%lld d%lldx%lld -> %lldx%lld", (long long) g.planes, (long long) g.h,
             (long long) g.w, (long long) g.kh, (long long) g.kw, (long long) g.sh, (long long) g.sw, (long long) g.ph, (long long) g.pw,
             (long long) g.dh, (long long) g.dw, (long long) g.oh, (long long) g.ow);
    return b;
}

template <class T> const char* tname();
template <> const char* tname<float>() { return "f32"; }
template <> const char* tname<double>() { return "f64"; }
template <class T> int tcode();
template <> int tcode<float>() { return JT_FLOAT32; }
template <> int tcode<double>() { return JT_FLOAT64; }

template <class T>
std::vector<T> randt(size_t n, float lo = -2, float hi = 2) {
    auto f = randf(n, lo, hi);
    return std::vector<T>(f.begin(), f.end());
}

template <class T>
bool bits_equal(const std::vector<T>& a, const std::vector<T>& b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!(a[i] == b[i] || (a[i] != a[i] && b[i] != b[i]))) return false;
    return true;
}

void named(const char* what, const char* type, const std::string& geo, bool ok, const std::string& detail = "") {
    std::string name = std::string(what) + " " + type + " " + geo;
    report(name.c_str(), ok, detail);
}

template <class T>
void test_windows(const jt_window_shape& g) {
    const std::string geo = describe(g);
    const int64_t hw = g.h * g.w, cells = g.oh * g.ow, taps = g.kh * g.kw;
    auto x = randt<T>(g.planes * hw);
    Dev<T> dx(x);
    // im2col: the copies of the CPU kernel
    std::vector<T> want(g.planes * taps * cells);
    for (int64_t p = 0; p < g.planes; p++)
        for (int64_t i = 0; i < g.kh; i++)
            for (int64_t j = 0; j < g.kw; j++)
                for (int64_t y = 0; y < g.oh; y++)
                    for (int64_t xx = 0; xx < g.ow; xx++) {
                        int64_t iy = y * g.sh - g.ph + i * g.dh, ix = xx * g.sw - g.pw + j * g.dw;
                        bool in = iy >= 0 && iy < g.h && ix >= 0 && ix < g.w;
                        want[(((p * g.kh + i) * g.kw + j) * g.oh + y) * g.ow + xx] = in ? x[p * hw + iy * g.w + ix] : T(0);
                    }
    Dev<T> cols(want.size());
    CHECK(jt_im2col(tcode<T>(), &g, dx.p, cols.p, nullptr));
    auto got = cols.get();
    named("im2col", tname<T>(), geo, bits_equal(got, want, want.size()));
    // col2im: onto 0, taps in order (i, j, y, x), as the CPU kernel adds them
    std::vector<T> back(g.planes * hw, T(0));
    for (int64_t p = 0; p < g.planes; p++)
        for (int64_t i = 0; i < g.kh; i++)
            for (int64_t j = 0; j < g.kw; j++)
                for (int64_t y = 0; y < g.oh; y++)
                    for (int64_t xx = 0; xx < g.ow; xx++) {
                        int64_t iy = y * g.sh - g.ph + i * g.dh, ix = xx * g.sw - g.pw + j * g.dw;
                        if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) back[p * hw + iy * g.w + ix] += want[(((p * g.kh + i) * g.kw + j) * g.oh + y) * g.ow + xx];
                    }
    Dev<T> img(back.size());
    CHECK(jt_col2im(tcode<T>(), &g, cols.p, img.p, nullptr));
    named("col2im", tname<T>(), geo, bits_equal(img.get(), back, back.size()));
    // max pooling with NaNs: the first in-bounds maximum in tap order, a NaN always taking over
    auto xn = x;
    for (size_t k = 3; k < xn.size(); k += 17) xn[k] = NAN;
    Dev<T> dxn(xn);
    std::vector<T> mv(g.planes * cells);
    std::vector<int64_t> mi(g.planes * cells);
    for (int64_t p = 0; p < g.planes; p++)
        for (int64_t y = 0; y < g.oh; y++)
            for (int64_t xx = 0; xx < g.ow; xx++) {
                T best = 0;
                int64_t at = -1;
                for (int64_t i = 0; i < g.kh; i++)
                    for (int64_t j = 0; j < g.kw; j++) {
                        int64_t iy = y * g.sh - g.ph + i * g.dh, ix = xx * g.sw - g.pw + j * g.dw;
                        if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
                        T v = xn[p * hw + iy * g.w + ix];
                        if (at < 0 || v > best || v != v) { best = v; at = iy * g.w + ix; }
                    }
                mv[(p * g.oh + y) * g.ow + xx] = at < 0 ? T(-INFINITY) : best;
                mi[(p * g.oh + y) * g.ow + xx] = at;
            }
    Dev<T> pv(mv.size());
    Dev<int64_t> pi(mi.size());
    CHECK(jt_max_pool2d(tcode<T>(), &g, dxn.p, pv.p, pi.p, nullptr));
    auto gi = pi.get();
    named("max_pool2d values", tname<T>(), geo, bits_equal(pv.get(), mv, mv.size()));
    named("max_pool2d indices", tname<T>(), geo, std::equal(mi.begin(), mi.end(), gi.begin()));
    // backward: each output gradient added at its index, in output order onto 0
    auto go = randt<T>(mv.size());
    Dev<T> dgo(go);
    std::vector<T> gin(g.planes * hw, T(0));
    for (int64_t p = 0; p < g.planes; p++)
        for (int64_t k = p * cells; k < (p + 1) * cells; k++)
            if (mi[k] >= 0 && mi[k] < hw) gin[p * hw + mi[k]] += go[k];
    for (int det = 1; det >= 0; det--) {
        Dev<T> dgin(gin.size());
        CHECK(jt_max_pool2d_backward(tcode<T>(), &g, dgo.p, pi.p, dgin.p, det, nullptr));
        auto gg = dgin.get();
        if (det) {
            named("max_pool2d backward (gather, the CPU's bits)", tname<T>(), geo, bits_equal(gg, gin, gin.size()));
        } else {
            bool ok;
            std::string e = max_error(gg, gin, gin.size(), 1e-6, 1e-6, ok);
            named("max_pool2d backward (atomics)", tname<T>(), geo, ok, e);
        }
    }
}

template <class T>
void test_batch_norm(int64_t n, int64_t c, int64_t inner) {
    char geo[80];
    snprintf(geo, sizeof geo, "[%lld, %lld, %lld]", (long long) n, (long long) c, (long long) inner);
    const int64_t all = n * c * inner;
    auto x = randt<T>(all, -3, 5);
    Dev<T> dx(x), mean(c), invstd(c);
    CHECK(jt_batch_norm_stats(tcode<T>(), n, c, inner, 1e-5, dx.p, mean.p, invstd.p, nullptr));
    std::vector<T> wm(c), wi(c);
    for (int64_t ch = 0; ch < c; ch++) {
        double s = 0, v = 0;
        for (int64_t b = 0; b < n; b++)
            for (int64_t i = 0; i < inner; i++) s += (double) x[(b * c + ch) * inner + i];
        double m = s / (double) (n * inner);
        for (int64_t b = 0; b < n; b++)
            for (int64_t i = 0; i < inner; i++) {
                double d = (double) x[(b * c + ch) * inner + i] - m;
                v += d * d;
            }
        wm[ch] = (T) m;
        wi[ch] = (T) (1.0 / sqrt(v / (double) (n * inner) + 1e-5));
    }
    double tol = sizeof(T) == 4 ? 1e-6 : 1e-12;
    bool ok;
    std::string e = max_error(mean.get(), wm, c, tol, tol, ok);
    named("batch_norm_stats mean", tname<T>(), geo, ok, e);
    e = max_error(invstd.get(), wi, c, tol, tol, ok);
    named("batch_norm_stats invstd", tname<T>(), geo, ok, e);
    // elemt with every combination of residual and relu: each step rounded as the separate ops
    auto scale = randt<T>(c), shift = randt<T>(c), res = randt<T>(all);
    Dev<T> dscale(scale), dshift(shift), dres(res), out(all);
    for (int form = 0; form < 4; form++) {
        bool with_res = form & 1, relu = form & 2;
        CHECK(jt_batch_norm_elemt(tcode<T>(), n, c, inner, dx.p, dscale.p, dshift.p, with_res ? dres.p : nullptr, relu, out.p, nullptr));
        std::vector<T> w(all);
        for (int64_t k = 0; k < all; k++) {
            int64_t ch = (k / inner) % c;
            T v = x[k] * scale[ch];
            v = v + shift[ch];
            if (with_res) v = v + res[k];
            w[k] = relu && v <= 0 ? T(0) : v;
        }
        std::string what = std::string("batch_norm_elemt") + (with_res ? " + residual" : "") + (relu ? " + relu" : "");
        named(what.c_str(), tname<T>(), geo, bits_equal(out.get(), w, all));
    }
    // training backward: sums in double, the masked gradient, then the elementwise pass
    auto g = randt<T>(all), relu_out = randt<T>(all);
    Dev<T> dg(g), dro(relu_out), masked(all), sum_g(c), dotp(c);
    for (int with_out = 0; with_out < 2; with_out++) {
        CHECK(jt_batch_norm_backward_reduce(tcode<T>(), n, c, inner, dx.p, dg.p, with_out ? dro.p : nullptr, with_out ? masked.p : nullptr,
                                            mean.p, sum_g.p, dotp.p, nullptr));
        auto gm = mean.get();
        std::vector<T> ws(c), wd(c), wmask(all);
        for (int64_t ch = 0; ch < c; ch++) {
            double sg = 0, sd = 0;
            for (int64_t b = 0; b < n; b++)
                for (int64_t i = 0; i < inner; i++) {
                    int64_t at = (b * c + ch) * inner + i;
                    T gv = with_out ? (relu_out[at] > 0 ? g[at] : T(0)) : g[at];
                    wmask[at] = gv;
                    sg += (double) gv;
                    sd += (double) gv * ((double) x[at] - (double) gm[ch]);
                }
            ws[ch] = (T) sg;
            wd[ch] = (T) sd;
        }
        std::string suffix = with_out ? " (relu-masked)" : "";
        e = max_error(sum_g.get(), ws, c, tol, tol * 10, ok);
        named(("batch_norm_backward_reduce sum_g" + suffix).c_str(), tname<T>(), geo, ok, e);
        e = max_error(dotp.get(), wd, c, tol, tol * 10, ok);
        named(("batch_norm_backward_reduce dotp" + suffix).c_str(), tname<T>(), geo, ok, e);
        if (with_out) named("batch_norm_backward_reduce masked gradient", tname<T>(), geo, bits_equal(masked.get(), wmask, all));
    }
    auto k = randt<T>(c), gmean = randt<T>(c);
    Dev<T> dk(k), dgmean(gmean), gx(all);
    CHECK(jt_batch_norm_backward_elemt(tcode<T>(), n, c, inner, dx.p, dg.p, mean.p, dk.p, dgmean.p, dscale.p, gx.p, nullptr));
    auto gm = mean.get();
    std::vector<T> wgx(all);
    for (int64_t q = 0; q < all; q++) {
        int64_t ch = (q / inner) % c;
        T d = g[q] - gmean[ch];
        T f = (x[q] - gm[ch]) * k[ch];
        wgx[q] = (d - f) * scale[ch];
    }
    named("batch_norm_backward_elemt", tname<T>(), geo, bits_equal(gx.get(), wgx, all));
}

/* Scores of row i of slice bh in double, -inf where masked or past the causal end. */
std::vector<double> scores(const jt_attention_shape& a, const std::vector<float>& q, const std::vector<float>& k, const std::vector<float>& bias,
                           int64_t bh, int64_t i) {
    std::vector<double> sc(a.s, -INFINITY);
    int64_t end = a.causal ? std::min(a.s, i + 1) : a.s;
    for (int64_t j = 0; j < end; j++) {
        double d = 0;
        for (int64_t t = 0; t < a.e; t++) d += (double) q[(bh * a.l + i) * a.e + t] * k[(bh * a.s + j) * a.e + t];
        sc[j] = d * (double) (float) a.scale + (bias.empty() ? 0.0 : (double) bias[bh * a.bias_stride + i * a.s + j]);
    }
    return sc;
}

void test_attention(const char* what, jt_attention_shape a, bool with_bias, int masked_row) {
    const int64_t BH = a.batch_heads, L = a.l, S = a.s, E = a.e, EV = a.ev;
    auto q = randf(BH * L * E), k = randf(BH * S * E), v = randf(BH * S * EV), dout = randf(BH * L * EV);
    std::vector<float> bias;
    if (with_bias) {
        int64_t blocks = a.bias_stride == 0 ? 1 : BH;
        bias = randf(blocks * L * S);
        for (size_t t = 5; t < bias.size(); t += 7) bias[t] = -INFINITY;
        if (masked_row >= 0)
            for (int64_t j = 0; j < S; j++) bias[(blocks - 1) * a.bias_stride + masked_row * S + j] = -INFINITY;
    }
    // host forward and backward in double
    std::vector<double> wo(BH * L * EV, 0), wl(BH * L), wdq(BH * L * E, 0), wdk(BH * S * E, 0), wdv(BH * S * EV, 0);
    for (int64_t bh = 0; bh < BH; bh++)
        for (int64_t i = 0; i < L; i++) {
            auto sc = scores(a, q, k, bias, bh, i);
            double m = -INFINITY, sum = 0;
            for (double s : sc) m = s > m ? s : m;
            for (double s : sc) sum += m == -INFINITY ? 0 : exp(s - m);
            double lse = sum > 0 ? m + log(sum) : NAN;
            wl[bh * L + i] = lse;
            for (int64_t c = 0; c < EV; c++) {
                double o = 0;
                for (int64_t j = 0; j < S; j++) o += sum > 0 ? exp(sc[j] - lse) * v[(bh * S + j) * EV + c] : NAN;
                wo[(bh * L + i) * EV + c] = o;
            }
            double d = 0;
            for (int64_t c = 0; c < EV; c++) d += (double) dout[(bh * L + i) * EV + c] * wo[(bh * L + i) * EV + c];
            int64_t end = a.causal ? std::min(S, i + 1) : S;
            for (int64_t j = 0; j < end; j++) {
                double p = exp(sc[j] - lse);
                if (p == 0) continue;
                double dp = 0;
                for (int64_t c = 0; c < EV; c++) dp += (double) dout[(bh * L + i) * EV + c] * v[(bh * S + j) * EV + c];
                double ds = p * (dp - d) * (double) (float) a.scale;
                for (int64_t c = 0; c < EV; c++) wdv[(bh * S + j) * EV + c] += p * dout[(bh * L + i) * EV + c];
                for (int64_t c = 0; c < E; c++) {
                    wdq[(bh * L + i) * E + c] += ds * k[(bh * S + j) * E + c];
                    wdk[(bh * S + j) * E + c] += ds * q[(bh * L + i) * E + c];
                }
            }
        }
    Dev<float> dq_(q), dk_(k), dv_(v), db(bias.empty() ? std::vector<float>(1) : bias), dg(dout);
    Dev<float> out(BH * L * EV), lse(BH * L), gq(BH * L * E), gk(BH * S * E), gv(BH * S * EV);
    const float* bp = with_bias ? db.p : nullptr;
    CHECK(jt_attention_forward(&a, dq_.p, dk_.p, dv_.p, bp, out.p, lse.p, nullptr));
    Dev<uint8_t> ws(jt_attention_backward_workspace_bytes(&a));
    CHECK(jt_attention_backward(&a, dq_.p, dk_.p, dv_.p, bp, out.p, lse.p, dg.p, gq.p, gk.p, gv.p, ws.p, nullptr));
    struct { const char* name; const Dev<float>& got; const std::vector<double>& want; } parts[] = {
        {"output", out, wo}, {"lse", lse, wl}, {"dq", gq, wdq}, {"dk", gk, wdk}, {"dv", gv, wdv}};
    for (auto& part : parts) {
        bool ok;
        std::string e = max_error(part.got.get(), part.want, part.want.size(), 1e-4, 2e-5, ok);
        std::string name = std::string("attention ") + what + " " + part.name;
        report(name.c_str(), ok, e);
    }
}

jt_attention_shape attention_shape(int64_t bh, int64_t l, int64_t s, int64_t e, int64_t ev, double scale, int causal, int64_t bias_stride) {
    jt_attention_shape a;
    memset(&a, 0, sizeof a);
    a.batch_heads = bh; a.l = l; a.s = s; a.e = e; a.ev = ev; a.scale = scale; a.causal = causal; a.bias_stride = bias_stride;
    return a;
}

} // namespace

void test_cnn() {
    const jt_window_shape shapes[] = {
        geometry(3, 9, 10, 3, 2, 2, 3, 1, 2, 2, 1, false),  // stride, padding, dilation per dim
        geometry(2, 7, 5, 3, 3, 2, 2, 1, 1, 1, 1, true),    // ceil mode: the last windows hang over the input
        geometry(5, 13, 11, 2, 3, 1, 1, 0, 1, 3, 2, false), // overlapping dilated windows
        geometry(2, 4, 3, 1, 1, 1, 1, 1, 1, 1, 1, false),   // 1x1 windows on the padding ring: -inf and -1
        geometry(1, 1, 1, 1, 1, 2, 2, 0, 0, 1, 1, true),
    };
    for (const auto& g : shapes) {
        test_windows<float>(g);
        test_windows<double>(g);
    }
    const int64_t bn[][3] = {{3, 5, 21}, {64, 2, 1}, {2, 3, 5000}, {1, 1, 1}, {4, 2, 20000}}; // the last: 1024-thread blocks
    for (const auto& s : bn) {
        test_batch_norm<float>(s[0], s[1], s[2]);
        test_batch_norm<double>(s[0], s[1], s[2]);
    }
    test_attention("odd sizes", attention_shape(3, 37, 45, 5, 7, 0.3, 0, 0), false, -1);
    test_attention("causal l > s", attention_shape(2, 70, 33, 40, 40, 1 / sqrt(40.0), 1, 0), false, -1);
    test_attention("causal l < s", attention_shape(2, 20, 75, 64, 64, 0.125, 1, 0), false, -1);
    test_attention("per-slice mask, a fully masked row", attention_shape(3, 19, 41, 16, 24, 0.25, 0, 19 * 41), true, 4);
    test_attention("shared mask, multi-pass head dims", attention_shape(1, 9, 13, 300, 260, 0.05, 0, 0), true, -1);
    test_attention("shared-memory opt-in (e 128, ev 256)", attention_shape(2, 5, 7, 128, 256, 0.1, 0, 0), false, -1);
}
