#include "cli/CommandDescriptions.h"
#include "cli/Commands.h"
#include "cli/ExecutorOptions.h"
#include "strata/Error.h"
#include "strata/JsonLimits.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace strata::cli {

void registerRunCommand(CLI::App& app)
{
    struct Options {
        std::string pipeline;
        std::string input;
        std::string out;
        std::string labels;
        std::string labelMap;
        bool quiet{false};
        ExecutorOptions executor;
    };
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("run", fullCommandDescription("run"));
    cmd->add_option("pipeline", o->pipeline, "Pipeline id (see 'strata-cli pipelines'); 'knee' = knee-mri")->required();
    cmd->add_option("input", o->input, "Input: image file, DICOM folder, or (ocr, classify) a folder of images")->required();
    cmd->add_option("--out,-o", o->out, "Output folder for the result bundle (must not exist or be empty)")->required();
    cmd->add_option("--labels", o->labels,
                    "A segmentation of the input on its grid to measure instead of segmenting it (pipelines with a "
                    "'labels' input: knee)");
    cmd->add_option("--label-map", o->labelMap,
                    "What the --labels ids mean: strata (default), oai-zib, or a JSON file {\"id\": \"name\"}");
    o->executor.addTo(cmd);
    cmd->add_flag("--quiet,-q", o->quiet, "No progress line");
    cmd->callback([o] {
        pipeline::RunRequest request;
        request.pipeline = resolvePipelineId(o->pipeline);
        const auto executor = o->executor.makeExecutor();
        const auto manifest = findPipeline(*executor, request.pipeline);
        request.inputs[manifest.inputs.front().name] = o->input;
        request.outputDir = o->out;
        while (!request.outputDir.has_filename() && request.outputDir.has_parent_path() &&
               request.outputDir != request.outputDir.root_path()) {
            request.outputDir = request.outputDir.parent_path(); // "result/" -> "result": staging goes beside it
        }
        request.device = o->executor.device;
        request.threads = o->executor.threads;
        request.parameters = o->executor.parameters();
        if (!o->labels.empty() || !o->labelMap.empty()) {
            if (o->labels.empty()) throw InvalidArgument("--label-map needs --labels (the segmentation to measure).");
            auto hasPort = [&manifest](const std::string& port) {
                return std::any_of(manifest.inputs.begin(), manifest.inputs.end(),
                                   [&port](const pipeline::PortSpec& in) { return in.name == port; });
            };
            if (!hasPort("labels")) {
                throw InvalidArgument("Pipeline '" + request.pipeline +
                                      "' cannot measure a given segmentation (it has no 'labels' input); drop --labels.");
            }
            request.inputs["labels"] = o->labels;
            if (o->labelMap == "strata" || o->labelMap == "oai-zib") {
                request.parameters["label_map"] = o->labelMap;
            } else if (!o->labelMap.empty()) { // a mapping file: a second input, so it travels to a server too
                if (!hasPort("label_mapping")) {
                    throw InvalidArgument("Pipeline '" + request.pipeline + "' takes no label mapping file.");
                }
                request.inputs["label_mapping"] = o->labelMap;
                request.parameters["label_map"] = "file";
            }
        }

        const auto result = runInTerminal(*executor, request, o->quiet);
        if (result.status != pipeline::RunStatus::Succeeded) {
            throw Error(result.message);
        }
        std::cout << "Result bundle: " << result.bundleDir.string() << " (" << result.message << ")\n";
        // Quality control (knee): the verdict and its reasons are the last lines; not_a_knee exits with 4.
        std::error_code ec;
        const auto metrics = std::filesystem::exists(result.bundleDir / "metrics.json", ec)
                                 ? readJsonFile(result.bundleDir / "metrics.json") // a server's file: depth-bounded
                                 : nlohmann::json();
        if (metrics.is_object() && metrics.contains("quality") && metrics["quality"].is_object()) {
            const auto& q = metrics["quality"];
            const std::string verdict = q.value("verdict", std::string("?"));
            std::cout << "Quality: " << verdict;
            if (q.contains("foreground_confidence") && q["foreground_confidence"].is_number()) {
                char buf[64];
                std::snprintf(buf, sizeof buf, " (mean network confidence %.2f)", q["foreground_confidence"].get<double>());
                std::cout << buf;
            }
            std::cout << '\n';
            for (const auto& reason : q.value("reasons", nlohmann::json::array())) {
                std::cout << "  - " << (reason.is_string() ? reason.get<std::string>() : reason.dump()) << '\n';
            }
            if (verdict == "not_a_knee") {
                std::cout << "Not a knee: volumes, thickness and meshes were withheld; exit code " << kNotAKneeExit << ".\n";
                std::cout.flush();
                throw ExitCode{kNotAKneeExit, ""};
            }
            if (verdict == "uncertain") {
                std::cout << "Uncertain: review the segmentation before using these numbers.\n";
            }
        }
    });
}

} // namespace strata::cli
