import { registry } from "@web/core/registry";

// The smallest valid PNG (1×1, transparent): a real receipt file, set on the file input the
// way a drop or a file picker would (a tour cannot drive the browser's file dialog).
const PNG_1X1 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

function attachReceipt() {
    const bytes = Uint8Array.from(atob(PNG_1X1), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], "receipt.png", { type: "image/png" }));
    const input = document.querySelector("#isp_transfer_receipt");
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

registry.category("web_tour.tours").add("isp_portal_transfer", {
    steps: () => [
        {
            content: "The customer's service is preselected",
            trigger: "#isp_transfer_subscription",
            run() {
                if (!document.querySelector("#isp_transfer_subscription").value) {
                    throw new Error("No service preselected.");
                }
            },
        },
        {
            content: "Tick the invoice this transfer pays",
            trigger: "input[name='invoice_ids']",
            run: "check",
        },
        {
            content: "Bank",
            trigger: "#isp_transfer_bank",
            run: "edit Banco Popular",
        },
        {
            content: "Reference",
            trigger: "#isp_transfer_reference",
            run: "edit TOUR-2026-1",
        },
        {
            content: "Amount",
            trigger: "#isp_transfer_amount",
            run() {
                // Typed key by key, a number input loses the dot: set it as a paste would.
                document.querySelector("#isp_transfer_amount").value = "31.00";
            },
        },
        {
            content: "Transfer date",
            trigger: "#isp_transfer_date",
            run() {
                const input = document.querySelector("#isp_transfer_date");
                input.value = input.max; // today, as the server sees it
            },
        },
        {
            content: "Send without the receipt",
            trigger: "#isp_transfer_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Refused: the receipt is missing",
            trigger: "#isp_transfer_errors:contains(Attach the receipt of the transfer)",
        },
        {
            content: "What was typed is still there",
            trigger: "#isp_transfer_reference:value(TOUR-2026-1)",
        },
        {
            content: "Attach the receipt",
            trigger: "#isp_transfer_receipt",
            run: attachReceipt,
        },
        {
            content: "Send the report",
            trigger: "#isp_transfer_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The transfer is in review, with its deadlines and receipt",
            trigger: "#isp_transfer_status:contains(We are checking this transfer)",
        },
        {
            trigger: "#isp_transfer_review_deadline",
        },
        {
            trigger: "a.isp_transfer_receipt:contains(receipt.png)",
        },
    ],
});
