/**
 * Draws the Teams app icons into manifest/: color.png (192×192, the PlanPulse blue with a white pulse line) and
 * outline.png (32×32, white on transparent, as Teams requires).   npx tsx scripts/draw-icons.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { packageRoot } from '../src/app/paths.js';

type RGBA = [number, number, number, number];

function draw(size: number, background: RGBA, line: RGBA, width: number): Buffer {
  const png = new PNG({ width: size, height: size });
  const put = (x: number, y: number, c: RGBA) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return;
    const i = (y * size + Math.round(x)) * 4;
    png.data[i] = c[0]; png.data[i + 1] = c[1]; png.data[i + 2] = c[2]; png.data[i + 3] = c[3];
  };
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) put(x, y, background);
  // A heartbeat: flat, up, down, up, flat — as fractions of the icon.
  const points = [[0.12, 0.55], [0.36, 0.55], [0.46, 0.25], [0.56, 0.78], [0.64, 0.45], [0.7, 0.55], [0.88, 0.55]].map(([x, y]) => [x! * size, y! * size] as const);
  for (let s = 0; s < points.length - 1; s++) {
    const [[x0, y0], [x1, y1]] = [points[s]!, points[s + 1]!];
    const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2);
    for (let k = 0; k <= steps; k++) {
      const [x, y] = [x0 + ((x1 - x0) * k) / steps, y0 + ((y1 - y0) * k) / steps];
      for (let dy = -width; dy <= width; dy++) for (let dx = -width; dx <= width; dx++) if (dx * dx + dy * dy <= width * width) put(Math.round(x + dx), Math.round(y + dy), line);
    }
  }
  return PNG.sync.write(png);
}

writeFileSync(join(packageRoot, 'manifest', 'color.png'), draw(192, [47, 85, 151, 255], [255, 255, 255, 255], 7));
writeFileSync(join(packageRoot, 'manifest', 'outline.png'), draw(32, [0, 0, 0, 0], [255, 255, 255, 255], 1));
console.log('wrote manifest/color.png and manifest/outline.png');
