import { Component, onWillUnmount, useEffect, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { session } from "@web/session";

/** Markers closer than this many pixels merge into one cluster. */
const CLUSTER_RADIUS = 60;
/**
 * Above this zoom every record has its own marker (a few hundred in a view even where 100,000
 * records share a city); each zoom level clustered costs index time.
 */
const CLUSTER_MAX_ZOOM = 14;
/** The closest a fit to the records zooms (one record, a street). */
const FIT_MAX_ZOOM = 17;

/**
 * Leaflet map of the model's points. The points are clustered with supercluster (a k-d tree,
 * 100,000 points indexed in a few hundred ms); only what the viewport shows becomes a marker,
 * redrawn after each move. Tiles are decoration: without them (offline) the markers still show.
 */
export class MapRenderer extends Component {
    static template = "isp_core.MapRenderer";
    static props = {
        model: Object,
        archInfo: Object,
        openRecord: Function,
    };

    setup() {
        this.mapRef = useRef("map");
        this.state = useState({ tilesFailed: false });
        useEffect(
            (groups) => {
                if (!this.map) {
                    this.createMap();
                }
                this.setGroups(groups, this.props.model.areas);
            },
            () => [this.props.model.groups]
        );
        onWillUnmount(() => {
            this.resizeObserver?.disconnect();
            this.map?.remove();
        });
    }

    get legend() {
        return this.props.model.legend;
    }

    createMap() {
        const L = window.L;
        this.map = L.map(this.mapRef.el, { zoomControl: true, worldCopyJump: true });
        // The tile server of Settings → ISP (ir.http.session_info); without one, markers alone.
        const tiles = session.isp_map_tiles;
        if (tiles) {
            L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 })
                .on("tileerror", () => (this.state.tilesFailed = true))
                .addTo(this.map);
        }
        this.areaLayer = L.layerGroup().addTo(this.map);
        this.markerLayer = L.layerGroup().addTo(this.map);
        this.map.on("moveend", () => this.drawMarkers());
        // Leaflet measures its container once: follow the action's size (sidebar, window).
        this.resizeObserver = new ResizeObserver(() => this.map.invalidateSize());
        this.resizeObserver.observe(this.mapRef.el);
    }

    /**
     * @param {[string | false, number[], number[], number[]][]} groups
     * @param {Record<number, [number, number][]>} areas
     */
    setGroups(groups, areas) {
        this.statusIndex = Object.fromEntries(this.legend.map((entry, index) => [entry.value, index]));
        const size = this.legend.length;
        const features = [];
        for (const [status, ids, lats, lngs] of groups) {
            for (let i = 0; i < ids.length; i++) {
                features.push({
                    type: "Feature",
                    properties: { id: ids[i], status },
                    geometry: { type: "Point", coordinates: [lngs[i], lats[i]] },
                });
            }
        }
        this.index = new window.Supercluster({
            radius: CLUSTER_RADIUS,
            maxZoom: CLUSTER_MAX_ZOOM,
            // Each cluster counts its records per status (legend index → count), for the ring around
            // its number. Plain number properties: supercluster copies them shallowly into clusters.
            map: (props) => {
                const counts = {};
                for (let i = 0; i < size; i++) {
                    counts[i] = 0;
                }
                if (props.status in this.statusIndex) {
                    counts[this.statusIndex[props.status]] = 1;
                }
                return counts;
            },
            reduce: (acc, counts) => {
                for (let i = 0; i < size; i++) {
                    acc[i] += counts[i];
                }
            },
        }).load(features);
        this.drawAreas(areas);
        this.fitToGroups(groups);
    }

    drawAreas(areas) {
        const L = window.L;
        this.areaLayer.clearLayers();
        for (const [id, corners] of Object.entries(areas)) {
            if (corners.length >= 3) {
                L.polygon(corners, { className: "o_isp_map_area", weight: 2, fillOpacity: 0.12 })
                    .on("click", () => this.openPopup(Number(id)))
                    .addTo(this.areaLayer);
            }
        }
    }

    fitToGroups(groups) {
        let [south, west, north, east] = [90, 180, -90, -180];
        for (const [, , lats, lngs] of groups) {
            for (let i = 0; i < lats.length; i++) {
                south = Math.min(south, lats[i]);
                north = Math.max(north, lats[i]);
                west = Math.min(west, lngs[i]);
                east = Math.max(east, lngs[i]);
            }
        }
        if (south > north) {
            this.map.setView([0, 0], 2);
            return;
        }
        // fitBounds moves the map, and moveend draws the markers; a map already there does not move.
        this.map.fitBounds(
            [
                [south, west],
                [north, east],
            ],
            { padding: [32, 32], maxZoom: FIT_MAX_ZOOM, animate: false }
        );
        this.drawMarkers();
    }

    drawMarkers() {
        const L = window.L;
        const bounds = this.map.getBounds();
        const zoom = Math.round(this.map.getZoom());
        const bbox = [
            Math.max(-180, bounds.getWest()),
            Math.max(-85, bounds.getSouth()),
            Math.min(180, bounds.getEast()),
            Math.min(85, bounds.getNorth()),
        ];
        this.markerLayer.clearLayers();
        for (const feature of this.index.getClusters(bbox, zoom)) {
            const [lng, lat] = feature.geometry.coordinates;
            const props = feature.properties;
            const marker = props.cluster
                ? L.marker([lat, lng], { icon: this.clusterIcon(props), keyboard: true })
                : L.marker([lat, lng], {
                      icon: this.pointIcon(props),
                      keyboard: true,
                      title: this.statusLabel(props.status),
                  });
            marker.on("click", () =>
                props.cluster
                    ? this.map.setView(
                          [lat, lng],
                          this.index.getClusterExpansionZoom(props.cluster_id)
                      )
                    : this.openPopup(props.id, [lat, lng])
            );
            marker.addTo(this.markerLayer);
        }
    }

    pointIcon({ id, status }) {
        // Without a status field every marker is the theme's colour; an uncoloured value is grey.
        const color = this.props.archInfo.statusField
            ? this.props.archInfo.colors[status] || "secondary"
            : "primary";
        return window.L.divIcon({
            className: `o_isp_map_marker bg-${color}`,
            html: `<span data-id="${Number(id)}"></span>`,
            iconSize: [16, 16],
        });
    }

    clusterIcon(props) {
        const { point_count } = props;
        const legend = this.legend;
        // A ring split by status (conic-gradient), the count in the middle.
        let counted = 0;
        const stops = legend.length
            ? legend
                  .map((entry, i) => {
                      const start = (counted / point_count) * 100;
                      counted += props[i];
                      return `var(--${entry.color}) ${start}% ${(counted / point_count) * 100}%`;
                  })
                  .join(", ")
            : "var(--primary) 0% 100%";
        const size = point_count < 100 ? 34 : point_count < 1000 ? 40 : 48;
        return window.L.divIcon({
            className: "o_isp_map_cluster",
            html: `<div style="background: conic-gradient(${stops})"><span>${Number(point_count)}</span></div>`,
            iconSize: [size, size],
        });
    }

    statusLabel(status) {
        return this.legend.find((entry) => entry.value === status)?.label || "";
    }

    /**
     * A popup with the record's facts (read now) and a button to its form.
     *
     * @param {number} resId
     * @param {[number, number]} [latLng] where to open it; a record's own point by default
     */
    async openPopup(resId, latLng) {
        const where = latLng || this.props.model.positionOf(resId);
        if (!where) {
            return;
        }
        const content = document.createElement("div");
        content.className = "o_isp_map_popup";
        content.textContent = _t("Loading…");
        const popup = window.L.popup({ minWidth: 200 }).setLatLng(where).setContent(content).openOn(this.map);
        const { displayName, facts } = await this.props.model.readFacts(resId);
        content.textContent = "";
        const title = document.createElement("h6");
        title.textContent = displayName;
        const list = document.createElement("dl");
        list.className = "mb-2";
        for (const { label, value } of facts) {
            const dt = document.createElement("dt");
            dt.textContent = label;
            const dd = document.createElement("dd");
            dd.className = "mb-1";
            dd.textContent = value || "—";
            list.append(dt, dd);
        }
        const open = document.createElement("button");
        open.type = "button";
        open.className = "btn btn-primary btn-sm o_isp_map_open";
        open.textContent = _t("Open");
        open.addEventListener("click", () => this.props.openRecord(resId));
        content.append(title, list, open);
        popup.update();
    }
}
