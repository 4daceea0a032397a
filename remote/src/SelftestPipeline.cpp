#include "strata/remote/SelftestPipeline.h"

#include "strata/Error.h"
#include "strata/Sha256.h"
#include "strata/pipeline/Workspace.h"

#include <chrono>
#include <fstream>
#include <thread>

namespace strata::remote {

namespace {

constexpr pipeline::WorkspaceKey<std::string> kSha256{"sha256"};
constexpr pipeline::WorkspaceKey<std::uintmax_t> kSize{"size"};

const char* kManifest = R"json({
  "id": "selftest", "title": "Server self-test", "version": "1",
  "description": "Hashes the input file in steps (progress and cancel per step) and writes result.json.",
  "inputs": [{"name": "file", "type": "file", "help": "any file"}],
  "outputs": [{"name": "result", "type": "file", "help": "result.json: sha256 and size of the input"}],
  "parameters": [
    {"name": "steps", "type": "int", "default": 10, "min": 1, "max": 100000, "help": "progress steps"},
    {"name": "step_ms", "type": "int", "default": 20, "min": 0, "max": 60000, "help": "sleep per step (ms)"},
    {"name": "fail", "type": "bool", "default": false, "help": "fail on purpose in the last stage"},
    {"name": "pad_kib", "type": "int", "default": 0, "min": 0, "max": 1048576, "help": "also write padding.bin of this many KiB (tests what a full disk does to a job)"}
  ],
  "stages": [{"id": "hash", "title": "Hashing", "weight": 9}, {"id": "write", "title": "Writing", "weight": 1}]
})json";

class HashStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override
    {
        const int steps = ctx.parameter<int>("steps");
        const int stepMs = ctx.parameter<int>("step_ms");
        const auto& input = ctx.request().inputs.at("file");
        for (int i = 0; i < steps; ++i) {
            if (stepMs > 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(stepMs));
            }
            ctx.progress(static_cast<double>(i + 1) / steps, "step " + std::to_string(i + 1) + " of " + std::to_string(steps));
        }
        ctx.workspace().put(kSha256, Sha256::ofPath(input));
        ctx.workspace().put(kSize, std::filesystem::file_size(input));
        ctx.note("device", "cpu");
    }
};

class WriteResultStage : public pipeline::Stage {
public:
    void run(pipeline::StageContext& ctx) override
    {
        if (ctx.parameter<bool>("fail")) {
            throw Error("The self-test failed on purpose (parameter fail=true).");
        }
        const nlohmann::json result{{"sha256", ctx.workspace().get(kSha256)},
                                    {"size", ctx.workspace().get(kSize)},
                                    {"steps", ctx.parameter<int>("steps")}};
        writeChecked(ctx.outputDir() / "result.json", result.dump(2) + '\n');
        if (const int kib = ctx.parameter<int>("pad_kib"); kib > 0) {
            writeChecked(ctx.outputDir() / "padding.bin", std::string(static_cast<std::size_t>(kib) * 1024, 'p'));
        }
    }

private:
    static void writeChecked(const std::filesystem::path& path, const std::string& content)
    {
        std::ofstream f(path, std::ios::binary);
        f << content;
        f.flush(); // a full disk shows here or at close, not while the stream buffers
        f.close();
        if (!f) throw IoError("Cannot write " + path.filename().string() + " (is the disk full?).");
    }
};

} // namespace

SelftestPipeline::SelftestPipeline() : manifest_(pipeline::PipelineManifest::fromJson(nlohmann::json::parse(kManifest))) {}

std::vector<std::unique_ptr<pipeline::Stage>> SelftestPipeline::createStages() const
{
    std::vector<std::unique_ptr<pipeline::Stage>> s;
    s.push_back(std::make_unique<HashStage>());
    s.push_back(std::make_unique<WriteResultStage>());
    return s;
}

} // namespace strata::remote
