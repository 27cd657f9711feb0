/*
 * jt_cpu_guard_* (jtensor_cpu.h): file mappings that survive their file shrinking underneath (issue 24).
 *
 * A page of a MAP_SHARED/MAP_PRIVATE file mapping that lies past the file's end raises SIGBUS when touched
 * (the file was truncated by another process after it was mapped). In Java code the JVM turns that into an
 * InternalError; in C code (our kernels, OpenBLAS's threads) the JVM's handler finds no Java frame and kills
 * the process. So while a mapping is registered here, a SIGBUS handler placed in front of the JVM's does this:
 * if the faulting address lies in a registered range, it maps anonymous zero pages (same protection) over the
 * range from the faulting page to its end, marks the range faulted, and returns, so the faulting instruction
 * runs again and reads zeros (writes land in the anonymous pages) on whatever thread it was: a Java thread,
 * an intra-op worker, an OpenBLAS thread. The engine checks the mark after every op on the mapping's tensors
 * and throws IllegalStateException naming the file: the op's result is discarded, the tensor stays poisoned.
 * Any other SIGBUS is passed to the handler that was installed before (the JVM's), with the same siginfo and
 * context, so the JVM's own uses (Unsafe access to other mappings -> InternalError) work unchanged.
 *
 * The handler is installed on the first registration only (a JVM that maps no file keeps its own), with the
 * JVM's flags and mask. Replacing a mapping's pages with MAP_FIXED is safe: the JVM later unmaps the whole
 * range, whatever backs it. Registration and removal take a spin lock; the handler takes none (it reads the
 * slots with atomic loads: a range is removed only after its last user released it, so no fault can be in
 * flight in a range while it is removed). mmap is a plain system call (safe in a signal handler in practice).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "jtensor_cpu.h"

#define SLOTS 4096

struct range {
    uintptr_t start; /* 0: free slot */
    uintptr_t end;
    int prot;
};

static struct range ranges[SLOTS];
static uint8_t faulted[SLOTS];
static int used;     /* slots [0, used) may be taken */
static int lock;
static int installed;
static uintptr_t page_size;
static struct sigaction previous;

static void take(void) { while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE)) { } }
static void drop(void) { __atomic_store_n(&lock, 0, __ATOMIC_RELEASE); }

/* Runs the handler that was installed before ours as the kernel would have. */
static void chain(int sig, siginfo_t *info, void *context) {
    if (previous.sa_flags & SA_SIGINFO) {
        if (previous.sa_sigaction != NULL) {
            previous.sa_sigaction(sig, info, context);
            return;
        }
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(sig);
        return;
    }
    /* default action: restore it and return; the faulting instruction faults again and the process dies as without us */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(sig, &dfl, NULL);
}

static void on_sigbus(int sig, siginfo_t *info, void *context) {
    uintptr_t at = (uintptr_t) info->si_addr;
    int n = __atomic_load_n(&used, __ATOMIC_ACQUIRE);
    for (int i = 0; i < n; i++) {
        uintptr_t start = __atomic_load_n(&ranges[i].start, __ATOMIC_ACQUIRE);
        uintptr_t end = __atomic_load_n(&ranges[i].end, __ATOMIC_ACQUIRE);
        if (start == 0 || at < start || at >= end) continue;
        uintptr_t from = at & ~(page_size - 1);
        uintptr_t to = (end + page_size - 1) & ~(page_size - 1);
        void *p = mmap((void *) from, to - from, ranges[i].prot, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) break;
        __atomic_store_n(&faulted[i], 1, __ATOMIC_RELEASE);
        return;
    }
    chain(sig, info, context);
}

static int install(void) {
    if (installed) return 1;
    page_size = (uintptr_t) sysconf(_SC_PAGESIZE);
    struct sigaction ours;
    if (sigaction(SIGBUS, NULL, &previous) != 0) return 0;
    ours = previous;
    ours.sa_sigaction = on_sigbus;
    ours.sa_flags = (previous.sa_flags | SA_SIGINFO) & ~SA_RESETHAND; /* the JVM's flags and mask, as its handler expects */
    if (previous.sa_handler == SIG_DFL || previous.sa_handler == SIG_IGN) {
        ours.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
        sigemptyset(&ours.sa_mask);
    }
    if (sigaction(SIGBUS, &ours, NULL) != 0) return 0;
    installed = 1;
    return 1;
}

int32_t jt_cpu_guard_add(void *start, int64_t length, int32_t writable) {
    if (start == NULL || length <= 0) return -1;
    int32_t slot = -1;
    take();
    if (install()) {
        for (int i = 0; i < SLOTS; i++) {
            if (ranges[i].start != 0) continue;
            ranges[i].prot = writable ? PROT_READ | PROT_WRITE : PROT_READ;
            __atomic_store_n(&faulted[i], 0, __ATOMIC_RELAXED);
            __atomic_store_n(&ranges[i].end, (uintptr_t) start + (uintptr_t) length, __ATOMIC_RELAXED);
            __atomic_store_n(&ranges[i].start, (uintptr_t) start, __ATOMIC_RELEASE);
            if (i >= used) __atomic_store_n(&used, i + 1, __ATOMIC_RELEASE);
            slot = i;
            break;
        }
    }
    drop();
    return slot;
}

void jt_cpu_guard_remove(int32_t slot) {
    if (slot < 0 || slot >= SLOTS) return;
    take();
    __atomic_store_n(&ranges[slot].start, 0, __ATOMIC_RELEASE);
    drop();
}

int32_t jt_cpu_guard_faulted(int32_t slot) {
    if (slot < 0 || slot >= SLOTS) return 0;
    return __atomic_load_n(&faulted[slot], __ATOMIC_ACQUIRE);
}
