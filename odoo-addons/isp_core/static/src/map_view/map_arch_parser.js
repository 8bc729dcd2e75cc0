import { visitXML } from "@web/core/utils/xml";
import { getActiveActions } from "@web/views/utils";

/**
 * "active:success;suspended:danger" → { active: "success", suspended: "danger" } (the Python
 * validation of the arch, models/ir_ui_view.py, reads the same syntax).
 *
 * @param {string | null} value
 * @returns {Record<string, string>}
 */
export function parseMapColors(value) {
    const colors = {};
    for (const pair of (value || "").split(";")) {
        const [key, color] = pair.split(":").map((part) => part.trim());
        if (key && color) {
            colors[key] = color;
        }
    }
    return colors;
}

export class MapArchParser {
    /**
     * @param {Element} xmlDoc
     * @param {Record<string, { fields: Record<string, Object> }>} models
     * @param {string} modelName
     */
    parse(xmlDoc, models, modelName) {
        const fields = models[modelName].fields;
        const archInfo = {
            activeActions: getActiveActions(xmlDoc),
            latField: xmlDoc.getAttribute("lat"),
            lngField: xmlDoc.getAttribute("lng"),
            statusField: xmlDoc.getAttribute("status") || null,
            colors: parseMapColors(xmlDoc.getAttribute("colors")),
            /** @type {{ name: string, string: string }[]} the popup's facts, in arch order */
            factFields: [],
        };
        for (const attr of ["latField", "lngField"]) {
            if (!archInfo[attr] || !(archInfo[attr] in fields)) {
                throw new Error(`The map view needs a position field (${attr}) of ${modelName}.`);
            }
        }
        visitXML(xmlDoc, (node) => {
            if (node.tagName === "field") {
                const name = node.getAttribute("name");
                archInfo.factFields.push({
                    name,
                    string: node.getAttribute("string") || fields[name].string,
                });
            }
        });
        return archInfo;
    }
}
