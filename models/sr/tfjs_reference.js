// Runs an original UpscalerJS tfjs layers model on raw float32 images with @tensorflow/tfjs's pure-JS CPU
// backend (tfjs-node needs a native download), for models/sr/convert.py to compare with its TorchScript.
//   NODE_PATH=<node_modules with @tensorflow/tfjs 4.11> node tfjs_reference.js <tfjs model dir> <work dir>
// <work dir>/inputs.json lists [H, W, 3] shapes; in<i>.f32 are H x W x 3 RGB in 0..255 (little-endian).
// Writes out<i>.f32 (sH x sW x 3, 0..255) and outputs.json with their shapes.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

// The custom layers of the 'thick' models (models/x*/model.json names them); slim and medium use none.
class MultiplyBeta extends tf.layers.Layer {
  constructor(config) { super(config); this.beta = (config && config.beta) || 0.2; }
  call(inputs) { return tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.beta); }
  static get className() { return 'MultiplyBeta'; }
}
tf.serialization.registerClass(MultiplyBeta);
for (const s of [2, 3, 4, 8]) {
  class PixelShuffle extends tf.layers.Layer {
    constructor(config) { super(config); this.scale = s; }
    computeOutputShape(shape) { return [shape[0], shape[1], shape[2], 3]; }
    call(inputs) { return tf.depthToSpace(Array.isArray(inputs) ? inputs[0] : inputs, this.scale, 'NHWC'); }
    static get className() { return `PixelShuffle${s}x`; }
  }
  tf.serialization.registerClass(PixelShuffle);
}

async function main() {
  const [modelDir, work] = process.argv.slice(2);
  await tf.setBackend('cpu');
  const spec = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8'));
  const weightSpecs = [];
  const buffers = [];
  for (const group of spec.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(modelDir, p)));
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const model = await tf.loadLayersModel(tf.io.fromMemory({modelTopology: spec.modelTopology, weightSpecs, weightData}));
  const shapes = JSON.parse(fs.readFileSync(path.join(work, 'inputs.json'), 'utf8'));
  const outShapes = [];
  shapes.forEach((shape, i) => {
    const raw = fs.readFileSync(path.join(work, `in${i}.f32`));
    const data = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const y = tf.tidy(() => model.predict(tf.tensor4d(data, [1, ...shape])).squeeze([0]));
    outShapes.push(y.shape);
    fs.writeFileSync(path.join(work, `out${i}.f32`), Buffer.from(y.dataSync().buffer));
    y.dispose();
  });
  fs.writeFileSync(path.join(work, 'outputs.json'), JSON.stringify(outShapes));
}

main().catch((e) => { console.error(e); process.exit(1); });
