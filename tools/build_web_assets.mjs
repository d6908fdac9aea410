// Build-time only (`npm ci && npm run build`): vendor the Natural Earth 110m world basemap into
// marsad/web/static/map as GeoJSON, so the map page needs no tile server, CDN or npm at run time.
// The server projects it to SVG (marsad/web/geo.py); no JavaScript library is shipped to browsers.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { feature } from "topojson-client";

const require = createRequire(import.meta.url);
const OUT = new URL("../marsad/web/static/map/", import.meta.url);
const DIGITS = 2; // 0.01° ≈ 1 km: far finer than a 110m basemap needs

const round = (c) => (typeof c[0] === "number" ? c.slice(0, 2).map((x) => +x.toFixed(DIGITS)) : c.map(round));
const pkg = (name) => require(`${name}/package.json`);

const topo = JSON.parse(readFileSync(require.resolve("world-atlas/countries-110m.json"), "utf8"));
const countries = feature(topo, topo.objects.countries);
const out = {
  type: "FeatureCollection",
  features: countries.features.map((f) => ({
    type: "Feature",
    properties: { name: f.properties.name },
    geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) },
  })),
};
mkdirSync(OUT, { recursive: true });
writeFileSync(new URL("world-110m.geojson", OUT), JSON.stringify(out));

const atlas = pkg("world-atlas"), client = pkg("topojson-client");
writeFileSync(new URL("SOURCES.md", OUT), `# Vendored map data

| file | from (npm, at build time) | version | licence |
|---|---|---|---|
| world-110m.geojson | ${atlas.name} (countries-110m.json, Natural Earth 4.1.0 1:110m admin-0 countries), converted with ${client.name} | ${atlas.version} / ${client.version} | Natural Earth data: public domain; world-atlas and topojson-client: ${atlas.license} |

Rebuild: \`npm ci && npm run build\` (tools/build_web_assets.mjs). Coordinates rounded to ${DIGITS} decimals.
`);
console.log(`wrote ${out.features.length} countries to ${OUT.pathname}`);
