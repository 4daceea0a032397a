#include "strata/results/ReportData.h"

#include "strata/results/ResultTables.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace strata::results {

namespace {

/// " The segmentation had been corrected by hand in Strata's label editor (3 edits over 42 s; voxels changed:
/// femoral_cartilage +120, background -120)." for labels saved by the editor, else "".
std::string editedLabelsSentence(const nlohmann::json& given)
{
    const auto edits = given.value("edits", nlohmann::json::object());
    if (!edits.is_object() || !edits.value("edited", false)) return "";
    std::string changed;
    const auto voxelsChanged = edits.value("voxels_changed", nlohmann::json::object()); // named: items() of a temporary dangles
    for (const auto& [name, n] : voxelsChanged.items()) {
        if (!n.is_number_integer()) continue;
        const auto v = n.get<std::int64_t>();
        changed += (changed.empty() ? "" : ", ") + name + " " + (v > 0 ? "+" : "") + std::to_string(v);
    }
    const double seconds = edits.value("editing_seconds", 0.0);
    char time[48] = "";
    if (seconds > 0) std::snprintf(time, sizeof time, " over %.0f s", seconds);
    return " The segmentation had been corrected by hand in Strata's label editor (" +
           std::to_string(edits.value("edits", 0)) + " edits" + time + (changed.empty() ? "" : "; voxels changed: " + changed) + ").";
}

std::string str(const nlohmann::json& j, const char* key, const std::string& fallback = "")
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        return fallback;
    }
    return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string fmt(const char* f, double a, double b, double c)
{
    char buf[128];
    std::snprintf(buf, sizeof buf, f, a, b, c);
    return buf;
}

std::string nowText()
{
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

} // namespace

