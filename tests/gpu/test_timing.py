"""Timer queries give each pass its GPU time, a couple of frames late and without waiting."""

from neoterra_glow.gpu.timing import PassTimes


def test_each_pass_gets_its_own_gpu_time(ctx):
    busy = ctx.compute_shader(
        "#version 430\nlayout(local_size_x = 256) in;\n"
        "layout(std430, binding = 0) buffer B { float v[]; };\n"
        "uniform int u_rounds;\n"
        "void main() { float x = v[gl_GlobalInvocationID.x];\n"
        "  for (int k = 0; k < u_rounds; ++k) x = sin(x) * 1.0001 + 0.5;\n"
        "  v[gl_GlobalInvocationID.x] = x; }\n"
    )
    buffer = ctx.buffer(reserve=4 * 65536)
    buffer.bind_to_storage_buffer(0)
    times = PassTimes(ctx)
    for _ in range(4):
        with times.measure("light"):
            busy["u_rounds"] = 1
            busy.run(256)
        with times.measure("heavy"):
            busy["u_rounds"] = 200
            busy.run(256)
        times.next_frame()
    assert set(times.ms) == {"light", "heavy"}
    assert 0.0 < times.ms["light"] < times.ms["heavy"]
    assert times.summary().startswith("light ")
    times.release()
    buffer.release()
    busy.release()
