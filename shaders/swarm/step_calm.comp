#version 430
// The swarm's step with no particle faults: used while none is on, because a fault's
// code costs a CPU rasteriser time even when its branch is never taken.
#define FAULTS 0
#include "swarm/step.glsl"
