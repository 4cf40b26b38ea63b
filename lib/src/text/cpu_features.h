// What the CPU offers beyond the build's SSE2 baseline (Debian's x86-64),
// asked once per process, for the text kernels that have an AVX2 form.
#ifndef STORYSIFT_TEXT_CPU_FEATURES_H_
#define STORYSIFT_TEXT_CPU_FEATURES_H_

namespace storysift::internal {

// True where AVX2 kernels may run: an x86-64 GCC/Clang build on a CPU that
// has AVX2. Each kernel's AVX2 form gives the same bytes as its SSE2 form.
inline bool CpuHasAvx2() {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool avx2 = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return avx2;
#else
  return false;
#endif
}

// True where kernels built for AVX2 with BMI1/BMI2, POPCNT and LZCNT may run
// (Haswell and later, Zen and later): what target("avx2,bmi,bmi2,popcnt,
// lzcnt") code needs.
inline bool CpuHasAvx2Bmi2() {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
           __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt") &&
           __builtin_cpu_supports("lzcnt");
  }();
  return has;
#else
  return false;
#endif
}

// True where the AVX-512 kernels (STORYSIFT_AVX512_TARGET, xxh3_avx512.h)
// may run: CpuHasAvx2Bmi2 plus AVX-512 F, DQ, BW, VL, VBMI and VBMI2 (Ice
// Lake and later, Zen 4); libgcc also checks that the OS saves the ZMM state.
inline bool CpuHasAvx512() {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool has = [] {
    __builtin_cpu_init();
    return CpuHasAvx2Bmi2() && __builtin_cpu_supports("avx512f") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vbmi") &&
           __builtin_cpu_supports("avx512vbmi2");
  }();
  return has;
#else
  return false;
#endif
}

}  // namespace storysift::internal

#endif  // STORYSIFT_TEXT_CPU_FEATURES_H_
