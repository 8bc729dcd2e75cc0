import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("isp_portal_promise", {
    steps: () => [
        {
            content: "A suspended customer is offered to reconnect now and pay later",
            trigger: "#isp_promise_button:contains(Reconnect now, pay by)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Reconnected, with the date to pay by",
            trigger: "#isp_promise_active:contains(Your service is being reconnected)",
        },
        {
            content: "The offer is gone: one promise per invoice",
            trigger: "#isp_promise_active",
            run() {
                if (document.querySelector("#isp_promise_button")) {
                    throw new Error("The promise button is still offered after the promise.");
                }
            },
        },
    ],
});
