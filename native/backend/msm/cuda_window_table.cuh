// Fixed-base window tables of a generator set on the device: what the IPA rounds and the
// field-element commitments use instead of a general bucket MSM (cuda_msm.cuh, WindowTableDigits).
#pragma once
#include <memory>
#include "../../commit/generators.h"
#include "../device/cuda_common.cuh"

// Point k·stride + i is 2^(c·k)·P_i for P = (g_0, ..., g_{w−1}, Q), stride = w + 1, k < windows.
struct WindowTable {
  DeviceBuffer<G1Affine> points;
  size_t stride = 0;
  int c = 0, windows = 0;
};

// Made once per generator set and kept for the process (the last set asked for), like the
// generators' memory cache: it is part of the public parameters, not of any one proof.
std::shared_ptr<const WindowTable> window_table(const PedersenGenerators& key);
