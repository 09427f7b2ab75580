// This invocation's item: gpu/compute.py's dispatch lays workgroups in rows of y past the
// driver's most in x (GL_MAX_COMPUTE_WORK_GROUP_COUNT, 65,535 on many), so a count of items
// beyond 16.7 million at 256 a group still runs in one dispatch. The last row may run past
// the count: every shader bounds-checks the index.
uint invocation() {
    return (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
}
