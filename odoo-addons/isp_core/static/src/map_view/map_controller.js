import { Component, onWillStart, useRef } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { useBus } from "@web/core/utils/hooks";
import { useModel } from "@web/model/model";
import { CogMenu } from "@web/search/cog_menu/cog_menu";
import { Layout } from "@web/search/layout";
import { SearchBar } from "@web/search/search_bar/search_bar";
import { useSearchBarToggler } from "@web/search/search_bar/search_bar_toggler";
import { ActionHelper } from "@web/views/action_helper";
import { standardViewProps } from "@web/views/standard_view_props";

export class MapController extends Component {
    static template = "isp_core.MapView";
    static components = { Layout, CogMenu, SearchBar, ActionHelper };
    static props = {
        ...standardViewProps,
        Model: Function,
        Renderer: Function,
        archInfo: Object,
    };

    setup() {
        this.rootRef = useRef("root");
        this.model = useModel(this.props.Model, {
            resModel: this.props.resModel,
            fields: this.props.fields,
            archInfo: this.props.archInfo,
        });
        useBus(this.model.bus, "update", () => this.render(true));
        // Leaflet loads while the model reads the points (both are willStart hooks, run together).
        onWillStart(() => loadBundle("isp_core.leaflet_lib"));
        this.searchBarToggler = useSearchBarToggler();
    }

    get displayNoContent() {
        return this.model.isReady && !this.model.hasData();
    }

    /**
     * The record's form, through the action service: breadcrumbs lead back to the map.
     *
     * @param {number} resId
     */
    openRecord(resId) {
        this.props.selectRecord(resId, { activeIds: [resId] });
    }
}
