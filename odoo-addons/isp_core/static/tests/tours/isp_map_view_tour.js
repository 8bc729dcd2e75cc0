import { registry } from "@web/core/registry";

/**
 * Subscriptions → Map: the tour's subscription is a marker, its popup names it and opens its form
 * (test_map_view_tour.py creates the data it expects).
 */
registry.category("web_tour.tours").add("isp_map_view_tour", {
    url: "/odoo/isp-subscriptions",
    steps: () => [
        {
            content: "Switch the subscriptions to the map",
            trigger: ".o_switch_view.o_isp_map",
            run: "click",
        },
        {
            content: "The legend counts the tour's active subscription",
            trigger: ".o_isp_map_legend:contains(Active)",
        },
        {
            content: "Click the subscription's marker",
            trigger: ".o_isp_map_marker.bg-success",
            run: "click",
        },
        {
            content: "The popup shows its customer",
            trigger: ".o_isp_map_popup:contains(Tour map customer)",
        },
        {
            content: "Open its form",
            trigger: ".o_isp_map_popup .o_isp_map_open",
            run: "click",
        },
        {
            content: "The form is the subscription's, under the map's breadcrumb",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input:value(Tour map customer)",
        },
        {
            trigger: ".o_breadcrumb .o_back_button",
        },
    ],
});
