/*
 * Fused optimizer steps (CpuOptimizerSteps): one pass over n contiguous elements of a float32 or
 * float64 parameter, its gradient and its state, op by op in the parameter's dtype with fma exactly where
 * the Java uses Math.fma, so results equal the CPU's bit for bit. This file is built with -fmad=false (no
 * silent contraction of a * b + c); the scalar hyperparameters are folded on the host as the Java folds them.
 */
#include "common.cuh"

namespace {
using namespace jt;

__device__ __forceinline__ float fma_(float a, float b, float c) { return fmaf(a, b, c); }
__device__ __forceinline__ double fma_(double a, double b, double c) { return fma(a, b, c); }

#define JT_GRID_STRIDE(i, n) for (i64 i = blockIdx.x * (i64) blockDim.x + threadIdx.x; i < (n); i += (i64) gridDim.x * blockDim.x)

/* SGD hyperparameters in the parameter's type. */
template <class T>
struct Sgd {
    T neg_lr, momentum, keep, wd;
    int has_wd, nesterov, maximize, first, plain;
};

template <class T>
__global__ void sgd_kernel(Sgd<T> s, i64 n, T* param, const T* grad, T* buf) {
    JT_GRID_STRIDE(i, n) {
        T p = param[i], g = grad[i];
        if (s.plain) {
            param[i] = fma_(s.neg_lr, g, p);
            continue;
        }
        if (s.maximize) g = -g;
        if (s.has_wd) g = fma_(s.wd, p, g);
        if (buf != nullptr) {
            T b = s.first ? g : fma_(s.keep, g, buf[i] * s.momentum);
            buf[i] = b;
            g = s.nesterov ? fma_(s.momentum, b, g) : b;
        }
        param[i] = fma_(s.neg_lr, g, p);
    }
}

/* Adam hyperparameters; float32 folds them to float as CpuOptimizerSteps.adam does. */
template <class T>
struct Adam {
    T beta1, beta2, a1, a2, wd, shrink, bc, eps, neg_step;
    int decoupled, has_wd, maximize;
};

template <class T>
__global__ void adam_kernel(Adam<T> a, i64 n, T* param, const T* grad, T* m, T* v, T* vmax) {
    JT_GRID_STRIDE(i, n) {
        T p = param[i], g = grad[i];
        if (a.maximize) g = -g;
        if (a.decoupled) p = p * a.shrink;
        else if (a.has_wd) g = fma_(a.wd, p, g);
        T mi = fma_(a.a1, g, m[i] * a.beta1);
        T vi = v[i] * a.beta2 + a.a2 * g * g;
        m[i] = mi;
        v[i] = vi;
        T vh = vi;
        if (vmax != nullptr) {
            vh = java_max(vmax[i], vh);
            vmax[i] = vh;
        }
        T denom = sqrt(vh) / a.bc + a.eps;
        param[i] = p + a.neg_step * mi / denom;
    }
}

template <class T>
struct Rms {
    T alpha, one_minus, eps, momentum, wd, neg_lr;
    int has_wd, maximize;
};

template <class T>
__global__ void rmsprop_kernel(Rms<T> r, i64 n, T* param, const T* grad, T* sq, T* ga, T* buf) {
    JT_GRID_STRIDE(i, n) {
        T p = param[i], g = grad[i];
        if (r.maximize) g = -g;
        if (r.has_wd) g = fma_(r.wd, p, g);
        T s = fma_(r.one_minus * g, g, sq[i] * r.alpha);
        sq[i] = s;
        T avg;
        if (ga != nullptr) {
            T a = fma_(r.one_minus, g, ga[i] * r.alpha);
            ga[i] = a;
            avg = sqrt(fma_(-a, a, s));
        } else {
            avg = sqrt(s);
        }
        avg = avg + r.eps;
        if (buf != nullptr) {
            T b = buf[i] * r.momentum + g / avg;
            buf[i] = b;
            param[i] = fma_(r.neg_lr, b, p);
        } else {
            param[i] = p + r.neg_lr * g / avg;
        }
    }
}

template <class T>
struct Adagrad {
    T wd, eps, neg_clr;
    int has_wd, maximize;
};

template <class T>
__global__ void adagrad_kernel(Adagrad<T> a, i64 n, T* param, const T* grad, T* sum) {
    JT_GRID_STRIDE(i, n) {
        T p = param[i], g = grad[i];
        if (a.maximize) g = -g;
        if (a.has_wd) g = fma_(a.wd, p, g);
        T s = fma_(g, g, sum[i]);
        sum[i] = s;
        T std_ = sqrt(s) + a.eps;
        param[i] = p + a.neg_clr * g / std_;
    }
}

bool float_type(int type) { return type == JT_FLOAT32 || type == JT_FLOAT64; }

} // namespace

