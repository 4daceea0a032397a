// Pipeline manifests and parameters (core/src/base/pipeline/PipelineManifest.cpp): the server checks every job's
// "parameters" with resolveParameters; the client reads the server's manifests with fromJson.
// Contract: a bad value or manifest is InvalidArgument; no undefined behaviour for numbers of any size; a resolved
// value has its parameter's type and lies in its range.
#include "FuzzSupport.h"
#include "strata/Error.h"
#include "strata/JsonLimits.h"
#include "strata/pipeline/PipelineManifest.h"

using nlohmann::json;
using strata::pipeline::PipelineManifest;

namespace {

const PipelineManifest& manifest()
{
    static const PipelineManifest m = PipelineManifest::fromJson(json::parse(R"({
      "id": "fuzz", "inputs": [{"name": "image", "type": "image"}],
      "parameters": [
        {"name": "steps", "type": "int", "default": 3},
        {"name": "size", "type": "int", "default": 64, "min": 8, "max": 1024},
        {"name": "sigma", "type": "number", "default": 1.5, "min": 0},
        {"name": "scale", "type": "number", "default": 2},
        {"name": "meshes", "type": "bool", "default": true},
        {"name": "device", "type": "string", "default": "auto"},
        {"name": "side", "type": "choice", "default": "auto", "choices": ["auto", "left", "right"]}]})"));
    return m;
}

void checkResolved(const PipelineManifest& m, const json& out)
{
    for (const auto& p : m.parameters) {
        FUZZ_CHECK(out.contains(p.name), "a parameter missing from the resolved set");
        const json& v = out.at(p.name);
        if (p.type == "int") FUZZ_CHECK(v.is_number_integer(), "an int parameter resolved to " + v.dump());
        if (p.type == "number") FUZZ_CHECK(v.is_number(), "a number parameter resolved to " + v.dump());
        if (p.type == "bool") FUZZ_CHECK(v.is_boolean(), "a bool parameter");
        if (p.type == "string" || p.type == "choice") FUZZ_CHECK(v.is_string(), "a string parameter");
        if (v.is_number()) {
            FUZZ_CHECK(!p.min || v.get<double>() >= *p.min, "below min");
            FUZZ_CHECK(!p.max || v.get<double>() <= *p.max, "above max");
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    json j;
    try {
        j = strata::parseJson(strata::fuzz::asText(data, size), false);
    } catch (const strata::InvalidArgument&) {
        return 0;
    }
    if (j.is_discarded()) return 0;
    try { // the server: a job's parameters
        checkResolved(manifest(), manifest().resolveParameters(j));
    } catch (const strata::InvalidArgument&) {
    }
    try { // the client: a manifest from a server, then its defaults and the same parameters
        const auto m = PipelineManifest::fromJson(j);
        (void)strata::dumpJson(m.toJson());
        checkResolved(m, m.resolveParameters(json::object()));
        if (j.contains("given")) checkResolved(m, m.resolveParameters(j.at("given")));
    } catch (const strata::InvalidArgument&) {
    }
    return 0;
}
