// The virtual camera at the murals' depth (core/camera.py `view`): NEOTERRA_CAMERA is
// (x, y, zoom) with x, y in frame units (the frame's height is 2). A frame point p is seen at
// (p - xy) * zoom, so the point under a pixel is q / zoom + xy. The murals sit behind the swarm
// (depth 0.3 to 0.6) and so drift less than it: parallax.

// The point of the mural under this pixel, in units of the frame's height, centred.
vec2 mural_point() {
    vec2 q = (isf_FragNormCoord - 0.5) * RENDERSIZE / RENDERSIZE.y;
    return q / NEOTERRA_CAMERA.z + 0.5 * NEOTERRA_CAMERA.xy;
}
