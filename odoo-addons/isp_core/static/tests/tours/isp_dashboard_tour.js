import { registry } from "@web/core/registry";

/**
 * The dashboard renders its tiles and breakdowns, a tile opens the list behind its figure and a
 * bar the records of its group (test_dashboard_tour.py creates the data it expects).
 */
registry.category("web_tour.tours").add("isp_dashboard_tour", {
    url: "/odoo/isp-dashboard",
    steps: () => [
        {
            content: "The active tile counts the tour's two active subscriptions",
            trigger: ".o_isp_dashboard_tile[data-tile=active] .o_isp_dashboard_tile_value:contains(2)",
        },
        {
            trigger: ".o_isp_dashboard_tile[data-tile=jobs_failed] .o_isp_dashboard_tile_value:contains(1)",
        },
        {
            content: "Open the active subscriptions",
            trigger: ".o_isp_dashboard_tile[data-tile=active]",
            run: "click",
        },
        {
            content: "The list holds exactly the two active subscriptions",
            trigger: ".o_breadcrumb:contains(Active)",
        },
        {
            trigger: ".o_list_view .o_data_row:count(2)",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb a:contains(ISP dashboard)",
            run: "click",
        },
        {
            content: "Drill down on the sector bar",
            trigger: ".o_isp_dashboard_breakdown[data-breakdown=subscriptions_by_sector] .o_isp_dashboard_bar[data-label='[SEC-T77-tour] TOUR sector']",
            run: "click",
        },
        {
            content: "The sector's three live subscriptions are listed",
            trigger: ".o_list_view .o_data_row:count(3)",
        },
        {
            trigger: ".o_breadcrumb a:contains(ISP dashboard)",
            run: "click",
        },
        {
            content: "Analyse opens the native graph view",
            trigger: ".o_isp_dashboard_breakdown[data-breakdown=subscriptions_by_state] .o_isp_dashboard_analyse",
            run: "click",
        },
        {
            trigger: ".o_graph_view",
        },
    ],
});
