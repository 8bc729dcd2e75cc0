import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { ControlPanel } from "@web/search/control_panel/control_panel";
import { formatFloat, formatInteger, formatMonetary } from "@web/views/fields/formatters";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { Component, onWillStart, useState } from "@odoo/owl";

/**
 * KPI dashboard of the ISP backoffice: tiles grouped in sections and bar breakdowns, all
 * computed by `isp.dashboard.get_dashboard_data` with aggregate queries. A tile opens the list
 * behind its figure, a bar the records of its group, "Analyse" the native graph and pivot views.
 */
export class IspDashboard extends Component {
    static template = "isp_core.IspDashboard";
    static components = { ControlPanel };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ data: null, loading: false });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        try {
            this.state.data = await this.orm.call("isp.dashboard", "get_dashboard_data", []);
        } finally {
            this.state.loading = false;
        }
    }

    get sections() {
        const { sections, tiles } = this.state.data;
        return sections
            .map((section) => ({
                ...section,
                tiles: tiles.filter((tile) => tile.section === section.key),
            }))
            .filter((section) => section.tiles.length);
    }

    formatValue(tile) {
        switch (tile.kind) {
            case "monetary":
                return formatMonetary(tile.value, { currencyId: this.state.data.currency_id });
            case "percent":
                return `${formatFloat(tile.value, { digits: [16, 1] })} %`;
            default:
                return formatInteger(tile.value);
        }
    }

    barWidth(breakdown, bar) {
        const largest = Math.max(...breakdown.bars.map((b) => b.count), 1);
        return `${Math.max(2, Math.round((100 * bar.count) / largest))}%`;
    }

    async openTile(tile) {
        const action = await this.orm.call("isp.dashboard", "action_open_tile", [tile.key]);
        await this.actionService.doAction(action);
    }

    async openBar(breakdown, bar) {
        const action = await this.orm.call("isp.dashboard", "action_open_breakdown", [
            breakdown.key,
            bar.value,
        ]);
        await this.actionService.doAction(action);
    }

    async openAnalysis(breakdown) {
        const action = await this.orm.call("isp.dashboard", "action_open_analysis", [breakdown.key]);
        await this.actionService.doAction(action);
    }
}

registry.category("actions").add("isp_core.dashboard", IspDashboard);
