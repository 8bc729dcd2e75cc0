import { registry } from "@web/core/registry";

// Customer A on a phone: home → "My Internet" tile → the suspended service → "Pay now" leads to
// Odoo's own invoice page, where the online payment starts.
registry.category("web_tour.tours").add("isp_portal_dashboard", {
    steps: () => [
        {
            content: "The ISP tile shows once its counter has loaded",
            trigger: ".o_portal_index_card:not(.d-none) a[href='/my/isp']:contains(My Internet)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The dashboard shows the active service",
            trigger: ".o_isp_card:not(.o_isp_card_suspended) .o_isp_state:contains(Connected)",
        },
        {
            content: "The suspended service says why",
            trigger: ".o_isp_card_suspended .o_isp_suspension_reason:contains(non-payment)",
        },
        {
            content: "Open the suspended service",
            trigger: ".o_isp_card_suspended a.o_isp_service_link",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The service page offers its actions",
            trigger: ".o_isp_service_page #isp_service_actions a.o_isp_action_fault",
        },
        {
            content: "The service's pin is on its map (Leaflet loaded for this page; no tiles needed)",
            trigger: ".o_isp_service_map.leaflet-container .o_isp_service_pin",
        },
        {
            content: "Pay now points at the overdue invoice",
            trigger: ".o_isp_service_page a.o_isp_pay_now[href^='/my/invoices/']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Odoo's invoice page offers to pay online",
            trigger: "a[data-bs-target='#pay_with']:contains(Pay Now)",
        },
    ],
});
