// omx CUDA kernels: the Backend SPI primitives on NVIDIA GPUs, loaded as PTX by the JCuda driver API.
//
// Build (kernels/cuda/pom.xml, profile "nvcc"): nvcc -ptx -arch=compute_75 (the lowest virtual
// architecture CUDA 13 accepts, so any Turing-or-newer GPU JIT-compiles it), validated with
// ptxas -arch=sm_90, plus a cubin for sm_90 so H100s skip the JIT and old drivers that reject
// PTX ISA 9.0 still load the cubin. Every kernel is extern "C" so its PTX name is its C name.
//
// Layouts: row-major float32; GEMM operands arrive packed and zero-padded by the host
// (A mPad x kPad, B kPad x nPad, C mPad x nPad; mPad, nPad multiples of 128, kPad of 8), so the
// GEMM inner loops have no bounds tests. Other kernels take a pitch (elements between rows).
//
// ---------------------------------------------------------------------------------------------
// SGEMM design and expected performance (H100 SXM: 132 SMs, 66.9 TFLOP/s FP32 at boost clock,
// 3.35 TB/s HBM3, 50 MB L2, 228 KB shared memory per SM).
//   * Block tile 128 x 128, k-step 8, 256 threads, 8 x 8 outputs per thread in registers
//     (64 accumulators + 16 operands per step: about 110 registers, so 2 blocks per SM).
//   * Shared memory: A tile stored transposed (As[k][m]) and B tile (Bs[k][n]), both double
//     buffered (2 x 2 x 8 x 128 floats = 16 KiB per block): the next tile is fetched into
//     registers with float4 loads while the current one is multiplied, so one __syncthreads per
//     k-step and global latency hidden behind 8 x 64 FMAs per thread.
//   * Per k-step a thread reads 4 float4 from shared memory (8 of A, 8 of B) for 64 FMAs:
//     shared-memory traffic is 0.125 words per FMA, well under the 1 word/FMA/lane limit.
//   * Arithmetic intensity from global memory: a 128 x 128 tile reads (128 + 128) x 4 bytes per
//     k for 2 x 128 x 128 FLOPs = 32 FLOP/byte; against 3.35 TB/s that would allow 107 TFLOP/s,
//     above the 67 TFLOP/s FP32 roof, so the kernel is compute-bound (L2 reuse across tiles
//     raises the real intensity further).
//   * Expected (a design estimate, not yet measured): 60-70 % of FP32 peak for the kernel alone
//     (a hand-written CUDA-core SGEMM of this shape reaches 70-80 % of cuBLAS's SGEMM, which is
//     itself ~90 % of peak; FFMA dual issue and register-bank conflicts cost the rest), i.e. about
//     40-47 TFLOP/s.
//   * End to end for the correlation of 100,000 samples x 20,000 features (C = Z Z^T, m = n =
//     20,000, k = 100,000: 80 TFLOP, 80.8 with padding; Z 8.0 GB, C 1.6 GB), PREDICTED, NOT
//     MEASURED (no GPU was available): the float32 path runs sgemm_nt_128x128 below as
//     GemmSchedule plans it. Z crosses PCIe once (8.04 GB in 16 chunks of 1,280 rows on a copy
//     stream, ~50 GB/s) and A is read from the resident Z; C is computed in the L-shaped order the
//     chunks allow, so the GPU starts after 1/16 of Z; host packing is row copies (no transpose) on
//     all host threads into pinned buffers of any size, kept between calls. GPU idle ~0.09 s
//     (first chunks, last C block) on top of 2.01 / 1.86 / 1.73 s of kernel at 60 / 65 / 70 % of
//     peak: 80 / ((kernel + 0.09) x 66.9) = 57 / 61 / 66 % of FP32 peak end to end (49-57 % if the
//     two streams never fill each other's partial last waves). Before these changes: 5-10 %
//     (pinned staging capped at 1 GiB: Z crossed PCIe 9 times; one host thread; a transposing
//     pack at ~1 GB/s). The README ("GPU performance model") gives the roofline and arithmetic.
//   * sgemm_nt_128x128 (ptxas sm_90): 128 registers, no spills, 16 KiB shared: 2 blocks per SM.
// ---------------------------------------------------------------------------------------------

#include <stdint.h>

#define BM 128
#define BN 128
#define BK 8
#define TM 8
#define TN 8

