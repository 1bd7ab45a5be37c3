// Composites segmentation colours / depth colormap over the video frame, entirely on the GPU.
// Inputs are tfjs tensors' own storage buffers (dataToGPU), so nothing is read back to the CPU.
// Formulas mirror src/render/colormaps.ts and viewLayout.ts.

struct Params {
  canvasW: f32, canvasH: f32,
  frameW: u32, frameH: u32,
  modelW: u32, modelH: u32,
  view: u32,          // 0 video, 1 seg, 2 depth, 3 side by side, 4 split (VIEW_IDS)
  isKeyframe: u32,
  opacity: f32, split: f32,
  depthNear: f32, depthFar: f32,
  markerBand: f32, numClasses: u32, pad0: u32, pad1: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> pixels: array<i32>;   // [frameH, frameW, 3] 0..255
@group(0) @binding(2) var<storage, read> labels: array<i32>;   // [modelH, modelW] class ids
@group(0) @binding(3) var<storage, read> depth: array<f32>;    // [modelH, modelW] metres
@group(0) @binding(4) var<storage, read> palette: array<vec4f>; // class colours, 0..1

@vertex
fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  // One triangle covering the viewport.
  let p = vec2f(f32((i << 1u) & 2u), f32(i & 2u));
  return vec4f(p * 2.0 - 1.0, 0.0, 1.0);
}

fn turbo(t: f32) -> vec3f {
  let x = clamp(t, 0.0, 1.0);
  let v4 = vec4f(1.0, x, x * x, x * x * x);
  let v2 = v4.zw * v4.z;
  return clamp(vec3f(
    dot(v4, vec4f(0.13572138, 4.61539260, -42.66032258, 132.13108234)) + dot(v2, vec2f(-152.94239396, 59.28637943)),
    dot(v4, vec4f(0.09140261, 2.19418839, 4.84296658, -14.18503333)) + dot(v2, vec2f(4.27729857, 2.82956604)),
    dot(v4, vec4f(0.10667330, 12.64194608, -60.58204836, 110.36276771)) + dot(v2, vec2f(-89.90310912, 27.34824973))),
    vec3f(0.0), vec3f(1.0));
}

fn videoAt(u: f32, v: f32) -> vec3f {
  let x = min(u32(u * f32(params.frameW)), params.frameW - 1u);
  let y = min(u32(v * f32(params.frameH)), params.frameH - 1u);
  let o = (y * params.frameW + x) * 3u;
  return vec3f(f32(pixels[o]), f32(pixels[o + 1u]), f32(pixels[o + 2u])) / 255.0;
}

// Nearest model pixel: class boundaries stay crisp. Alpha 0 for ignore / out-of-range ids.
fn segAt(u: f32, v: f32) -> vec4f {
  let x = min(u32(u * f32(params.modelW)), params.modelW - 1u);
  let y = min(u32(v * f32(params.modelH)), params.modelH - 1u);
  let id = labels[y * params.modelW + x];
  if (id < 0 || u32(id) >= params.numClasses) { return vec4f(0.0); }
  return vec4f(palette[u32(id)].rgb, 1.0);
}

fn depthTexel(x: i32, y: i32) -> f32 {
  let cx = u32(clamp(x, 0, i32(params.modelW) - 1));
  let cy = u32(clamp(y, 0, i32(params.modelH) - 1));
  return depth[cy * params.modelW + cx];
}

// Bilinear with half-pixel centres (depth is smooth; matches tfjs resizeBilinear's convention).
fn depthAt(u: f32, v: f32) -> f32 {
  let fx = u * f32(params.modelW) - 0.5;
  let fy = v * f32(params.modelH) - 0.5;
  let x0 = i32(floor(fx));
  let y0 = i32(floor(fy));
  let ax = fx - floor(fx);
  let ay = fy - floor(fy);
  let top = mix(depthTexel(x0, y0), depthTexel(x0 + 1, y0), ax);
  let bottom = mix(depthTexel(x0, y0 + 1), depthTexel(x0 + 1, y0 + 1), ax);
  return mix(top, bottom, ay);
}

fn depthColor(d: f32) -> vec3f {
  let c = clamp(d, params.depthNear, params.depthFar);
  return turbo(1.0 - log(c / params.depthNear) / log(params.depthFar / params.depthNear));
}

@fragment
fn fs(@builtin(position) pos: vec4f) -> @location(0) vec4f {
  let v = pos.y / params.canvasH;
  var u = pos.x / params.canvasW;
  var content = params.view; // 0 video, 1 seg, 2 depth
  if (params.view == 3u) {
    let half = params.canvasW * 0.5;
    if (pos.x < half) { content = 1u; u = pos.x / half; } else { content = 2u; u = (pos.x - half) / half; }
  } else if (params.view == 4u) {
    if (u < params.split) { content = 1u; } else { content = 2u; }
  }
  let video = videoAt(u, v);
  var color = video;
  if (content == 1u) {
    let s = segAt(u, v);
    color = mix(video, s.rgb, params.opacity * s.a);
  } else if (content == 2u) {
    color = mix(video, depthColor(depthAt(u, v)), params.opacity);
  }
  if (params.view == 4u && abs(pos.x - params.split * params.canvasW) < 1.5) {
    color = vec3f(1.0);
  }
  if (pos.y < params.markerBand) {
    // Which net drew this frame: amber = slow (keyframe), cyan = fast + ILA. Same as MARKER_* in viewLayout.ts.
    if (params.isKeyframe == 1u) { color = vec3f(1.0, 176.0 / 255.0, 0.0); } else { color = vec3f(0.0, 200.0 / 255.0, 1.0); }
  }
  return vec4f(color, 1.0);
}
