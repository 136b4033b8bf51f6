// The backends' public face: what protocol, commitment and API code includes. Every subject has
// one dispatch file that picks its CPU or CUDA body (backend/<subject>/*_dispatch.cpp); see
// ARCHITECTURE.md.
#pragma once
#include "device/calibrate.h"
#include "device/devices.h"
#include "field/field_kernels.h"
#include "msm/msm.h"
