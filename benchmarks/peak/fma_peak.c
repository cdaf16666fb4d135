/*
 * fma_peak: the machine's measured float32 peak, for the "% of peak" column of docs/performance.md.
 *
 * Each thread runs long chains of fused multiply-adds on independent accumulators held in
 * registers (acc = acc * a + b, no memory traffic), so the only limit is how many FMAs the core
 * retires per cycle. There are more independent chains than FMA latency x FMA ports on current
 * x86 cores (latency 4, 2 ports: 8 chains), so the chains never wait for each other.
 * One FMA on one float lane counts as 2 FLOPs, as in WORKLOADS.md.
 *
 * Built by benchmarks/run with: gcc -O2 -march=native -pthread fma_peak.c -o fma_peak
 * With AVX-512 (if the compiler targets it) it measures both 512-bit and 256-bit FMAs: on some
 * cores (AMD Zen 4) a 512-bit FMA issues as two 256-bit halves and both reach the same peak.
 * Otherwise it measures AVX2 (256-bit) FMAs.
 *
 * Usage: fma_peak [threads]   (default 1; each thread spins on its own core, if the OS lets it)
 * Output, "key: value" lines:
 *   fma isa: avx512
 *   fma avx512 threads 1 gflop/s: 123.4
 *   fma avx2 threads 1 gflop/s: 120.1
 *   fma peak threads 1 gflop/s: 123.4        (the best of the above)
 * Each figure is the best of several repetitions of about 0.2 s: a peak is an upper bound.
 */
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if !defined(__AVX2__) || !defined(__FMA__)
#error "fma_peak needs AVX2 and FMA: build with -march=native on an x86-64 machine that has them"
#endif

#define REPETITIONS 5

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Keeps the results alive so the compiler cannot drop the chains. */
static volatile float sink;

/* 12 chains of 8-lane FMAs: 12 ymm accumulators plus 2 operands fit the 16 ymm registers. */
static double run_avx2(long iterations) {
  __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-6f);
  __m256 c0 = _mm256_set1_ps(0.0f), c1 = _mm256_set1_ps(0.1f), c2 = _mm256_set1_ps(0.2f);
  __m256 c3 = _mm256_set1_ps(0.3f), c4 = _mm256_set1_ps(0.4f), c5 = _mm256_set1_ps(0.5f);
  __m256 c6 = _mm256_set1_ps(0.6f), c7 = _mm256_set1_ps(0.7f), c8 = _mm256_set1_ps(0.8f);
  __m256 c9 = _mm256_set1_ps(0.9f), c10 = _mm256_set1_ps(1.0f), c11 = _mm256_set1_ps(1.1f);
  for (long i = 0; i < iterations; i++) {
    c0 = _mm256_fmadd_ps(c0, a, b); c1 = _mm256_fmadd_ps(c1, a, b);
    c2 = _mm256_fmadd_ps(c2, a, b); c3 = _mm256_fmadd_ps(c3, a, b);
    c4 = _mm256_fmadd_ps(c4, a, b); c5 = _mm256_fmadd_ps(c5, a, b);
    c6 = _mm256_fmadd_ps(c6, a, b); c7 = _mm256_fmadd_ps(c7, a, b);
    c8 = _mm256_fmadd_ps(c8, a, b); c9 = _mm256_fmadd_ps(c9, a, b);
    c10 = _mm256_fmadd_ps(c10, a, b); c11 = _mm256_fmadd_ps(c11, a, b);
  }
  __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(c0, c1), _mm256_add_ps(c2, c3)),
                           _mm256_add_ps(_mm256_add_ps(c4, c5), _mm256_add_ps(c6, c7)));
  s = _mm256_add_ps(s, _mm256_add_ps(_mm256_add_ps(c8, c9), _mm256_add_ps(c10, c11)));
  float out[8];
  _mm256_storeu_ps(out, s);
  sink = out[0];
  return 12.0 * 8 * 2 * (double) iterations; /* FLOPs */
}

