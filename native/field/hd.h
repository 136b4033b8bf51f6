// Qualifiers that let one function body compile for both the host (g++) and the device (nvcc).
#pragma once
#if defined(__CUDACC__)
#define ZK_HD __host__ __device__ __forceinline__
#define ZK_DEVICE_CODE defined(__CUDA_ARCH__)
#define ZK_UNROLL _Pragma("unroll")
#else
#define ZK_HD inline
#define ZK_UNROLL
#endif