ReportData ReportData::fromBundle(const ResultBundle& b)
{
    const auto& prov = b.provenance;
    const auto notes = prov.value("notes", nlohmann::json::object());
    const auto model = notes.value("model", nlohmann::json::object());
    ReportData r;
    const std::string pipeline = str(prov, "pipeline", "unknown");
    r.title = pipeline == "knee-mri" ? "Knee MRI cartilage analysis" : "Analysis report: " + pipeline;
    const auto input = b.inputPath();
    r.subtitle = input.empty() ? b.dir.filename().string() : input.filename().string();
    if (notes.contains("side") && notes["side"].is_object()) { // which knee, and who said so, beside the file name
        const std::string source = str(notes["side"], "source");
        r.subtitle += " - " + str(notes["side"], "side", "?") + " knee (" +
                      (source == "dicom"       ? "DICOM laterality"
                       : source == "parameter" ? "side parameter"
                       : source == "anatomy"   ? "from the tibial plates"
                       : source == "labels"    ? "from the given labels"
                                               : "assumed") +
                      ")";
    }
    r.generatedAt = nowText();

    r.summary.emplace_back("Dataset", input.empty() ? "(not recorded)" : input.string());
    if (notes.contains("input_size") && notes["input_size"].size() == 3) {
        const auto& s = notes["input_size"];
        r.summary.emplace_back("Scan size", fmt("%.0f x %.0f x %.0f voxels", s[0].get<double>(), s[1].get<double>(), s[2].get<double>()));
    }
    if (notes.contains("input_spacing") && notes["input_spacing"].size() == 3) {
        const auto& s = notes["input_spacing"];
        r.summary.emplace_back("Voxel spacing", fmt("%.2f x %.2f x %.2f mm", s[0].get<double>(), s[1].get<double>(), s[2].get<double>()));
    }
    r.summary.emplace_back("Analysed", str(prov, "finished_at", str(prov, "started_at", "?")));
    r.summary.emplace_back("Pipeline", pipeline + " " + str(prov, "pipeline_version"));
    if (!model.empty()) {
        r.summary.emplace_back("Model", str(model, "name") + " " + str(model, "version"));
    }
    r.summary.emplace_back("Device", str(prov, "device", "?") + " (" + str(prov, "executor", "local") + ")");
    if (prov.contains("total_seconds")) {
        r.summary.emplace_back("Run time", fmt("%.1f s", prov["total_seconds"].get<double>(), 0, 0));
    }
    const auto sw = prov.value("software", nlohmann::json::object());
    r.summary.emplace_back("Software", str(sw, "name", "strata") + " " + str(sw, "version"));

    r.tables = metricsTables(b.metrics, b.segmentation ? b.segmentation->table() : LabelTable{});
    if (b.segmentation && b.thickness) {
        r.histograms = thicknessHistograms(*b.segmentation, *b.thickness, 0.2);
    }
    for (const auto& m : b.metrics.value("thickness_maps", nlohmann::json::array())) {
        const std::string file = m.is_object() ? m.value("file", "") : "";
        // Only files inside the bundle: a metrics.json from elsewhere must not make the report read other paths.
        if (file.empty() || file.find("..") != std::string::npos || file.front() == '/') continue;
        std::error_code ec;
        if (std::filesystem::is_regular_file(b.dir / file, ec)) {
            r.thicknessMaps.emplace_back(m.value("caption", file), (b.dir / file).string());
        }
    }

    const nlohmann::json inputs = prov.contains("inputs") ? prov["inputs"] : nlohmann::json::array();
    for (const auto& in : inputs) {
        r.provenance.emplace_back("Input " + str(in, "name") + " sha256", str(in, "sha256"));
    }
    if (!model.empty()) {
        r.provenance.emplace_back("Model sha256", str(model, "sha256"));
    }
    r.provenance.emplace_back("Device", str(prov, "device", "?"));
    const nlohmann::json messages = notes.contains("inference_messages") ? notes["inference_messages"] : nlohmann::json::array();
    for (const auto& m : messages) {
        r.provenance.emplace_back("Inference", m.is_string() ? m.get<std::string>() : m.dump());
    }
    if (notes.contains("tiling")) {
        r.provenance.emplace_back("Tiling", str(notes, "tiling"));
    }
    if (notes.contains("fluid_refine") && notes["fluid_refine"].is_object()) {
        const auto& f = notes["fluid_refine"];
        r.provenance.emplace_back(
            "Fluid boundary",
            f.value("applied", false)
                ? fmt("%.0f cartilage voxels given back to the joint fluid, ", f.value("voxels_removed", 0.0), 0, 0) +
                      (f.value("grown", false) ? fmt("%.0f taken from it", f.value("voxels_added", 0.0), 0, 0)
                                               : std::string("none taken from it (fluid and cartilage too alike for the noise)")) +
                      fmt(" (fluid / cartilage intensity %.2f, threshold %.2f)", f.value("fluid_to_cartilage_ratio", 0.0),
                          f.value("threshold", 0.0), 0)
                : "not applied: " + f.value("skipped_reason", std::string("?")));
    }
    if (notes.contains("side") && notes["side"].is_object()) {
        const auto& sd = notes["side"];
        const std::string source = str(sd, "source", "?");
        r.provenance.emplace_back(
            "Knee side",
            str(sd, "side", "?") + " (" +
                (source == "dicom"       ? "DICOM laterality"
                 : source == "parameter" ? "set by the side parameter"
                 : source == "anatomy"   ? "from the tibial plates: the input does not say"
                 : source == "labels"    ? "from the given labels: the input does not say"
                 : source == "assumed"   ? "assumed: neither the input nor the tibial plates say"
                                         : source) +
                ")" + (sd.value("mirrored", false) ? "; mirrored into the model's " + str(sd, "model_side") + "-knee frame and back" : ""));
    }
    if (notes.contains("orientation") && notes["orientation"].is_object()) {
        const auto& o = notes["orientation"];
        r.provenance.emplace_back("Orientation",
                                  str(o, "input_axes", "?") + " -> " + str(o, "canonical_axes", "?") +
                                      (str(o, "method") == "permutation" ? " by axis permutation (no interpolation)"
                                                                         : fmt(" by resampling (oblique %.1f deg)", o.value("oblique_deg", 0.0), 0, 0)));
    }
    if (notes.contains("slice_thickness") && notes["slice_thickness"].is_object()) {
        r.provenance.emplace_back("Slice thickness", str(notes["slice_thickness"], "note"));
    }
    r.provenance.emplace_back("Host", str(prov, "host", "?"));
    r.provenance.emplace_back("Started / finished", str(prov, "started_at") + " / " + str(prov, "finished_at"));
    if (prov.contains("peak_rss_mib")) {
        r.provenance.emplace_back("Peak memory", fmt("%.0f MiB", prov["peak_rss_mib"].get<double>(), 0, 0));
    }
    std::string params;
    const nlohmann::json parameters = prov.contains("parameters") ? prov["parameters"] : nlohmann::json::object();
    for (const auto& [k, v] : parameters.items()) {
        params += (params.empty() ? "" : ", ") + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
    }
    r.provenance.emplace_back("Parameters", params);
    const nlohmann::json timings = prov.contains("stage_timings") ? prov["stage_timings"] : nlohmann::json::array();
    for (const auto& t : timings) {
        r.timings.emplace_back(str(t, "stage"), t.value("seconds", 0.0));
    }

    const auto quality = b.metrics.is_object() && b.metrics.contains("quality") && b.metrics["quality"].is_object()
                             ? b.metrics["quality"]
                             : notes.value("quality", nlohmann::json::object());
    const std::string verdict = str(quality, "verdict");
    if (verdict == "not_a_knee") {
        r.warning = "Not a knee: quality control found no knee the model can read in this scan. Volumes, thickness "
                    "and meshes were withheld.";
    } else if (verdict == "uncertain") {
        r.warning = "Uncertain result: quality control flagged the segmentation below. Review it before using "
                    "these numbers.";
    }
    if (!r.warning.empty()) {
        for (const auto& reason : quality.value("reasons", nlohmann::json::array()))
            r.warningReasons.push_back(reason.is_string() ? reason.get<std::string>() : reason.dump());
    }
    if (!verdict.empty()) {
        r.provenance.emplace_back("Quality control",
                                  verdict + (quality.contains("foreground_confidence") && quality["foreground_confidence"].is_number()
                                                 ? fmt(" (mean network confidence %.2f)", quality["foreground_confidence"].get<double>(), 0, 0)
                                                 : std::string()));
    }

    if (pipeline == "knee-mri") {
        const double subvoxelMm = parameters.contains("thickness_subvoxel_mm") && parameters["thickness_subvoxel_mm"].is_number()
                                      ? parameters["thickness_subvoxel_mm"].get<double>()
                                      : 0.0;
        const auto side = notes.value("side", nlohmann::json::object());
        const auto orientation = notes.value("orientation", nlohmann::json::object());
        std::string frame;
        if (!orientation.empty()) {
            frame = " The scan was brought into the model's anatomical frame (" + str(orientation, "canonical_axes") +
                    ", from its direction matrix; " +
                    (str(orientation, "method") == "permutation" ? std::string("an exact axis permutation")
                                                                 : std::string("resampled, as it is oblique")) +
                    ")" +
                    (side.value("mirrored", false)
                         ? ", mirrored left-right because it is a " + str(side, "side") + " knee and the model was trained on " +
                               str(side, "model_side") + " knees (labels mirrored back, so medial and lateral are anatomical)"
                         : std::string()) +
                    "; the labels were mapped back onto the scan's own grid, where everything was measured.";
        }
        if (side.value("source", std::string()) == "assumed") {
            frame += " The scan did not say which knee it is; it was assumed to be a " + str(side, "side") + " knee.";
        } else if (side.value("source", std::string()) == "anatomy") {
            frame += " The scan did not say which knee it is; the network's tibial plates did: the medial plateau is "
                     "the larger one seen from above and the lateral cartilage the thicker one (" +
                     str(side, "side") + " knee).";
        }
        if (notes.contains("slice_thickness") && notes["slice_thickness"].is_object()) {
            frame += " " + str(notes["slice_thickness"], "note");
        }
        const auto given = notes.value("labels", nlohmann::json::object()); // a segmentation given with the scan
        const bool givenLabels = given.is_object() && given.value("source", std::string()) == "given";
        std::string segmentation;
        if (givenLabels) {
            segmentation = "The segmentation was given with the scan (" + str(given, "file") + ", sha256 " +
                           str(given, "sha256").substr(0, 12) + "…, label map " + str(given, "label_map") +
                           ") and measured as given; no network was run" +
                           (parameters.value("clean_given_labels", false)
                                ? std::string(" (each structure reduced to its largest connected component, holes filled)")
                                : std::string()) +
                           (given.contains("tibial_cartilage_split")
                                ? std::string("; its tibial cartilage was split into medial and lateral plates along the "
                                              "patient's left-right axis (2-means), medial towards the body midline of a ") +
                                      str(given["tibial_cartilage_split"], "side") + " knee"
                                : std::string()) +
                           "." + editedLabelsSentence(given);
        } else {
            // How the network was applied: the tiling note reads "1 tile of 256 x 256 x 160" or "8 tiles of ...".
            const std::string tiling = str(notes, "tiling");
            const std::string applied =
                tiling.rfind("1 tile ", 0) == 0 ? " applied to the whole volume in one pass (" + tiling + ")"
                : tiling.empty()                ? std::string(" applied in overlapping sliding-window tiles")
                                                : " applied in overlapping sliding-window tiles (" + tiling +
                                                      ", blended with Gaussian weights)";
            segmentation =
                "The scan was resampled and intensity-normalised, then segmented into femur, tibia, patella, femoral, "
                "medial tibial, lateral tibial and patellar cartilage and both menisci by a 3D U-Net (" +
                str(model, "name", "knee model") + " " + str(model, "version") + ")" + applied +
                "; each structure was reduced to its largest connected component and holes were filled." + frame;
        }
        r.methods =
            segmentation +
            (notes.contains("fluid_refine") && notes["fluid_refine"].value("applied", false)
                 ? std::string(" Cartilage voxels on the joint side whose unclipped intensity was nearer the joint "
                               "fluid's than the local cartilage's were returned to the background") +
                       (notes["fluid_refine"].value("grown", false)
                            ? ", and background voxels between cartilage and fluid nearer the cartilage's joined the plate"
                            : "") +
                       " (fluid boundary refinement)."
                 : std::string()) +
            " Cartilage thickness was measured as local thickness (diameter of the "
            "largest inscribed sphere on an exact Euclidean distance transform, with a sub-voxel ridge estimate" +
            (subvoxelMm > 0.0 ? fmt(", on the cartilage resampled to sub-voxels of at most %.2f mm", subvoxelMm, 0, 0)
                              : std::string()) +
            ") per voxel, summarised per plate and per region and subregion of Wirth & Eckstein (2008): femur cut at the "
            "trochlear notch and 60 % of the way to the posterior end of each condyle into the trochlea (TrF), the "
            "weight-bearing condyles (cMF, cLF; each in external, central and internal thirds) and the posterior "
            "condyles (pMF, pLF); each tibial plate (MT, LT) into a central ellipse of 20 % of its subchondral bone "
            "area and anterior, posterior, external and internal sectors; the patella whole (P). Subchondral bone "
            "area (tAB) is the bone's surface under each plate (marching cubes) with holes in the plate up to about "
            "8 mm across counted as denuded (dAB); ThCtAB is the mean thickness over tAB with denuded bone as 0 mm. "
            "Volumes are voxel counts times voxel volume. Surface meshes were extracted with marching cubes, "
            "smoothed and decimated, and carry the thickness per vertex. " +
            (givenLabels
                 ? std::string("Quality control (given labels, no network confidence): for each structure the volume "
                               "against a plausible range from the model card and the share of the structure in its "
                               "largest connected piece were checked; the result is called not a knee when femur or "
                               "tibia is missing, implausibly small or in pieces, and uncertain when any structure has "
                               "an implausible volume or is fragmented")
                 : std::string("Quality control: for each structure the "
            "mean confidence of the network (its blended softmax probability of the winning class over the "
            "structure's voxels), the volume against a plausible range from the model card and the share of the "
            "structure in its largest connected piece before cleanup were checked; the scan is called not a knee when "
            "femur, tibia or patella is missing, implausibly small or in pieces, or the network is unsure of "
            "everything it labelled, and uncertain when any structure has low confidence, an implausible volume or is "
            "fragmented")) +
            (verdict.empty() ? std::string(" (not recorded for this result)") : " (verdict: " + verdict + ")") +
            (givenLabels ? std::string(". All numbers are only as good as the given segmentation.")
                         : std::string(". All numbers come from an automatic segmentation and should be reviewed before "
                                       "clinical or scientific use."));
    } else {
        r.methods = str(prov, "pipeline") + " was run with the parameters listed under provenance.";
    }
    return r;
}

} // namespace strata::results
