import { registry } from "@web/core/registry";

// A customer asks for a faster plan from the plan change page of their subscription.
registry.category("web_tour.tours").add("isp_portal_plan_change", {
    steps: () => [
        {
            content: "The current plan is shown",
            trigger: ".card:contains(Your current plan):contains(DHCP 20/5)",
        },
        {
            content: "Choose the faster plan",
            trigger: "label:contains(Fibra 100/20)",
            run: "click",
        },
        {
            trigger: "input[name=plan_id]:checked",
        },
        {
            content: "Send the request",
            trigger: "button[type=submit]:contains(Request the change)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request page says it is sent and waits for approval",
            trigger: ".alert-success:contains(Your request is sent)",
        },
        {
            trigger: ".o_isp_plan_change_request h3 .badge:contains(Requested)",
        },
        {
            trigger: ".o_isp_plan_change_request dd:contains(Fibra 100/20)",
        },
    ],
});
