import { registry } from "@web/core/registry";

// A customer reports a fault, then adds a message in the ticket's conversation.
registry.category("web_tour.tours").add("isp_portal_fault", {
    steps: () => [
        {
            content: "Say what is wrong",
            trigger: "select[name=fault_type]",
            run: "select slow",
        },
        {
            trigger: "textarea[name=description]",
            run: "edit Very slow every evening since Monday",
        },
        {
            content: "Send the report",
            trigger: "button[type=submit]:contains(Send the report)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket page shows the report and its state",
            trigger: ".alert-success:contains(Your report is sent)",
        },
        {
            trigger: ".o_isp_fault_state .badge:contains(New)",
        },
        {
            trigger: ".o_isp_fault_description:contains(Very slow every evening since Monday)",
        },
        {
            content: "Write in the conversation",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit It is worse after 8 pm",
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The message is in the conversation",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains(It is worse after 8 pm)",
        },
    ],
});
