#!/usr/bin/env bash
# Rebuild bot/web/static/echarts.dash.min.js: Apache ECharts (npm package `echarts`) with
# only the parts the dashboard draws (bar and line charts, grid, tooltip, legend, SVG
# renderer), bundled and minified by esbuild. The full echarts.min.js is 368 KB gzipped,
# over the dashboard's 300 KB page budget; this build is about 203 KB.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=${ECHARTS_VERSION:-6.1.0}
work=$(mktemp -d)
cd "$work"
npm init -y >/dev/null
npm install --silent "echarts@$version" esbuild
cp "$here/echarts-entry.js" entry.js
npx esbuild entry.js --bundle --minify --format=iife --target=es2017 --legal-comments=none \
  --outfile="$here/../static/echarts.dash.min.js"
cp node_modules/echarts/LICENSE "$here/../static/echarts.LICENSE.txt"
cp node_modules/echarts/NOTICE "$here/../static/echarts.NOTICE.txt"
echo "echarts $version: $(wc -c < "$here/../static/echarts.dash.min.js") bytes, $(gzip -9c "$here/../static/echarts.dash.min.js" | wc -c) gzipped"
