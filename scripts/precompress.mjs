// Trunk post-build step (after csp.py): writes a .br (Brotli, quality 11) and a .gz (gzip,
// level 9) next to every asset of the build (subfolders too), so static hosts that serve precompressed files
// (GitHub Pages, nginx gzip_static/brotli_static, S3+CloudFront with the right metadata, and
// scripts/serve.sh) send the smaller file. Node's own zlib: no extra tool to install.
import { readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const dir = process.env.TRUNK_STAGING_DIR || "dist";
const compressible = /\.(wasm|js|css|html|svg|json)$/;
for (const name of readdirSync(dir, { recursive: true })) {
  const path = join(dir, name);
  if (!compressible.test(name) || !statSync(path).isFile()) continue;
  const data = readFileSync(path);
  writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
  writeFileSync(
    `${path}.br`,
    brotliCompressSync(data, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    }),
  );
}
