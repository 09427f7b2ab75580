#version 430
// The swarm's light (the bots and their trails) laid over the murals: the scene in HDR.
// The light adds no alpha: in a transparent render the alpha is the tonemap's, from the light.
// Both images are the frame's size: each pixel is fetched, not filtered.
out vec4 colour;
uniform sampler2D u_scene;
uniform sampler2D u_light;

void main() {
    ivec2 at = ivec2(gl_FragCoord.xy);
    vec4 scene = texelFetch(u_scene, at, 0);
    colour = vec4(scene.rgb + texelFetch(u_light, at, 0).rgb, scene.a);
}