#ifdef __AVX512F__
/* 16 chains of 16-lane FMAs (there are 32 zmm registers). */
static double run_avx512(long iterations) {
  __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-6f);
  __m512 c[16];
  for (int k = 0; k < 16; k++) c[k] = _mm512_set1_ps(0.1f * k);
  __m512 c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7];
  __m512 c8 = c[8], c9 = c[9], c10 = c[10], c11 = c[11], c12 = c[12], c13 = c[13];
  __m512 c14 = c[14], c15 = c[15];
  for (long i = 0; i < iterations; i++) {
    c0 = _mm512_fmadd_ps(c0, a, b); c1 = _mm512_fmadd_ps(c1, a, b);
    c2 = _mm512_fmadd_ps(c2, a, b); c3 = _mm512_fmadd_ps(c3, a, b);
    c4 = _mm512_fmadd_ps(c4, a, b); c5 = _mm512_fmadd_ps(c5, a, b);
    c6 = _mm512_fmadd_ps(c6, a, b); c7 = _mm512_fmadd_ps(c7, a, b);
    c8 = _mm512_fmadd_ps(c8, a, b); c9 = _mm512_fmadd_ps(c9, a, b);
    c10 = _mm512_fmadd_ps(c10, a, b); c11 = _mm512_fmadd_ps(c11, a, b);
    c12 = _mm512_fmadd_ps(c12, a, b); c13 = _mm512_fmadd_ps(c13, a, b);
    c14 = _mm512_fmadd_ps(c14, a, b); c15 = _mm512_fmadd_ps(c15, a, b);
  }
  __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(c0, c1), _mm512_add_ps(c2, c3)),
                           _mm512_add_ps(_mm512_add_ps(c4, c5), _mm512_add_ps(c6, c7)));
  s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(c8, c9), _mm512_add_ps(c10, c11)));
  s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(c12, c13), _mm512_add_ps(c14, c15)));
  sink = _mm512_reduce_add_ps(s);
  return 16.0 * 16 * 2 * (double) iterations; /* FLOPs */
}
#endif

typedef double (*kernel)(long);

struct job {
  kernel run;
  long iterations;
  pthread_barrier_t *start;
};

static void *worker(void *arg) {
  struct job *job = arg;
  pthread_barrier_wait(job->start);
  job->run(job->iterations);
  return NULL;
}

/* The best GFLOP/s of REPETITIONS runs of about 0.2 s each: FLOPs of all threads / wall time. */
static double best(const char *name, kernel run, double flops_per_iteration, int threads) {
  /* Calibrate on one thread: how many iterations take about 0.2 s. */
  long iterations = 1000000;
  double begin = now();
  run(iterations);
  double seconds = now() - begin;
  iterations = (long) (iterations * 0.2 / (seconds > 1e-6 ? seconds : 1e-6));
  if (iterations < 1000) iterations = 1000;
  double top = 0;
  for (int r = 0; r < REPETITIONS; r++) {
    pthread_t ids[threads];
    struct job jobs[threads];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, threads + 1);
    for (int t = 0; t < threads; t++) {
      jobs[t] = (struct job){run, iterations, &start};
      pthread_create(&ids[t], NULL, worker, &jobs[t]);
    }
    pthread_barrier_wait(&start);
    double t0 = now();
    for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
    double elapsed = now() - t0;
    pthread_barrier_destroy(&start);
    double gflops = threads * flops_per_iteration * iterations / elapsed / 1e9;
    if (gflops > top) top = gflops;
  }
  printf("fma %s threads %d gflop/s: %.1f\n", name, threads, top);
  fflush(stdout);
  return top;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 1024) {
    fprintf(stderr, "usage: fma_peak [threads]  (1..1024)\n");
    return 2;
  }
  double peak = 0, g;
#ifdef __AVX512F__
  printf("fma isa: avx512\n");
  g = best("avx512", run_avx512, 16.0 * 16 * 2, threads);
  if (g > peak) peak = g;
#else
  printf("fma isa: avx2\n");
#endif
  g = best("avx2", run_avx2, 12.0 * 8 * 2, threads);
  if (g > peak) peak = g;
  printf("fma peak threads %d gflop/s: %.1f\n", threads, peak);
  return 0;
}
