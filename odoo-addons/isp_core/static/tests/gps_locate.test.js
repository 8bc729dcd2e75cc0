import { describe, expect, test } from "@odoo/hoot";
import { click } from "@odoo/hoot-dom";
import { animationFrame } from "@odoo/hoot-mock";
import {
    clickSave,
    defineModels,
    fields,
    mockService,
    models,
    mountView,
    onRpc,
    patchWithCleanup,
} from "@web/../tests/web_test_helpers";
import { browser } from "@web/core/browser/browser";
import { defineMailModels } from "@mail/../tests/mail_test_helpers";

class IspSubscription extends models.Model {
    _name = "isp.subscription";

    name = fields.Char();
    gps_lat = fields.Float({ digits: [10, 7] });
    gps_lng = fields.Float({ digits: [10, 7] });

    _records = [{ id: 1, name: "SUB/2026/0001", gps_lat: 0, gps_lng: 0 }];
}

defineMailModels();
defineModels([IspSubscription]);

const ARCH = /* xml */ `
    <form><sheet><group>
        <field name="gps_lat"/>
        <field name="gps_lng"/>
        <widget name="isp_gps_locate"/>
    </group></sheet></form>`;

/** navigator.geolocation answering ``getCurrentPosition`` with ``answer(success, error, options)``. */
function mockGeolocation(answer) {
    patchWithCleanup(browser, {
        navigator: { geolocation: { getCurrentPosition: answer } },
    });
}

function recordNotifications() {
    const notes = [];
    mockService("notification", {
        add(message, options) {
            notes.push({ message: String(message), type: options.type });
        },
    });
    return notes;
}

describe.current.tags("desktop");

test("fills latitude and longitude from the browser's position", async () => {
    const notes = recordNotifications();
    mockGeolocation((success, _error, options) => {
        expect.step(`high accuracy: ${options.enableHighAccuracy}, cached: ${options.maximumAge}`);
        success({ coords: { latitude: 18.486123456789, longitude: -69.931234567891, accuracy: 8.4 } });
    });
    onRpc("web_save", ({ args }) => {
        expect.step(`saved ${args[1].gps_lat} ${args[1].gps_lng}`);
    });
    await mountView({ type: "form", resModel: "isp.subscription", resId: 1, arch: ARCH });

    await click(".o_isp_gps_locate_button");
    await animationFrame();
    expect(".o_field_widget[name=gps_lat] input").toHaveValue("18.4861235");
    expect(".o_field_widget[name=gps_lng] input").toHaveValue("-69.9312346");
    expect(".o_isp_gps_locate_accuracy").toHaveText("Accuracy ±8 m");
    expect(".o_isp_gps_locate_accuracy").toHaveClass("text-muted");
    expect(notes).toEqual([]);

    await clickSave();
    expect.verifySteps(["high accuracy: true, cached: 0", "saved 18.4861235 -69.9312346"]);
});

test("warns when the position is only approximate", async () => {
    const notes = recordNotifications();
    mockGeolocation((success) => success({ coords: { latitude: 18.5, longitude: -69.9, accuracy: 1200 } }));
    await mountView({ type: "form", resModel: "isp.subscription", resId: 1, arch: ARCH });

    await click(".o_isp_gps_locate_button");
    await animationFrame();
    expect(".o_field_widget[name=gps_lat] input").toHaveValue("18.5000000");
    expect(".o_isp_gps_locate_accuracy").toHaveClass("text-warning");
    expect(notes).toEqual([
        {
            message: "Position set, but only to ±1200 m: wait for a GPS fix outdoors and locate again.",
            type: "warning",
        },
    ]);
});

test("says so when the user denies location access, and changes nothing", async () => {
    const notes = recordNotifications();
    mockGeolocation((_success, error) => error({ code: 1, message: "User denied Geolocation" }));
    await mountView({ type: "form", resModel: "isp.subscription", resId: 1, arch: ARCH });

    await click(".o_isp_gps_locate_button");
    await animationFrame();
    expect(notes).toEqual([
        {
            message: "Location access was denied: allow it for this site in the browser's settings.",
            type: "danger",
        },
    ]);
    expect(".o_field_widget[name=gps_lat] input").toHaveValue("0.0000000");
    expect(".o_isp_gps_locate_button").toBeEnabled();
    expect(".o_isp_gps_locate_accuracy").toHaveCount(0);
});

test("reports a timeout and an unavailable position", async () => {
    const notes = recordNotifications();
    let code = 3;
    mockGeolocation((_success, error) => error({ code }));
    await mountView({ type: "form", resModel: "isp.subscription", resId: 1, arch: ARCH });

    await click(".o_isp_gps_locate_button");
    code = 2;
    await click(".o_isp_gps_locate_button");
    expect(notes.map((note) => note.message)).toEqual([
        "No position after 30 seconds: try again outdoors.",
        "The device cannot find its position right now.",
    ]);
});

test("explains a browser without geolocation (plain http)", async () => {
    const notes = recordNotifications();
    patchWithCleanup(browser, { navigator: {} });
    await mountView({ type: "form", resModel: "isp.subscription", resId: 1, arch: ARCH });

    await click(".o_isp_gps_locate_button");
    expect(notes).toEqual([
        {
            message: "This browser cannot give its position (it needs a secure https connection).",
            type: "danger",
        },
    ]);
});

test("shows a spinner while locating", async () => {
    mockGeolocation(() => {}); // never answers
    await mountView({ type: "form", resModel: "isp.subscription", resId: 1, arch: ARCH });
    await click(".o_isp_gps_locate_button");
    await animationFrame();
    expect(".o_isp_gps_locate_button").not.toBeEnabled();
    expect(".o_isp_gps_locate_button .fa-spin").toHaveCount(1);
    expect(".o_isp_gps_locate_button").toHaveText("Locating…");
});

test("no button when the form is read-only", async () => {
    await mountView({
        type: "form",
        resModel: "isp.subscription",
        resId: 1,
        arch: ARCH.replace("<form>", '<form edit="0">'),
    });
    expect(".o_isp_gps_locate_button").toHaveCount(0);
});
