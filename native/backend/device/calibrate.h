// The machine's ceilings that benchmarks are compared with.
#pragma once
#include <string>
#include "devices.h"

struct Calibration {
  double fr_mul_per_s;     // Montgomery products per second, all cores or the whole GPU
  double copy_bytes_per_s; // bytes read plus bytes written per second
  std::string method;      // how it was measured, for the record
};

Calibration calibrate(Backend b);
namespace cpu {
Calibration calibrate();
}
namespace cuda {
Calibration calibrate();
}
