// The atlas map: draws the neighbourhood boundaries from the page's JSON endpoint (GeoJSON with
// a precomputed colour per area) on a plain background, with no external tiles or fonts, so the
// Content-Security-Policy can stay 'self' only. Without JavaScript the page shows the same
// figures as a table; with it, the map is shown above the (closed) table. The select control
// is a plain form: "Show on the map" reloads the page with the new choice (no change on input
// alone, WCAG 2.2 SC 3.2.2), and the server renders the table and legend for it.
const container = document.getElementById("atlas-map");
const maplibregl = window.maplibregl;

if (container && maplibregl) {
  maplibregl.setWorkerUrl(container.dataset.workerUrl);
  container.hidden = false;
  document.getElementById("atlas-table")?.removeAttribute("open");

  const map = new maplibregl.Map({
    container,
    style: {
      version: 8,
      sources: {},
      layers: [{ id: "background", type: "background", paint: { "background-color": "#f0f4f5" } }],
    },
    center: [-2.05, 52.53],
    zoom: 9,
    attributionControl: false,
    cooperativeGestures: true,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));

  const popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false });

  map.on("load", async () => {
    const response = await fetch(container.dataset.url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) {
      return;
    }
    const data = await response.json();
    map.addSource("areas", { type: "geojson", data });
    map.addLayer({
      id: "areas-fill",
      type: "fill",
      source: "areas",
      paint: { "fill-color": ["get", "colour"], "fill-opacity": 0.85 },
    });
    map.addLayer({
      id: "areas-outline",
      type: "line",
      source: "areas",
      paint: {
        "line-color": "#425563",
        "line-width": ["case", ["boolean", ["feature-state", "hover"], false], 2.5, 0.4],
      },
    });
    if (data.bbox) {
      const [west, south, east, north] = data.bbox;
      map.fitBounds(
        [
          [west, south],
          [east, north],
        ],
        { padding: 16, animate: false },
      );
    }
  });

  let hovered = null;
  map.on("mousemove", "areas-fill", (event) => {
    const feature = event.features[0];
    map.getCanvas().style.cursor = "pointer";
    if (hovered !== null) {
      map.setFeatureState({ source: "areas", id: hovered }, { hover: false });
    }
    hovered = feature.id;
    map.setFeatureState({ source: "areas", id: hovered }, { hover: true });
    popup.setLngLat(event.lngLat).setDOMContent(describe(feature.properties)).addTo(map);
  });
  map.on("mouseleave", "areas-fill", () => {
    map.getCanvas().style.cursor = "";
    if (hovered !== null) {
      map.setFeatureState({ source: "areas", id: hovered }, { hover: false });
    }
    hovered = null;
    popup.remove();
  });
  map.on("click", "areas-fill", (event) => {
    window.location.assign(event.features[0].properties.url);
  });
}

// The popup's content, built as text nodes (never HTML from data).
function describe(properties) {
  const box = document.createElement("div");
  box.className = "hg-map-popup";
  const name = document.createElement("strong");
  name.textContent = properties.name;
  const value = document.createElement("div");
  value.textContent = properties.suppressed ? "* (based on 1 to 7 people)" : properties.text;
  box.append(name, value);
  return box;
}
