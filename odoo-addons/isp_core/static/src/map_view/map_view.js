import { registry } from "@web/core/registry";
import { MapArchParser } from "./map_arch_parser";
import { MapController } from "./map_controller";
import { MapModel } from "./map_model";
import { MapRenderer } from "./map_renderer";

/** The `isp_map` view type (arch: README "Map view"; Python side: models/ir_ui_view.py, models/models.py). */
export const mapView = {
    type: "isp_map",
    ArchParser: MapArchParser,
    Controller: MapController,
    Model: MapModel,
    Renderer: MapRenderer,
    searchMenuTypes: ["filter", "favorite"],

    props: (genericProps, view) => {
        const { arch, relatedModels, resModel } = genericProps;
        return {
            ...genericProps,
            archInfo: new view.ArchParser().parse(arch, relatedModels, resModel),
            Model: view.Model,
            Renderer: view.Renderer,
        };
    },
};

registry.category("views").add("isp_map", mapView);