static __device__ __forceinline__ double nan_d() { return __longlong_as_double(0x7ff8000000000000LL); }

// C[m][n] = alpha * sum_p A[m][p] B[p][n] + beta * C[m][n] (beta == 0: C is not read).
// grid (nPad / 128, mPad / 128), block 256.
extern "C" __global__ void __launch_bounds__(256, 2)
sgemm_128x128(const float* __restrict__ A, const float* __restrict__ B, float* __restrict__ C,
              int mPad, int nPad, int kPad, float alpha, float beta)
{
    __shared__ __align__(16) float As[2][BK][BM];
    __shared__ __align__(16) float Bs[2][BK][BN];

    const int tid = threadIdx.x;
    const int tx = tid % 16;          // column group
    const int ty = tid / 16;          // row group
    const int rowBase = blockIdx.y * BM;
    const int colBase = blockIdx.x * BN;

    // Global-to-shared assignment: A tile 128 x 8 is 256 float4 (row tid/2, k (tid%2)*4);
    // B tile 8 x 128 is 256 float4 (k tid/32, column (tid%32)*4).
    const int aRow = tid >> 1;
    const int aCol = (tid & 1) << 2;
    const int bRow = tid >> 5;
    const int bCol = (tid & 31) << 2;
    const float* aPtr = A + (size_t)(rowBase + aRow) * kPad + aCol;
    const float* bPtr = B + (size_t)bRow * nPad + colBase + bCol;

    float acc[TM][TN];
#pragma unroll
    for (int i = 0; i < TM; i++)
#pragma unroll
        for (int j = 0; j < TN; j++) acc[i][j] = 0.f;

    float4 aNext = *reinterpret_cast<const float4*>(aPtr);
    float4 bNext = *reinterpret_cast<const float4*>(bPtr);
    As[0][aCol + 0][aRow] = aNext.x;
    As[0][aCol + 1][aRow] = aNext.y;
    As[0][aCol + 2][aRow] = aNext.z;
    As[0][aCol + 3][aRow] = aNext.w;
    *reinterpret_cast<float4*>(&Bs[0][bRow][bCol]) = bNext;
    __syncthreads();

    int buf = 0;
    for (int k0 = 0; k0 < kPad; k0 += BK) {
        const bool more = k0 + BK < kPad;
        if (more) { // prefetch the next tile into registers while this one is multiplied
            aNext = *reinterpret_cast<const float4*>(aPtr + k0 + BK);
            bNext = *reinterpret_cast<const float4*>(bPtr + (size_t)(k0 + BK) * nPad);
        }
#pragma unroll
        for (int p = 0; p < BK; p++) {
            float a[TM], b[TN];
            float4 a0 = *reinterpret_cast<const float4*>(&As[buf][p][ty * 4]);
            float4 a1 = *reinterpret_cast<const float4*>(&As[buf][p][ty * 4 + 64]);
            float4 b0 = *reinterpret_cast<const float4*>(&Bs[buf][p][tx * 4]);
            float4 b1 = *reinterpret_cast<const float4*>(&Bs[buf][p][tx * 4 + 64]);
            a[0] = a0.x; a[1] = a0.y; a[2] = a0.z; a[3] = a0.w;
            a[4] = a1.x; a[5] = a1.y; a[6] = a1.z; a[7] = a1.w;
            b[0] = b0.x; b[1] = b0.y; b[2] = b0.z; b[3] = b0.w;
            b[4] = b1.x; b[5] = b1.y; b[6] = b1.z; b[7] = b1.w;
#pragma unroll
            for (int i = 0; i < TM; i++)
#pragma unroll
                for (int j = 0; j < TN; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
        }
        if (more) { // the other buffer is free: everyone passed the previous barrier
            int nb = buf ^ 1;
            As[nb][aCol + 0][aRow] = aNext.x;
            As[nb][aCol + 1][aRow] = aNext.y;
            As[nb][aCol + 2][aRow] = aNext.z;
            As[nb][aCol + 3][aRow] = aNext.w;
            *reinterpret_cast<float4*>(&Bs[nb][bRow][bCol]) = bNext;
            __syncthreads();
            buf = nb;
        }
    }

    // Rows ty*4 + {0..3} and ty*4 + 64 + {0..3}; columns tx*4 + {0..3} and tx*4 + 64 + {0..3}.
#pragma unroll
    for (int i = 0; i < TM; i++) {
        int r = rowBase + ty * 4 + (i < 4 ? i : 60 + i);
#pragma unroll
        for (int h = 0; h < 2; h++) {
            float* cp = C + (size_t)r * nPad + colBase + tx * 4 + h * 64;
            float4 v = make_float4(alpha * acc[i][h * 4 + 0], alpha * acc[i][h * 4 + 1],
                                   alpha * acc[i][h * 4 + 2], alpha * acc[i][h * 4 + 3]);
            if (beta != 0.f) {
                float4 old = *reinterpret_cast<const float4*>(cp);
                v.x = fmaf(beta, old.x, v.x); v.y = fmaf(beta, old.y, v.y);
                v.z = fmaf(beta, old.z, v.z); v.w = fmaf(beta, old.w, v.w);
            }
            *reinterpret_cast<float4*>(cp) = v;
        }
    }
}

// C[m][n] = alpha * sum_p A[m][p] B[n][p] + beta * C[m][n]: the NT form, both operands row-major
// with the depth contiguous (A mPad x kPad, B nPad x kPad, C mPad x nPad), so the host packs rows
// with plain copies and never transposes; for Z Z^T one packed copy of Z is both A and B (A may
// point into it at row i0). The B tile is loaded exactly like the A tile (128 rows x 8 depth as
// 256 float4) and stored transposed into Bs[k][n]; from there on the loop is sgemm_128x128's.
// grid (nPad / 128, mPad / 128), block 256.
extern "C" __global__ void __launch_bounds__(256, 2)
sgemm_nt_128x128(const float* __restrict__ A, const float* __restrict__ B, float* __restrict__ C,
                 int mPad, int nPad, int kPad, float alpha, float beta)
{
    __shared__ __align__(16) float As[2][BK][BM];
    __shared__ __align__(16) float Bs[2][BK][BN];

    const int tid = threadIdx.x;
    const int tx = tid % 16;
    const int ty = tid / 16;
    const int rowBase = blockIdx.y * BM;
    const int colBase = blockIdx.x * BN;

    // Both tiles: row tid/2 of the block's 128 rows, depth (tid%2)*4 .. +3 as one float4.
    const int ldRow = tid >> 1;
    const int ldCol = (tid & 1) << 2;
    const float* aPtr = A + (size_t)(rowBase + ldRow) * kPad + ldCol;
    const float* bPtr = B + (size_t)(colBase + ldRow) * kPad + ldCol;

    float acc[TM][TN];
#pragma unroll
    for (int i = 0; i < TM; i++)
#pragma unroll
        for (int j = 0; j < TN; j++) acc[i][j] = 0.f;

    float4 aNext = *reinterpret_cast<const float4*>(aPtr);
    float4 bNext = *reinterpret_cast<const float4*>(bPtr);
    As[0][ldCol + 0][ldRow] = aNext.x; As[0][ldCol + 1][ldRow] = aNext.y;
    As[0][ldCol + 2][ldRow] = aNext.z; As[0][ldCol + 3][ldRow] = aNext.w;
    Bs[0][ldCol + 0][ldRow] = bNext.x; Bs[0][ldCol + 1][ldRow] = bNext.y;
    Bs[0][ldCol + 2][ldRow] = bNext.z; Bs[0][ldCol + 3][ldRow] = bNext.w;
    __syncthreads();

    int buf = 0;
    for (int k0 = 0; k0 < kPad; k0 += BK) {
        const bool more = k0 + BK < kPad;
        if (more) {
            aNext = *reinterpret_cast<const float4*>(aPtr + k0 + BK);
            bNext = *reinterpret_cast<const float4*>(bPtr + k0 + BK);
        }
#pragma unroll
        for (int p = 0; p < BK; p++) {
            float a[TM], b[TN];
            float4 a0 = *reinterpret_cast<const float4*>(&As[buf][p][ty * 4]);
            float4 a1 = *reinterpret_cast<const float4*>(&As[buf][p][ty * 4 + 64]);
            float4 b0 = *reinterpret_cast<const float4*>(&Bs[buf][p][tx * 4]);
            float4 b1 = *reinterpret_cast<const float4*>(&Bs[buf][p][tx * 4 + 64]);
            a[0] = a0.x; a[1] = a0.y; a[2] = a0.z; a[3] = a0.w;
            a[4] = a1.x; a[5] = a1.y; a[6] = a1.z; a[7] = a1.w;
            b[0] = b0.x; b[1] = b0.y; b[2] = b0.z; b[3] = b0.w;
            b[4] = b1.x; b[5] = b1.y; b[6] = b1.z; b[7] = b1.w;
#pragma unroll
            for (int i = 0; i < TM; i++)
#pragma unroll
                for (int j = 0; j < TN; j++) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
        }
        if (more) {
            int nb = buf ^ 1;
            As[nb][ldCol + 0][ldRow] = aNext.x; As[nb][ldCol + 1][ldRow] = aNext.y;
            As[nb][ldCol + 2][ldRow] = aNext.z; As[nb][ldCol + 3][ldRow] = aNext.w;
            Bs[nb][ldCol + 0][ldRow] = bNext.x; Bs[nb][ldCol + 1][ldRow] = bNext.y;
            Bs[nb][ldCol + 2][ldRow] = bNext.z; Bs[nb][ldCol + 3][ldRow] = bNext.w;
            __syncthreads();
            buf = nb;
        }
    }

#pragma unroll
    for (int i = 0; i < TM; i++) {
        int r = rowBase + ty * 4 + (i < 4 ? i : 60 + i);
#pragma unroll
        for (int h = 0; h < 2; h++) {
            float* cp = C + (size_t)r * nPad + colBase + tx * 4 + h * 64;
            float4 v = make_float4(alpha * acc[i][h * 4 + 0], alpha * acc[i][h * 4 + 1],
                                   alpha * acc[i][h * 4 + 2], alpha * acc[i][h * 4 + 3]);
            if (beta != 0.f) {
                float4 old = *reinterpret_cast<const float4*>(cp);
                v.x = fmaf(beta, old.x, v.x); v.y = fmaf(beta, old.y, v.y);
                v.z = fmaf(beta, old.z, v.z); v.w = fmaf(beta, old.w, v.w);
            }
            *reinterpret_cast<float4*>(cp) = v;
        }
    }
}

// The same product with float64 running sums (Accumulation.FLOAT64): a plain 16 x 16 shared-memory
// tiling; FP64 throughput (half of FP32 on H100) makes this the accuracy path, not the fast one.
// grid (nPad / 16, mPad / 16), block (16, 16).
extern "C" __global__ void
dgemm_acc_16x16(const float* __restrict__ A, const float* __restrict__ B, float* __restrict__ C,
                int mPad, int nPad, int kPad, float alpha, float beta)
{
    __shared__ float As[16][17];
    __shared__ float Bs[16][17];
    int tx = threadIdx.x, ty = threadIdx.y;
    int row = blockIdx.y * 16 + ty;
    int col = blockIdx.x * 16 + tx;
    double sum = 0.0;
    for (int k0 = 0; k0 < kPad; k0 += 16) {
        // kPad is a multiple of 8: the second half of the last step may run past it.
        As[ty][tx] = k0 + tx < kPad ? A[(size_t)row * kPad + k0 + tx] : 0.f;
        Bs[ty][tx] = k0 + ty < kPad ? B[(size_t)(k0 + ty) * nPad + col] : 0.f;
        __syncthreads();
#pragma unroll
        for (int p = 0; p < 16; p++) sum = fma((double)As[ty][p], (double)Bs[p][tx], sum);
        __syncthreads();
    }
    float* cp = C + (size_t)row * nPad + col;
    double v = (double)alpha * sum;
    if (beta != 0.f) v += (double)beta * (double)*cp;
    *cp = (float)v;
}

// Block-wide double sum of one value per thread (blockDim.x == 256).
static __device__ double block_sum(double v, double* scratch)
{
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < (int)(blockDim.x >> 5) ? scratch[lane] : 0.0;
        for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
        if (lane == 0) scratch[0] = v;
    }
    __syncthreads();
    double r = scratch[0];
    __syncthreads();
    return r;
}

