import { Component, useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

// A phone's GPS fix takes seconds outdoors; a cached fix could be another customer's house.
const POSITION_OPTIONS = { enableHighAccuracy: true, timeout: 30000, maximumAge: 0 };
// Beyond this the fix is likely from Wi-Fi or cell towers, not the GPS: say so.
const POOR_ACCURACY_M = 50;
// The fields' digits (10, 7): about a centimetre.
const DECIMALS = 7;

/**
 * "Locate me": fills a record's latitude/longitude fields from the browser's position, for the installer
 * standing at the customer's or the router's site. Attributes: ``lat_field`` and ``lng_field``
 * (default ``gps_lat``/``gps_lng``).
 */
export class GpsLocate extends Component {
    static template = "isp_core.GpsLocate";
    static props = {
        ...standardWidgetProps,
        latField: { type: String },
        lngField: { type: String },
    };

    setup() {
        this.notification = useService("notification");
        this.state = useState({ locating: false, accuracy: null });
    }

    get accuracyLabel() {
        return _t("Accuracy ±%(accuracy)s m", { accuracy: this.state.accuracy });
    }

    get poorAccuracy() {
        return this.state.accuracy !== null && this.state.accuracy > POOR_ACCURACY_M;
    }

    locate() {
        const geolocation = browser.navigator.geolocation;
        if (!geolocation) {
            this.notification.add(
                _t("This browser cannot give its position (it needs a secure https connection)."),
                { type: "danger" }
            );
            return;
        }
        this.state.locating = true;
        geolocation.getCurrentPosition(
            (position) => this.onPosition(position),
            (error) => this.onError(error),
            POSITION_OPTIONS
        );
    }

    async onPosition({ coords }) {
        this.state.locating = false;
        this.state.accuracy = Math.round(coords.accuracy);
        await this.props.record.update({
            [this.props.latField]: Number(coords.latitude.toFixed(DECIMALS)),
            [this.props.lngField]: Number(coords.longitude.toFixed(DECIMALS)),
        });
        if (this.poorAccuracy) {
            this.notification.add(
                _t("Position set, but only to ±%(accuracy)s m: wait for a GPS fix outdoors and locate again.", {
                    accuracy: this.state.accuracy,
                }),
                { type: "warning" }
            );
        }
    }

    onError(error) {
        this.state.locating = false;
        // GeolocationPositionError codes: 1 denied, 2 unavailable, 3 timeout.
        const messages = {
            1: _t("Location access was denied: allow it for this site in the browser's settings."),
            2: _t("The device cannot find its position right now."),
            3: _t("No position after 30 seconds: try again outdoors."),
        };
        this.notification.add(messages[error.code] || _t("The position could not be read."), {
            title: _t("Locate me"),
            type: "danger",
        });
    }
}

export const gpsLocate = {
    component: GpsLocate,
    extractProps: ({ attrs }) => ({
        latField: attrs.lat_field || "gps_lat",
        lngField: attrs.lng_field || "gps_lng",
    }),
    fieldDependencies: ({ attrs }) => [
        { name: attrs.lat_field || "gps_lat", type: "float" },
        { name: attrs.lng_field || "gps_lng", type: "float" },
    ],
};

registry.category("view_widgets").add("isp_gps_locate", gpsLocate);
