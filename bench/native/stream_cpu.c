/*
 * The machine's read/write limit for the memory-bound rows of bench/RESULTS.md "Native CPU kernels" (issue 12):
 * STREAM-style C loops over the same 16M float32 arrays the JMH rows use, on as many threads as jtensor's
 * intra-op pool (argument 1, default 2), each thread on its own contiguous half, best and median of 30 runs:
 * a += b (add in place), c = a + b (add into out; the limit of an allocating add too), sum(a) (read only: the
 * limit of the 16M sum and of the sums along a dim of 4096x4096, the same 16M floats), c = a (copy), and the
 * copy of 4M floats (the limit of creating a tensor from a float[4M]). bench/issue12-table.sh maps the rows
 * onto the table by the key that starts each output line.
 *
 *   gcc -O3 -march=native -pthread -o /tmp/stream_cpu bench/native/stream_cpu.c && /tmp/stream_cpu 2
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define N (16L * 1024 * 1024)

static float *a, *b, *c;
static int threads;
static int kind;
static double partial[64];
static pthread_barrier_t start, done;

/* Each kind: its output key, what it does, elements, bytes moved per element. */
static const struct {
    const char *key, *name;
    long n;
    double bytes;
} kinds[] = {
    {"add_inplace", "a += b (add in place)", N, 12},
    {"add_out", "c = a + b (add into out)", N, 12},
    {"sum", "sum(a)", N, 4},
    {"copy", "c = a (copy)", N, 8},
    {"copy_4M", "c = a (copy), 4M floats", N / 4, 8},
};
enum { KINDS = sizeof kinds / sizeof kinds[0] };

static void *worker(void *arg) {
    long t = (long) arg;
    for (;;) {
        pthread_barrier_wait(&start);
        if (kind < 0) return NULL;
        long n = kinds[kind].n, from = n * t / threads, to = n * (t + 1) / threads;
        if (kind == 0) for (long i = from; i < to; i++) a[i] += b[i];
        else if (kind == 1) for (long i = from; i < to; i++) c[i] = a[i] + b[i];
        else if (kind >= 3) for (long i = from; i < to; i++) c[i] = a[i];
        else {
            float s[16] = {0};
            for (long i = from; i < to; i += 16)
                for (int j = 0; j < 16; j++) s[j] += a[i + j];
            double total = 0;
            for (int j = 0; j < 16; j++) total += s[j];
            partial[t] = total;
        }
        pthread_barrier_wait(&done);
    }
}

#define RUNS 30

static int by_value(const void *x, const void *y) {
    double a = *(const double *) x, b = *(const double *) y;
    return (a > b) - (a < b);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    threads = argc > 1 ? atoi(argv[1]) : 2;
    a = aligned_alloc(64, N * 4);
    b = aligned_alloc(64, N * 4);
    c = aligned_alloc(64, N * 4);
    for (long i = 0; i < N; i++) a[i] = b[i] = c[i] = 1e-3f * (i % 1000);
    pthread_barrier_init(&start, NULL, threads + 1);
    pthread_barrier_init(&done, NULL, threads + 1);
    pthread_t tid[64];
    for (long t = 0; t < threads; t++) pthread_create(&tid[t], NULL, worker, (void *) t);
    for (kind = 0; kind < KINDS; kind++) {
        double times[RUNS];
        for (int r = 0; r < RUNS; r++) {
            double t0 = now();
            pthread_barrier_wait(&start);
            pthread_barrier_wait(&done);
            times[r] = now() - t0;
            if (kind == 0) for (long i = 0; i < N; i += 4096) a[i] = 0; /* keep values bounded */
        }
        qsort(times, RUNS, sizeof times[0], by_value);
        double best = times[0], median = times[RUNS / 2];
        printf("%-12s %7.3f ms  %6.1f GB/s  %s (%d threads); median %.3f ms\n", kinds[kind].key, best * 1e3,
               kinds[kind].bytes * kinds[kind].n / best / 1e9, kinds[kind].name, threads, median * 1e3);
    }
    kind = -1;
    pthread_barrier_wait(&start);
    for (int t = 0; t < threads; t++) pthread_join(tid[t], NULL);
    return partial[0] < 0;
}
