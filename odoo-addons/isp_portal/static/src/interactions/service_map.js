import { loadBundle } from "@web/core/assets";
import { registry } from "@web/core/registry";
import { Interaction } from "@web/public/interaction";

// A street and its neighbours: enough for the customer to recognise their home.
const ZOOM = 17;

/**
 * The customer's service location on their service page: one read-only pin on the ISP's tile
 * server. Leaflet is loaded here, on this page only; without tiles (offline, server down) the pin
 * still shows, on a plain background with a note.
 */
export class ServiceMap extends Interaction {
    static selector = ".o_isp_service_map";

    async willStart() {
        await loadBundle("isp_core.leaflet_lib");
    }

    start() {
        const L = window.L;
        const { lat, lng, tileUrl, attribution } = this.el.dataset;
        const position = [parseFloat(lat), parseFloat(lng)];
        const map = L.map(this.el, {
            center: position,
            zoom: ZOOM,
            // A page scrolled with a finger or a wheel must not move the map instead.
            scrollWheelZoom: false,
            dragging: !L.Browser.mobile,
        });
        const tiles = L.tileLayer(tileUrl, { attribution, maxZoom: 19 });
        tiles.on("tileerror", () => this.showOffline());
        tiles.addTo(map);
        L.marker(position, {
            icon: L.divIcon({
                className: "o_isp_service_pin",
                html: '<i class="fa fa-map-marker" aria-hidden="true"></i>',
                iconSize: [32, 40],
                iconAnchor: [16, 40],
            }),
            interactive: false,
            keyboard: false,
        }).addTo(map);
        this.registerCleanup(() => map.remove());
    }

    showOffline() {
        this.el.classList.add("o_isp_service_map_offline");
        this.el.parentElement.querySelector(".o_isp_service_map_note")?.classList.remove("d-none");
    }
}

registry.category("public.interactions").add("isp_portal.service_map", ServiceMap);
