import { deserializeDate, deserializeDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { KeepLast } from "@web/core/utils/concurrency";
import { Model } from "@web/model/model";

const formatters = registry.category("formatters");

/**
 * The map's data: every record of the search with a position, as columns per status
 * ([status, ids, lats, lngs]) read in one call (`isp_map_read`, isp_core/models/models.py), and the
 * one clicked record's facts, read when it is clicked.
 */
export class MapModel extends Model {
    setup(params) {
        this.resModel = params.resModel;
        this.fields = params.fields;
        this.archInfo = params.archInfo;
        this.keepLast = new KeepLast();
        this.domain = [];
        this.context = {};
        /** @type {[string | false, number[], number[], number[]][]} */
        this.groups = [];
        /** @type {Record<number, [number, number][]>} */
        this.areas = {};
        /** @type {{ value: string, label: string, color: string, count: number }[]} */
        this.legend = [];
    }

    hasData() {
        return this.groups.some((group) => group[1].length);
    }

    /**
     * @param {number} resId
     * @returns {[number, number] | null} the record's position, when it is on the map
     */
    positionOf(resId) {
        for (const [, ids, lats, lngs] of this.groups) {
            const index = ids.indexOf(resId);
            if (index >= 0) {
                return [lats[index], lngs[index]];
            }
        }
        return null;
    }

    async load(searchParams) {
        this.domain = searchParams.domain;
        this.context = searchParams.context;
        const { latField, lngField, statusField } = this.archInfo;
        const data = await this.keepLast.add(
            this.orm.call(this.resModel, "isp_map_read", [], {
                domain: this.domain,
                lat_field: latField,
                lng_field: lngField,
                status_field: statusField || false,
                context: this.context,
            })
        );
        this.groups = data.groups;
        this.areas = data.areas;
        this.legend = this._computeLegend();
        this.notify();
    }

    /**
     * The status field's values in selection order, with their label, colour and count.
     */
    _computeLegend() {
        const { statusField, colors } = this.archInfo;
        if (!statusField) {
            return [];
        }
        const counts = {};
        for (const [status, ids] of this.groups) {
            counts[status] = (counts[status] || 0) + ids.length;
        }
        return this.fields[statusField].selection.map(([value, label]) => ({
            value,
            label,
            color: colors[value] || "secondary",
            count: counts[value] || 0,
        }));
    }

    /**
     * The popup's facts of one record: its name and the arch's fields, formatted as the list view would.
     *
     * @param {number} resId
     * @returns {Promise<{ displayName: string, facts: { label: string, value: string }[] }>}
     */
    async readFacts(resId) {
        const specification = { display_name: {} };
        for (const { name } of this.archInfo.factFields) {
            specification[name] = this.fields[name].type === "many2one" ? { fields: { display_name: {} } } : {};
        }
        const [record] = await this.orm.webRead(this.resModel, [resId], {
            specification,
            context: this.context,
        });
        return {
            displayName: record.display_name,
            facts: this.archInfo.factFields.map(({ name, string }) => ({
                label: string,
                value: formatFact(record[name], this.fields[name]),
            })),
        };
    }
}

function formatFact(value, field) {
    if (value && field.type === "date") {
        value = deserializeDate(value);
    } else if (value && field.type === "datetime") {
        value = deserializeDateTime(value);
    }
    const format = formatters.get(field.type, formatters.get("char"));
    return format(value, { field, selection: field.selection, digits: field.digits });
}