// Mean and sample variance over non-NaN values, two passes in double. grid rows, block 256.
extern "C" __global__ void
row_mean_variance(const float* __restrict__ a, int rows, int cols, long long pitch,
                  double* __restrict__ mean, double* __restrict__ variance, int* __restrict__ count)
{
    __shared__ double scratch[32];
    int i = blockIdx.x;
    if (i >= rows) return;
    const float* row = a + (size_t)i * pitch;
    double s = 0.0, n = 0.0;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float x = row[j];
        if (x == x) { s += x; n += 1.0; }
    }
    s = block_sum(s, scratch);
    n = block_sum(n, scratch);
    double mu = n > 0 ? s / n : nan_d();
    double ss = 0.0;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float x = row[j];
        if (x == x) { double d = x - mu; ss += d * d; }
    }
    ss = block_sum(ss, scratch);
    if (threadIdx.x == 0) {
        mean[i] = mu;
        variance[i] = n >= 2 ? ss / (n - 1) : nan_d();
        count[i] = (int)n;
    }
}

// Element-wise ops, same codes as the Java side (CudaKernels.OP_*), in double, rounded once.
extern "C" __global__ void
map_elementwise(const float* __restrict__ a, float* __restrict__ out, long long n, int op, double p1, double p2)
{
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
        double x = a[i];
        double y;
        if (x != x) y = op == 8 ? p2 : x;
        else switch (op) {
            case 0: y = p1 * x + p2; break;
            case 1: y = log(x + p1); break;
            case 2: y = log(x + p1) / 0.6931471805599453; break;
            case 3: y = exp(x); break;
            case 4: y = sqrt(x); break;
            case 5: y = fabs(x); break;
            case 6: { double m = pow(fabs(x), p1); y = x > 0 ? m : x < 0 ? -m : x; break; }
            case 7: y = fmin(fmax(x, p1), p2); break;
            default: y = x;
        }
        out[i] = (float)y;
    }
}

