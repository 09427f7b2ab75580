#version 430
// The swarm's step with its particle faults compiled in (swarm/step.glsl).
#define FAULTS 1
#include "swarm/step.glsl"