extern "C" int jt_sgd_step(int type, int64_t n, void* param, const void* grad, void* momentum_buffer, double lr, double momentum,
                           double dampening, double weight_decay, int nesterov, int maximize, int first, void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    if (n < 0) return JT_ERR_BAD_ARGUMENT;
    if (n == 0) return 0;
    bool use_buf = momentum != 0;
    if (use_buf && momentum_buffer == nullptr) return JT_ERR_BAD_ARGUMENT;
    bool plain = momentum == 0 && weight_decay == 0 && !maximize; // OptimizerStep.Sgd.plain(): p += -lr * g
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    unsigned grid = grid_for(n);
    if (type == JT_FLOAT32) {
        Sgd<float> s{(float) -lr, (float) momentum, (float) (1 - dampening), (float) weight_decay,
                     weight_decay != 0, nesterov, maximize, first, plain};
        sgd_kernel<float><<<grid, THREADS, 0, stream>>>(s, n, static_cast<float*>(param), static_cast<const float*>(grad),
                                                        use_buf ? static_cast<float*>(momentum_buffer) : nullptr);
    } else {
        Sgd<double> s{-lr, momentum, 1 - dampening, weight_decay, weight_decay != 0, nesterov, maximize, first, plain};
        sgd_kernel<double><<<grid, THREADS, 0, stream>>>(s, n, static_cast<double*>(param), static_cast<const double*>(grad),
                                                         use_buf ? static_cast<double*>(momentum_buffer) : nullptr);
    }
    JT_RETURN_LAUNCH();
}

extern "C" int jt_adam_step(int type, int64_t n, void* param, const void* grad, void* exp_avg, void* exp_avg_sq, void* max_exp_avg_sq,
                            double lr, double beta1, double beta2, double eps, double weight_decay, int decoupled, int amsgrad,
                            int maximize, double step_size, double bc2_sqrt, void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    if (n < 0 || exp_avg == nullptr || exp_avg_sq == nullptr || (amsgrad && max_exp_avg_sq == nullptr)) return JT_ERR_BAD_ARGUMENT;
    if (n == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    unsigned grid = grid_for(n);
    if (type == JT_FLOAT32) {
        Adam<float> a{(float) beta1, (float) beta2, (float) (1 - beta1), (float) (1 - beta2), (float) weight_decay,
                      (float) (1 - lr * weight_decay), (float) bc2_sqrt, (float) eps, (float) -step_size,
                      decoupled, weight_decay != 0, maximize};
        adam_kernel<float><<<grid, THREADS, 0, stream>>>(a, n, static_cast<float*>(param), static_cast<const float*>(grad),
                static_cast<float*>(exp_avg), static_cast<float*>(exp_avg_sq), amsgrad ? static_cast<float*>(max_exp_avg_sq) : nullptr);
    } else {
        Adam<double> a{beta1, beta2, 1 - beta1, 1 - beta2, weight_decay, 1 - lr * weight_decay, bc2_sqrt, eps, -step_size,
                       decoupled, weight_decay != 0, maximize};
        adam_kernel<double><<<grid, THREADS, 0, stream>>>(a, n, static_cast<double*>(param), static_cast<const double*>(grad),
                static_cast<double*>(exp_avg), static_cast<double*>(exp_avg_sq), amsgrad ? static_cast<double*>(max_exp_avg_sq) : nullptr);
    }
    JT_RETURN_LAUNCH();
}

extern "C" int jt_rmsprop_step(int type, int64_t n, void* param, const void* grad, void* square_avg, void* grad_avg,
                               void* momentum_buffer, double lr, double alpha, double eps, double weight_decay, double momentum,
                               int centered, int maximize, void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    bool use_buf = momentum > 0;
    if (n < 0 || square_avg == nullptr || (centered && grad_avg == nullptr) || (use_buf && momentum_buffer == nullptr))
        return JT_ERR_BAD_ARGUMENT;
    if (n == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    unsigned grid = grid_for(n);
    if (type == JT_FLOAT32) {
        Rms<float> r{(float) alpha, (float) (1 - alpha), (float) eps, (float) momentum, (float) weight_decay, (float) -lr,
                     weight_decay != 0, maximize};
        rmsprop_kernel<float><<<grid, THREADS, 0, stream>>>(r, n, static_cast<float*>(param), static_cast<const float*>(grad),
                static_cast<float*>(square_avg), centered ? static_cast<float*>(grad_avg) : nullptr,
                use_buf ? static_cast<float*>(momentum_buffer) : nullptr);
    } else {
        Rms<double> r{alpha, 1 - alpha, eps, momentum, weight_decay, -lr, weight_decay != 0, maximize};
        rmsprop_kernel<double><<<grid, THREADS, 0, stream>>>(r, n, static_cast<double*>(param), static_cast<const double*>(grad),
                static_cast<double*>(square_avg), centered ? static_cast<double*>(grad_avg) : nullptr,
                use_buf ? static_cast<double*>(momentum_buffer) : nullptr);
    }
    JT_RETURN_LAUNCH();
}

extern "C" int jt_adagrad_step(int type, int64_t n, void* param, const void* grad, void* sum, double clr, double eps,
                               double weight_decay, int maximize, void* stream_) {
    if (!float_type(type)) return JT_ERR_BAD_DTYPE;
    if (n < 0 || sum == nullptr) return JT_ERR_BAD_ARGUMENT;
    if (n == 0) return 0;
    cudaStream_t stream = static_cast<cudaStream_t>(stream_);
    unsigned grid = grid_for(n);
    if (type == JT_FLOAT32) {
        Adagrad<float> a{(float) weight_decay, (float) eps, (float) -clr, weight_decay != 0, maximize};
        adagrad_kernel<float><<<grid, THREADS, 0, stream>>>(a, n, static_cast<float*>(param), static_cast<const float*>(grad),
                                                            static_cast<float*>(sum));
    } else {
        Adagrad<double> a{weight_decay, eps, -clr, weight_decay != 0, maximize};
        adagrad_kernel<double><<<grid, THREADS, 0, stream>>>(a, n, static_cast<double*>(param), static_cast<const double*>(grad),
                                                             static_cast<double*>(sum));
    }
    JT_RETURN_LAUNCH();
}
