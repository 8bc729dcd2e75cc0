import { describe, expect, test } from "@odoo/hoot";
import { queryAllTexts, waitFor } from "@odoo/hoot-dom";
import { animationFrame } from "@odoo/hoot-mock";
import {
    contains,
    defineModels,
    fields,
    getService,
    models,
    mountView,
    mountWithCleanup,
    onRpc,
    patchWithCleanup,
    preloadBundle,
    toggleMenuItem,
    toggleSearchBarMenu,
} from "@web/../tests/web_test_helpers";
import { defineMailModels } from "@mail/../tests/mail_test_helpers";
import { session } from "@web/session";
import { WebClient } from "@web/webclient/webclient";
import { parseMapColors } from "@isp_core/map_view/map_arch_parser";

class Plan extends models.Model {
    _name = "isp.service_plan";
    name = fields.Char();
    _records = [
        { id: 1, name: "Fibra 100/20" },
        { id: 2, name: "DHCP 20/5" },
    ];
}

const SUBSCRIPTIONS = [
    { id: 1, name: "SUB/1", plan_id: 1, gps_lat: 18.5, gps_lng: -69.9, map_status: "active" },
    { id: 2, name: "SUB/2", plan_id: 2, gps_lat: 18.5001, gps_lng: -69.9001, map_status: "active" },
    { id: 3, name: "SUB/3", plan_id: 1, gps_lat: 18.5002, gps_lng: -69.9, map_status: "suspended" },
    { id: 4, name: "SUB/4", plan_id: 2, gps_lat: 19.5, gps_lng: -70.7, map_status: "to_install" },
];

class Subscription extends models.Model {
    _name = "isp.subscription";
    name = fields.Char();
    plan_id = fields.Many2one({ string: "Plan", relation: "isp.service_plan" });
    gps_lat = fields.Float({ string: "Latitude" });
    gps_lng = fields.Float({ string: "Longitude" });
    map_status = fields.Selection({
        string: "Map status",
        selection: [
            ["to_install", "To install"],
            ["active", "Active"],
            ["suspended", "Suspended"],
        ],
    });
    _records = SUBSCRIPTIONS;
    _views = {
        isp_map: `
            <isp_map lat="gps_lat" lng="gps_lng" status="map_status"
                     colors="to_install:info;active:success;suspended:danger">
                <field name="plan_id"/>
                <field name="map_status"/>
            </isp_map>`,
        form: `<form><field name="name"/><field name="plan_id"/></form>`,
        search: `
            <search>
                <filter name="suspended" string="Suspended" domain="[('map_status', '=', 'suspended')]"/>
            </search>`,
    };
}

defineMailModels();
defineModels([Plan, Subscription]);

/** What the server's isp_map_read answers: the records of the domain, in columns per status. */
function mockMapRead() {
    onRpc("isp.subscription", "isp_map_read", ({ kwargs }) => {
        expect.step(`isp_map_read ${JSON.stringify(kwargs.domain)}`);
        const groups = {};
        for (const record of SUBSCRIPTIONS) {
            if (kwargs.domain.every(([fname, , value]) => record[fname] === value)) {
                const group = (groups[record.map_status] ||= [record.map_status, [], [], []]);
                group[1].push(record.id);
                group[2].push(record.gps_lat);
                group[3].push(record.gps_lng);
            }
        }
        return { groups: Object.values(groups), areas: {} };
    });
}

describe.current.tags("desktop");
preloadBundle("isp_core.leaflet_lib");

test("parseMapColors reads value:color pairs and skips malformed ones", () => {
    expect(parseMapColors("active:success; suspended : danger;;broken")).toEqual({
        active: "success",
        suspended: "danger",
    });
    expect(parseMapColors(null)).toEqual({});
});

test("clusters nearby records, draws far ones alone and shows the legend", async () => {
    mockMapRead();
    await mountView({ type: "isp_map", resModel: "isp.subscription" });
    await animationFrame();
    expect(".o_isp_map_view .leaflet-container").toHaveCount(1);
    // The whole data set fits: the three records of one street merge, the fourth is far away.
    await waitFor(".o_isp_map_marker, .o_isp_map_cluster");
    const drawn = document.querySelectorAll(".o_isp_map_marker").length;
    const clustered = [...document.querySelectorAll(".o_isp_map_cluster span")].reduce(
        (sum, el) => sum + Number(el.textContent),
        0
    );
    expect(drawn + clustered).toBe(4);
    expect(".o_isp_map_cluster").toHaveCount(1);
    // Its ring: two thirds active, one third suspended.
    expect(".o_isp_map_cluster > div").toHaveAttribute(
        "style",
        /var\(--success\) 0% 66\.6+\d*%, var\(--danger\) 66\.6+\d*% 100%/
    );
    expect(".o_isp_map_marker.bg-info").toHaveCount(1);
    expect(queryAllTexts(".o_isp_map_legend > div")).toEqual([
        "To install\n1",
        "Active\n2",
        "Suspended\n1",
    ]);
    expect.verifySteps(["isp_map_read []"]);
});

test("a cluster zooms in until its records have their own markers", async () => {
    mockMapRead();
    await mountView({ type: "isp_map", resModel: "isp.subscription" });
    await waitFor(".o_isp_map_cluster");
    await contains(".o_isp_map_cluster").click();
    await animationFrame();
    await waitFor(".o_isp_map_marker.bg-danger");
    expect(".o_isp_map_marker.bg-success").toHaveCount(2);
    expect.verifySteps(["isp_map_read []"]);
});

test("the search's filters reach the map", async () => {
    mockMapRead();
    await mountView({ type: "isp_map", resModel: "isp.subscription" });
    await waitFor(".o_isp_map_cluster");
    await toggleSearchBarMenu();
    await toggleMenuItem("Suspended");
    await animationFrame();
    expect(".o_isp_map_marker.bg-danger").toHaveCount(1);
    expect(".o_isp_map_cluster").toHaveCount(0);
    expect.verifySteps(["isp_map_read []", 'isp_map_read [["map_status","=","suspended"]]']);
});

test("markers show without the tile server", async () => {
    patchWithCleanup(session, {
        isp_map_tiles: { url: "/isp_core/static/no-tiles/{z}/{x}/{y}.png", attribution: "Test tiles" },
    });
    mockMapRead();
    await mountView({ type: "isp_map", resModel: "isp.subscription" });
    await waitFor(".o_isp_map_tiles_failed", { timeout: 5000 });
    expect(".o_isp_map_marker, .o_isp_map_cluster").toHaveCount(2);
    expect(".leaflet-control-attribution").toHaveText(/Test tiles/);
    expect.verifySteps(["isp_map_read []"]);
});

test("a marker's popup shows its facts and opens its form", async () => {
    mockMapRead();
    await mountWithCleanup(WebClient);
    await getService("action").doAction({
        name: "Subscriptions",
        res_model: "isp.subscription",
        type: "ir.actions.act_window",
        views: [
            [false, "isp_map"],
            [false, "form"],
        ],
    });
    await waitFor(".o_isp_map_marker.bg-info");
    await contains(".o_isp_map_marker.bg-info").click();
    await waitFor(".o_isp_map_popup .o_isp_map_open");
    expect(".o_isp_map_popup h6").toHaveText("SUB/4");
    expect(queryAllTexts(".o_isp_map_popup dd")).toEqual(["DHCP 20/5", "To install"]);
    await contains(".o_isp_map_open").click();
    await waitFor(".o_form_view");
    expect(".o_breadcrumb").toHaveText("Subscriptions\nSUB/4");
    expect.verifySteps(["isp_map_read []"]);
});