// out[i][j] = a[i][j] * scale[i] + shift[i] in double. grid (ceil(cols / 256), rows), block 256.
extern "C" __global__ void
scale_rows(const float* __restrict__ a, float* __restrict__ out, int rows, int cols, long long pitch,
           const double* __restrict__ scale, const double* __restrict__ shift)
{
    int i = blockIdx.y;
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < rows && j < cols) {
        size_t o = (size_t)i * pitch + j;
        out[o] = (float)((double)a[o] * scale[i] + shift[i]);
    }
}

// Reductions skipping NaN: codes SUM 0, SUM_OF_SQUARES 1, MIN 2, MAX 3, COUNT 4.
// By rows: grid rows, block 256, one block per row. An empty line gives NaN except SUM and COUNT.
extern "C" __global__ void
reduce_rows(const float* __restrict__ a, int rows, int cols, long long pitch, int red, double* __restrict__ out)
{
    __shared__ double scratch[32];
    __shared__ double best[256];
    int i = blockIdx.x;
    if (i >= rows) return;
    const float* row = a + (size_t)i * pitch;
    double s = 0.0, n = 0.0;
    double b = red == 2 ? 1.0 / 0.0 : -1.0 / 0.0;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float x = row[j];
        if (x != x) continue;
        n += 1.0;
        s += red == 1 ? (double)x * x : (double)x;
        b = red == 2 ? fmin(b, (double)x) : fmax(b, (double)x);
    }
    s = block_sum(s, scratch);
    n = block_sum(n, scratch);
    best[threadIdx.x] = b;
    __syncthreads();
    for (int h = blockDim.x / 2; h > 0; h >>= 1) {
        if (threadIdx.x < h)
            best[threadIdx.x] = red == 2 ? fmin(best[threadIdx.x], best[threadIdx.x + h])
                                         : fmax(best[threadIdx.x], best[threadIdx.x + h]);
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        double r = red == 4 ? n : red == 0 ? s : n == 0 ? nan_d() : red == 1 ? s : best[0];
        out[i] = r;
    }
}

// By columns: one thread per column walking down the rows (coalesced across the warp).
extern "C" __global__ void
reduce_columns(const float* __restrict__ a, int rows, int cols, long long pitch, int red, double* __restrict__ out)
{
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= cols) return;
    double s = 0.0, b = 0.0;
    int n = 0;
    for (int i = 0; i < rows; i++) {
        float x = a[(size_t)i * pitch + j];
        if (x != x) continue;
        s += red == 1 ? (double)x * x : (double)x;
        b = n == 0 ? (double)x : red == 2 ? fmin(b, (double)x) : fmax(b, (double)x);
        n++;
    }
    out[j] = red == 4 ? (double)n : red == 0 ? s : n == 0 ? nan_d() : red == 1 ? s : b;
}
